import Foundation
import GRDB

/// Rebuilds `LoggedDecision`s from the compact rows of one run, with the run's snapshot of its
/// services and rules (names, files, condition labels).
struct LogRowDecoder {
    let run: Int64
    let services: [LoggedService]
    let rules: [Int: LoggedRule]
    /// The run's `RunProvenance.rulesSHA256`, for `ruleVersion`.
    let bundleSHA256: String

    /// The columns `decode` reads, in order (a `businesses` row with its street).
    static let businessSelect = """
        SELECT b.row, b.input, b.line, b.credit_code, b.name, st.text, b.decisions
        FROM businesses b
        LEFT JOIN texts st ON st.id = b.street_id
        """

    /// A `businesses` row of `businessSelect`, its blob unpacked.
    struct Business {
        var row: Int64
        var input: Int
        var line: Int
        var creditCode: String
        var name: String
        var street: String
        var entries: [LogEntry]
    }

    /// `knownRule[i]`: the run has a rule of index `i` (the check of every entry, without hashing).
    private let knownRule: [Bool]

    init(run record: RunRecord) {
        run = record.id
        services = record.services
        rules = Dictionary(record.provenance.rules.map { ($0.index, $0) }, uniquingKeysWith: { a, _ in a })
        bundleSHA256 = record.provenance.rulesSHA256
        var known = [Bool](repeating: false, count: (rules.keys.max() ?? -1) + 1)
        for index in rules.keys where index >= 0 { known[index] = true }
        knownRule = known
    }

    /// A `businesses` row of this run, its blob unpacked and checked against the run (`check`).
    func business(_ row: Row, path: String) throws -> Business {
        let business = try LogRowDecoder.business(row, path: path)
        try check(business.entries, row: business.row, path: path)
        return business
    }

    /// A `decisions` column of this run's row `row`, unpacked and checked (`check`).
    func entries(_ column: Data?, row: Int64, path: String) throws -> [LogEntry] {
        let entries = try LogRowDecoder.entries(column, path: path)
        try check(entries, row: row, path: path)
        return entries
    }

    /// Throws when a blob that unpacked cannot be this run's: more entries than the run has
    /// services, an outcome code no decision has, a rule the run does not have. Bytes damaged on
    /// disk (which SQLite's integrity check does not see) unpack into such entries more often than
    /// not; shown as they came, they were decisions with service "?", errors without a message and
    /// outcomes and amounts changed, exit 0, and `log diff` blamed the rules (crash-safety review).
    /// Fewer entries than services is a log from before v2, whose last slots may have no entry.
    func check(_ entries: [LogEntry], row: Int64, path: String) throws {
        func damaged(_ what: String) -> Diagnostic {
            Diagnostic(file: path, "run \(run), business row \(row): its decisions cannot be this run's (\(what)): the log is damaged "
                       + "(决策日志已损坏); restore it from a backup (the .db file with its -wal and -shm), or run the batch again into a new log")
        }
        if entries.count > services.count { throw damaged("\(entries.count) decisions, \(services.count) services") }
        for (slot, entry) in entries.enumerated() {
            guard entry.outcome <= 4 else { throw damaged("slot \(slot): outcome code \(entry.outcome)") }
            if let rule = entry.rule, !(rule >= 0 && rule < knownRule.count && knownRule[Int(rule)]) {
                throw damaged("slot \(slot): rule \(rule)")
            }
        }
    }

    /// The version of the rule that made `entry` (what a review carries over by).
    func ruleVersion(_ entry: LogEntry) -> RuleVersion {
        RuleVersion(entry.rule.flatMap { rules[Int($0)] }, bundleSHA256: bundleSHA256)
    }

    static func business(_ row: Row, path: String) throws -> Business {
        Business(row: row[0], input: row[1], line: row[2], creditCode: row[3], name: row[4], street: row[5] ?? "",
                 entries: try entries(row[6], path: path))
    }

    /// A `decisions` column unpacked (NULL: a business of a run without services).
    static func entries(_ column: Data?, path: String) throws -> [LogEntry] {
        guard let column, !column.isEmpty else { return [] }
        do {
            return try DecisionBlob.decode([UInt8](column))
        } catch {
            throw Diagnostic(file: path, "\(error.description) (决策数据损坏 damaged log)")
        }
    }

    /// The decision of `business` at `slot`, its texts looked up in `texts`; `conditions` false
    /// leaves its conditions out, for a reader that does not show them (`log diff`).
    func decode(_ business: Business, slot: Int, texts: LogTexts, conditions withConditions: Bool = true) throws -> LoggedDecision {
        let entry = business.entries[slot]
        let rule = entry.rule.flatMap { rules[Int($0)] }
        var conditions: [ConditionResult] = []
        if withConditions, let rule, !rule.hasEvaluate {
            let missing = try entry.missing.map(texts.missingFields) ?? [:]
            for (k, label) in rule.conditionLabels.enumerated() {
                conditions.append(ConditionResult(label: label, state: LogRowDecoder.state(entry.conditions, k + 1), missingField: missing[k + 1]))
            }
        }
        let service = service(slot: slot)
        let error = try entry.error.flatMap(texts.error)
        let reasons = try entry.reason.flatMap(texts.list) ?? []
        // An unknown condition with no missing field had its reason from unknown(…): the log keeps
        // it only in the decision's reasons, "标签: 理由" (an undetermined decision's).
        for k in conditions.indices where conditions[k].state == .unknown && conditions[k].missingField == nil {
            let prefix = conditions[k].label + ": "
            conditions[k].note = reasons.first { $0.hasPrefix(prefix) }.map { String($0.dropFirst(prefix.count)) }
        }
        let decision = Decision(
            serviceID: service.id, ruleID: rule?.id, outcome: Outcome(logCode: entry.outcome) ?? .error,
            reasons: reasons,
            conditions: conditions, amount: entry.amount, score: entry.score, errorMessage: error?.message, traceback: error?.traceback)
        let record = DecisionRecord(creditCode: business.creditCode, name: business.name, street: business.street, serviceName: service.name,
                                    decision: decision)
        return LoggedDecision(id: DecisionID(run: run, row: Int(business.row), slot: slot), record: record, ruleFile: rule?.file,
                              ruleVersion: RuleVersion(rule, bundleSHA256: bundleSHA256), input: business.input, line: business.line)
    }

    /// The id and name of the run's service at `slot` ("?" in a damaged log): the two names, not a
    /// copy of the whole service (its texts retained and released for each decision).
    func service(slot: Int) -> (id: String, name: String) {
        services.indices.contains(slot) ? (id: services[slot].id, name: services[slot].name) : (id: "?", name: "?")
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
