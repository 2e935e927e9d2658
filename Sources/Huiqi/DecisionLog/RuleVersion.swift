/// The rule that made a decision, as far as the log tells rule versions apart. A review carries
/// over to a later run's decision only when the same rule made both: the same id, the same
/// text of its file (`LoggedRule.sourceSHA256`, log v8) and of the `lib/` modules it requires
/// (`LoggedRule.modules`, log v9). For a run logged before v8 the log keeps only the whole
/// bundle's SHA-256, so there the same rule means the same id in the same bundle; with a run
/// logged before v9, the same id and file text.
///
///     let before = RuleVersion(id: "rent.relief", sourceSHA256: "ab…", bundleSHA256: "01…")
///     before.isSame(as: RuleVersion(id: "rent.relief", sourceSHA256: "ab…", bundleSHA256: "02…"))  // true: another file changed
public struct RuleVersion: Sendable, Equatable {
    /// The rule's id; nil when no rule decided (a subject type no rule of the service serves).
    public var id: String?
    /// SHA-256 of the rule's file text (`LoggedRule.sourceSHA256`); nil for a run logged before
    /// log v8, and when no rule decided.
    public var sourceSHA256: String?
    /// The modules the rule requires, with their SHA-256 (`LoggedRule.modules`); nil for a run
    /// logged before log v9, and when no rule decided.
    public var modules: String?
    /// The run's `RunProvenance.rulesSHA256`.
    public var bundleSHA256: String

    public init(id: String?, sourceSHA256: String?, modules: String? = nil, bundleSHA256: String) {
        self.id = id
        self.sourceSHA256 = sourceSHA256
        self.modules = modules
        self.bundleSHA256 = bundleSHA256
    }

    /// The version of rule `rule` (nil: no rule) in a run of bundle `bundleSHA256`.
    public init(_ rule: LoggedRule?, bundleSHA256: String) {
        self.init(id: rule?.id, sourceSHA256: rule?.sourceSHA256, modules: rule?.modules, bundleSHA256: bundleSHA256)
    }

    /// Whether `other` is the same rule: the same id, and the same file text where both runs
    /// recorded it (else the same bundle, which holds every rule file), and the same modules.
    /// Between two runs logged before v9 the file alone tells, as it did when they were logged.
    /// Between one of those and a later run, modules the later run's rule requires are taken as
    /// the same only in the same bundle (the earlier run did not record them).
    public func isSame(as other: RuleVersion) -> Bool {
        guard id == other.id else { return false }
        guard id != nil else { return true }
        guard let mine = sourceSHA256, let theirs = other.sourceSHA256 else { return bundleSHA256 == other.bundleSHA256 }
        guard mine == theirs else { return false }
        switch (modules, other.modules) {
        case let (a?, b?): return a == b
        case (nil, nil): return true
        case let (required?, nil), let (nil, required?): return required.isEmpty || bundleSHA256 == other.bundleSHA256
        }
    }

    /// The modules (`lib/baoan.lua`) that make `other` another version of this rule when its
    /// file is the same; empty when they are the same or either run did not record them.
    public func changedModules(since other: RuleVersion) -> [String] {
        guard let mine = modules, let theirs = other.modules, mine != theirs else { return [] }
        return LoggedRule.changedModules(theirs, mine)
    }
}
