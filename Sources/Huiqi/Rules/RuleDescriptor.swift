/// What the host knows about one loaded rule (its Lua functions stay in the Lua state).
public struct RuleDescriptor: Sendable, Equatable {
    public var id: String
    public var serviceID: String
    /// Subject types the rule serves; nil = all.
    public var subjects: [String]?
    public var effectiveFrom: String?
    public var effectiveTo: String?
    /// Condition labels, in order (empty for `evaluate` rules).
    public var conditionLabels: [String]
    /// Line each condition's function starts on (or the `evaluate` function's line).
    public var lines: [Int]
    public var hasEvaluate: Bool
    public var description: String?
    /// The rule file, relative to the bundle's parent as the user named it (e.g. `Rules/rent/relief.lua`).
    public var file: String
    /// 1-based index in the Lua state's rule table.
    public var index: Int

    /// Whether the rule is in force on `isoDate` (both bounds inclusive).
    public func isEffective(on isoDate: String) -> Bool {
        if let from = effectiveFrom, isoDate < from { return false }
        if let to = effectiveTo, isoDate > to { return false }
        return true
    }

    /// `Rules/x.lua:12` for the first condition (or evaluate), for messages.
    public var location: String { lines.first.map { "\(file):\($0)" } ?? file }
}
