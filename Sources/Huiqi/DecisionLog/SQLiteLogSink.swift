import Foundation
import GRDB

/// Writes one run's businesses, decisions and rejects into a `SQLiteDecisionStore`.
///
/// `consume` only buffers (one chunk of `BatchRun`, so memory stays bounded); `commit(rowsRead:)`
/// writes the buffer in one transaction with reused prepared statements, together with the run's
/// `rows_committed`. Repeated texts are interned through in-memory caches (cleared when they grow
/// past `cacheLimit`, and after a failed commit, whose new ids were rolled back).
final class SQLiteLogSink: DecisionSink {
    private struct PendingBusiness {
        var row: Int, input: Int, line: Int
        var creditCode: String, name: String, street: String
    }

    private struct PendingDecision {
        var row: Int, slot: Int, rule: Int?, outcome: Int, packed: Int64
        var reasons: String?, missing: String?
        var amount: Double?, score: Double?
        var errorMessage: String?, traceback: String?
    }

    private struct ErrorKey: Hashable {
        var message: String
        var traceback: String?
    }

    static let cacheLimit = 50_000

    private let store: SQLiteDecisionStore
    private let run: Int64
    private let slotCount: Int
    private let ruleIndexByID: [String: Int]
    private let inputByPath: [String: Int]
    /// Each input's path as the run was first given it (a resumed run may read it by absolute path).
    private let inputPaths: [Int: String]
    private let schema: Schema
    private var businesses: [PendingBusiness] = []
    private var decisions: [PendingDecision] = []
    private var rejects: [(row: Int, reject: Reject)] = []
    private var textIDs: [String: Int64] = [:]
    private var errorIDs: [ErrorKey: Int64] = [:]

    init(store: SQLiteDecisionStore, run record: RunRecord, schema: Schema) {
        self.store = store
        run = record.id
        slotCount = record.services.count
        ruleIndexByID = Dictionary(record.provenance.rules.map { ($0.id, $0.index) }, uniquingKeysWith: { a, _ in a })
        var inputs: [String: Int] = [:]
        for input in record.provenance.inputs {
            // `Profile.source` is the path as `ProfileStream` names it: the given path's URL relativePath.
            inputs[URL(fileURLWithPath: input.path).relativePath] = input.ordinal
            inputs[input.path] = input.ordinal
            inputs[input.absolutePath] = input.ordinal
        }
        inputByPath = inputs
        inputPaths = Dictionary(record.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        self.schema = schema
    }

    func consume(profile: Profile, records: [DecisionRecord], row: Int) throws {
        guard records.count == slotCount else {
            throw Diagnostic(file: store.path, "internal error: \(records.count) decisions for row \(row), the run planned \(slotCount) services")
        }
        let input = inputByPath[profile.source] ?? -1
        if let first = records.first {
            businesses.append(PendingBusiness(row: row, input: input, line: profile.line, creditCode: first.creditCode,
                                              name: first.name, street: first.street))
        } else {
            businesses.append(PendingBusiness(row: row, input: input, line: profile.line,
                                              creditCode: profile.text(Schema.creditCodeField, in: schema),
                                              name: profile.text(Schema.nameField, in: schema), street: displayStreet(profile)))
        }
        for (slot, record) in records.enumerated() {
            let d = record.decision
            decisions.append(PendingDecision(
                row: row, slot: slot, rule: d.ruleID.flatMap { ruleIndexByID[$0] }, outcome: d.outcome.logCode,
                packed: LogRowDecoder.pack(d.conditions),
                reasons: d.reasons.isEmpty ? nil : d.reasons.joined(separator: SQLiteDecisionStore.reasonSeparator),
                missing: LogRowDecoder.missingText(d.conditions), amount: d.amount, score: d.score,
                errorMessage: d.errorMessage, traceback: d.traceback))
        }
    }

    func consume(reject: Reject, row: Int) throws {
        var reject = reject
        if let ordinal = inputByPath[reject.file], let given = inputPaths[ordinal] { reject.file = given }
        rejects.append((row, reject))
    }

    func commit(rowsRead: Int) throws {
        do {
            try store.queue.write { db in try write(db, rowsRead: rowsRead) }
        } catch {
            textIDs.removeAll()
            errorIDs.removeAll()
            throw SQLiteDecisionStore.diagnostic(error, path: store.path)
        }
        businesses.removeAll(keepingCapacity: true)
        decisions.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        if textIDs.count > SQLiteLogSink.cacheLimit { textIDs.removeAll() }
        if errorIDs.count > SQLiteLogSink.cacheLimit { errorIDs.removeAll() }
    }

    private func write(_ db: Database, rowsRead: Int) throws {
        let insertBusiness = try db.cachedStatement(sql: """
            INSERT INTO businesses (run, row, input, line, credit_code, name, street_id) VALUES (?, ?, ?, ?, ?, ?, ?)
            """)
        for b in businesses {
            let street = b.street.isEmpty ? nil : try textID(db, b.street)
            try insertBusiness.execute(arguments: [run, b.row, b.input, b.line, b.creditCode, b.name, street])
        }
        let insertDecision = try db.cachedStatement(sql: """
            INSERT INTO decisions (run, row, slot, rule, outcome, conditions, reason_id, missing_id, amount, score, error_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for d in decisions {
            let reason = try d.reasons.map { try textID(db, $0) }
            let missing = try d.missing.map { try textID(db, $0) }
            let error = try d.errorMessage.map { try errorID(db, ErrorKey(message: $0, traceback: d.traceback)) }
            try insertDecision.execute(arguments: [run, d.row, d.slot, d.rule, d.outcome, d.packed, reason, missing,
                                                   d.amount, d.score, error])
        }
        let insertReject = try db.cachedStatement(sql: """
            INSERT INTO rejects (run, row, file, line, credit_code, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for (row, r) in rejects {
            try insertReject.execute(arguments: [run, row, r.file, r.line, r.creditCode, r.field, r.reason, r.raw])
        }
        try db.cachedStatement(sql: "UPDATE runs SET rows_committed = ? WHERE id = ?").execute(arguments: [rowsRead, run])
    }

    private func textID(_ db: Database, _ text: String) throws -> Int64 {
        if let id = textIDs[text] { return id }
        try db.cachedStatement(sql: "INSERT INTO texts (text) VALUES (?) ON CONFLICT (text) DO NOTHING").execute(arguments: [text])
        let id: Int64
        if db.changesCount > 0 {
            id = db.lastInsertedRowID
        } else {
            id = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM texts WHERE text = ?"), arguments: [text]) ?? 0
        }
        textIDs[text] = id
        return id
    }

    private func errorID(_ db: Database, _ key: ErrorKey) throws -> Int64 {
        if let id = errorIDs[key] { return id }
        let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM errors WHERE message = ? AND traceback IS ?"),
                                          arguments: [key.message, key.traceback])
        let id: Int64
        if let existing {
            id = existing
        } else {
            try db.cachedStatement(sql: "INSERT INTO errors (message, traceback) VALUES (?, ?)").execute(arguments: [key.message, key.traceback])
            id = db.lastInsertedRowID
        }
        errorIDs[key] = id
        return id
    }

    /// The street as reviewers read it, for a plan without services (no record carries it).
    private func displayStreet(_ profile: Profile) -> String {
        guard let i = schema.index(of: Schema.streetField), let value = profile[i] else { return "" }
        let text = value.displayText
        return schema.fields[i].values.first { $0.value == text }?.displayName ?? text
    }
}
