/// One business's evaluation on its way from the workers to the sinks.
///
/// The engine's compact `results` always travel; reviewer-facing `records` are built by the
/// workers only when something asked for them (`--out`), because building them for every
/// business × service costs more than the log needs. Sinks that want decisions call `decisionRecords()`.
public struct EvaluatedProfile: Sendable {
    public let profile: Profile
    public let creditCode: String
    public let name: String
    public let street: String
    /// Indexed like the plan's slots. Empty when the decisions were made elsewhere (see `init(profile:records:)`).
    public let results: [SlotResult]
    /// Set with `results`: what turns them into decisions.
    public let builder: DecisionBuilder?
    public private(set) var records: [DecisionRecord]?

    /// From the engine: the results of `RuleRuntime.evaluate`. With `decide` (result, slot index →
    /// decision), the reviewer-facing records are built now.
    public init(profile: Profile, results: [SlotResult], builder: DecisionBuilder, decide: ((SlotResult, Int) -> Decision)? = nil) {
        self.profile = profile
        (creditCode, name, street) = builder.identity(of: profile)
        self.results = results
        self.builder = builder
        records = decide.map { decide in
            results.enumerated().map { j, result in
                DecisionRecord(creditCode: creditCode, name: name, street: street, serviceName: builder.plan.slots[j].service.name,
                               decision: decide(result, j))
            }
        }
    }

    /// Decisions made without the engine's compact form (imports, hand-made test data).
    public init(profile: Profile, records: [DecisionRecord]) {
        self.profile = profile
        creditCode = records.first?.creditCode ?? ""
        name = records.first?.name ?? ""
        street = records.first?.street ?? ""
        results = []
        builder = nil
        self.records = records
    }

    /// The reviewer-facing decisions, built now if the workers did not build them.
    public func decisionRecords() -> [DecisionRecord] {
        if let records { return records }
        guard let builder else { return [] }
        return results.indices.map { j in
            DecisionRecord(creditCode: creditCode, name: name, street: street, serviceName: builder.plan.slots[j].service.name,
                           decision: builder.decision(for: results[j], at: j))
        }
    }
}
