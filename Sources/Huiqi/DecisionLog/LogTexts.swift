import GRDB

/// Looks up the log's interned texts and errors by id while reading, remembering what it read:
/// the decisions of a run repeat a few hundred reasons.
final class LogTexts {
    private let db: Database
    private var texts: [Int64: String] = [:]
    private var errors: [Int64: (message: String, traceback: String?)] = [:]
    private var lists: [Int64: [String]] = [:]
    private var missing: [Int64: [Int: String]] = [:]

    init(_ db: Database) {
        self.db = db
    }

    func text(_ id: Int64) throws -> String? {
        if let t = texts[id] { return t }
        let t = try String.fetchOne(db.cachedStatement(sql: "SELECT text FROM texts WHERE id = ?"), arguments: [id])
        if let t, texts.count < 100_000 { texts[id] = t }
        return t
    }

    /// A text the sink stored as a list (a decision's reasons), split again. Remembered too:
    /// splitting each decision's reasons with Foundation's `components(separatedBy:)` was a third
    /// of `log export`'s instructions (district-scale review: 144 s for a 1M-business run).
    func list(_ id: Int64) throws -> [String]? {
        if let l = lists[id] { return l }
        guard let t = try text(id) else { return nil }
        let l = t.utf8.split(separator: SQLiteDecisionStore.reasonSeparatorByte, omittingEmptySubsequences: false)
            .map { String(decoding: $0, as: UTF8.self) }
        if lists.count < 100_000 { lists[id] = l }
        return l
    }

    /// A decision's missing fields by condition (`LogRowDecoder.missingFields` of the text), parsed
    /// once for the run rather than for each decision.
    func missingFields(_ id: Int64) throws -> [Int: String] {
        if let m = missing[id] { return m }
        let m = LogRowDecoder.missingFields(try text(id))
        if missing.count < 100_000 { missing[id] = m }
        return m
    }

    func error(_ id: Int64) throws -> (message: String, traceback: String?)? {
        if let e = errors[id] { return e }
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT message, traceback FROM errors WHERE id = ?"), arguments: [id]) else {
            return nil
        }
        let e = (message: row[0] as String, traceback: row[1] as String?)
        if errors.count < 10_000 { errors[id] = e }
        return e
    }
}
