/// What one condition of a rule gave for one business.
public struct ConditionResult: Sendable, Equatable, Codable {
    public enum State: String, Sendable, Codable {
        case passed, failed, unknown
        /// Not run: an earlier error stopped the rule.
        case skipped
    }

    public var label: String
    public var state: State
    /// For `unknown`: the declared field the profile lacks.
    public var missingField: String?
    /// For `unknown`: the reason the rule gave with `unknown(…)` (no field was missing).
    public var note: String?
    /// Only in explanations: the profile fields the condition read, in order, without repeats.
    public var fieldsRead: [String]?

    public init(label: String, state: State, missingField: String? = nil, note: String? = nil, fieldsRead: [String]? = nil) {
        self.label = label
        self.state = state
        self.missingField = missingField
        self.note = note
        self.fieldsRead = fieldsRead
    }
}
