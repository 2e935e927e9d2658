import GRDB

/// Looks up the log's interned texts and errors by id while reading, remembering what it read:
/// the decisions of a run repeat a few hundred reasons.
final class LogTexts {
    private let db: Database
    private var texts: [Int64: String] = [:]
    private var errors: [Int64: (message: String, traceback: String?)] = [:]

    init(_ db: Database) {
        self.db = db
    }

    func text(_ id: Int64) throws -> String? {
        if let t = texts[id] { return t }
        let t = try String.fetchOne(db.cachedStatement(sql: "SELECT text FROM texts WHERE id = ?"), arguments: [id])
        if let t, texts.count < 100_000 { texts[id] = t }
        return t
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
