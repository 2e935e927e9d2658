/// Which of a business's decisions a `DecisionFilter` selects by service and outcome, the parts
/// of the filter that are inside the decisions blob (street and code are selected in SQL).
struct EntrySelection {
    /// The service's slot in the run, nil for any.
    let slot: Int?
    let outcomeCode: Int?
    let anyOfCodes: Set<Int>?

    /// A service the run did not evaluate is an error that names those it did.
    init(_ record: RunRecord, _ filter: DecisionFilter, log path: String) throws {
        if let id = filter.serviceID {
            guard let service = record.service(id: id) else {
                throw Diagnostic(file: path, "run \(record.id) did not evaluate service \(id)\(record.serviceHint(for: id)) (运行 \(record.id) 未评估此服务); services: "
                                 + record.services.map(\.id).joined(separator: ", "))
            }
            slot = service.slot
        } else {
            slot = nil
        }
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
