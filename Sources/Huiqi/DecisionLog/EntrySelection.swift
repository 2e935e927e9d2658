/// Which of a business's decisions a `DecisionFilter` selects by service and outcome, the parts
/// of the filter that are inside the decisions blob (street and code are selected in SQL).
struct EntrySelection {
    /// The service's slot in the run, nil for any.
    let slot: Int?
    let outcomeCode: Int?
    let anyOfCodes: Set<Int>?

    /// A service the run did not evaluate is an error that names those it did (`requireService`).
    init(_ record: RunRecord, _ filter: DecisionFilter, log path: String) throws {
        slot = try filter.serviceID.map { try record.requireService(id: $0, log: path).slot }
        outcomeCode = filter.outcome?.logCode
        anyOfCodes = filter.anyOfOutcomes.map { Set($0.map(\.logCode)) }
    }

    /// Whether some entries are left out: then blobs are tested before their business is built.
    var filtersEntries: Bool { slot != nil || outcomeCode != nil || anyOfCodes != nil }

    /// Whether the entry in `slot` with outcome `code` is selected (0: the service was not evaluated).
    func accepts(_ slot: Int, _ code: Int) -> Bool {
        code != 0 && (self.slot.map { $0 == slot } ?? true) && (outcomeCode.map { $0 == code } ?? true)
            && (anyOfCodes.map { $0.contains(code) } ?? true)
    }
}
