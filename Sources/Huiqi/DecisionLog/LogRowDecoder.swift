import GRDB

/// Rebuilds `LoggedDecision`s from the compact rows of one run, with the run's snapshot of its
/// services and rules (names, files, condition labels).
struct LogRowDecoder {
    let run: Int64
    let services: [LoggedService]
    let rules: [Int: LoggedRule]

    init(run record: RunRecord) {
        run = record.id
        services = record.services
        rules = Dictionary(record.provenance.rules.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Reads a row of `SQLiteDecisionStore.decisionSelect`.
    func decode(_ row: Row) -> LoggedDecision {
        let rowNumber: Int = row[0], slot: Int = row[1]
        let ruleIndex: Int? = row[2]
        let outcome = Outcome(logCode: row[3]) ?? .error
        let packed: Int64 = row[4]
        let reasonText: String? = row[5]
        let missingText: String? = row[6]
        let rule = ruleIndex.flatMap { rules[$0] }
        var conditions: [ConditionResult] = []
        if let rule, !rule.hasEvaluate {
            let missing = LogRowDecoder.missingFields(missingText)
            for (k, label) in rule.conditionLabels.enumerated() {
                conditions.append(ConditionResult(label: label, state: LogRowDecoder.state(packed, k + 1), missingField: missing[k + 1]))
            }
        }
        let service = services.indices.contains(slot) ? services[slot] : LoggedService(slot: slot, id: "?", name: "?", category: "", mode: "")
        let decision = Decision(
            serviceID: service.id, ruleID: rule?.id, outcome: outcome,
            reasons: reasonText.map { $0.components(separatedBy: SQLiteDecisionStore.reasonSeparator) } ?? [],
            conditions: conditions, amount: row[7], score: row[8], errorMessage: row[9], traceback: row[10])
        let record = DecisionRecord(creditCode: row[13], name: row[14], street: row[15] ?? "", serviceName: service.name,
                                    decision: decision)
        return LoggedDecision(id: DecisionID(run: run, row: rowNumber, slot: slot), record: record, ruleFile: rule?.file,
                              input: row[11], line: row[12])
    }

    static func state(_ packed: Int64, _ k: Int) -> ConditionResult.State {
        switch (packed >> Int64(2 * (k - 1))) & 3 {
        case 1: return .passed
        case 2: return .failed
        case 3: return .unknown
        default: return .skipped
        }
    }

    /// Packs condition states 2 bits each, condition 1 in the lowest bits (as `SlotResult.packed`).
    static func pack(_ conditions: [ConditionResult]) -> Int64 {
        var packed: Int64 = 0
        for (k, c) in conditions.enumerated() where k < 32 {
            let bits: Int64
            switch c.state {
            case .passed: bits = 1
            case .failed: bits = 2
            case .unknown: bits = 3
            case .skipped: bits = 0
            }
            packed |= bits << Int64(2 * k)
        }
        return packed
    }

    /// `"2:employees,3:revenue"` → [2: "employees", 3: "revenue"].
    static func missingFields(_ text: String?) -> [Int: String] {
        guard let text, !text.isEmpty else { return [:] }
        var out: [Int: String] = [:]
        for part in text.split(separator: ",") {
            guard let colon = part.firstIndex(of: ":"), let k = Int(part[..<colon]) else { continue }
            out[k] = String(part[part.index(after: colon)...])
        }
        return out
    }

    /// The inverse of `missingFields`; nil when no condition lacked data.
    static func missingText(_ conditions: [ConditionResult]) -> String? {
        guard conditions.contains(where: { $0.missingField != nil }) else { return nil }
        let parts = conditions.enumerated().compactMap { k, c in c.missingField.map { "\(k + 1):\($0)" } }
        return parts.isEmpty ? nil : parts.joined(separator: ",")
    }
}
