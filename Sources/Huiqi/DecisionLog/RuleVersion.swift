/// The rule that made a decision, as far as the log tells rule versions apart. A review carries
/// over to a later run's decision only when the same rule made both: the same id, and the same
/// text of its file (`LoggedRule.sourceSHA256`, log v8). For a run logged before v8 the log keeps
/// only the whole bundle's SHA-256, so there the same rule means the same id in the same bundle.
///
///     let before = RuleVersion(id: "rent.relief", sourceSHA256: "ab…", bundleSHA256: "01…")
///     before.isSame(as: RuleVersion(id: "rent.relief", sourceSHA256: "ab…", bundleSHA256: "02…"))  // true: another file changed
public struct RuleVersion: Sendable, Equatable {
    /// The rule's id; nil when no rule decided (a subject type no rule of the service serves).
    public var id: String?
    /// SHA-256 of the rule's file text (`LoggedRule.sourceSHA256`); nil for a run logged before
    /// log v8, and when no rule decided.
    public var sourceSHA256: String?
    /// The run's `RunProvenance.rulesSHA256`.
    public var bundleSHA256: String

    public init(id: String?, sourceSHA256: String?, bundleSHA256: String) {
        self.id = id
        self.sourceSHA256 = sourceSHA256
        self.bundleSHA256 = bundleSHA256
    }

    /// The version of rule `rule` (nil: no rule) in a run of bundle `bundleSHA256`.
    public init(_ rule: LoggedRule?, bundleSHA256: String) {
        self.init(id: rule?.id, sourceSHA256: rule?.sourceSHA256, bundleSHA256: bundleSHA256)
    }

    /// Whether `other` is the same rule: the same id, and the same file text where both runs
    /// recorded it, else the same bundle (which holds every rule file).
    public func isSame(as other: RuleVersion) -> Bool {
        guard id == other.id else { return false }
        guard id != nil else { return true }
        if let mine = sourceSHA256, let theirs = other.sourceSHA256 { return mine == theirs }
        return bundleSHA256 == other.bundleSHA256
    }
}
