import GRDB

/// Gives the ids, in the log being written, of the texts and errors one source log's rows refer
/// to by its own ids: texts and errors are interned per log (`texts`, `errors`), so rows copied
/// from one log into another (`ShardMerge`) must have theirs interned there. Remembers what it
/// mapped (a run repeats a few hundred reasons), up to `cacheLimit` of each.
final class LogTextCopier {
    private let source: SQLiteDecisionStore
    private var texts: [Int64: Int64] = [:]
    private var errors: [Int64: Int64] = [:]
    static let cacheLimit = 100_000

    init(from source: SQLiteDecisionStore) {
        self.source = source
    }

    /// The id in `db` of the source's text `id`, interned there if new.
    func text(_ id: Int64, into db: Database) throws -> Int64 {
        try mapped(id, in: &texts, reading: "SELECT text FROM texts WHERE id = ?", missing: "text") { row in
            let text: String = row[0]
            try db.cachedStatement(sql: "INSERT INTO texts (text) VALUES (?) ON CONFLICT (text) DO NOTHING").execute(arguments: [text])
            if db.changesCount > 0 { return db.lastInsertedRowID }
            guard let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM texts WHERE text = ?"), arguments: [text]) else {
                throw Diagnostic(.error, file: source.path, "internal error: text \(id) not interned")
            }
            return existing
        }
    }

    /// The id in `db` of the source's error `id` (message and traceback), interned there if new.
    func error(_ id: Int64, into db: Database) throws -> Int64 {
        try mapped(id, in: &errors, reading: "SELECT message, traceback FROM errors WHERE id = ?", missing: "error message") { row in
            let message: String = row[0], traceback: String? = row[1]
            if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM errors WHERE message = ? AND traceback IS ?"),
                                                 arguments: [message, traceback]) {
                return existing
            }
            try db.cachedStatement(sql: "INSERT INTO errors (message, traceback) VALUES (?, ?)").execute(arguments: [message, traceback])
            return db.lastInsertedRowID
        }
    }

    /// `id` through `cache`, else the source's row for it (`sql`) given to `intern`.
    private func mapped(_ id: Int64, in cache: inout [Int64: Int64], reading sql: String, missing what: String,
                        intern: (Row) throws -> Int64) throws -> Int64 {
        if let known = cache[id] { return known }
        guard let row = try source.translating({ try source.queue.read { s in try Row.fetchOne(s, sql: sql, arguments: [id]) } }) else {
            throw Diagnostic(.error, file: source.path, "decision log error: \(what) \(id) is referred to but missing (日志缺少\(what == "text" ? "文本" : "错误信息"))")
        }
        let mapped = try intern(row)
        if cache.count >= LogTextCopier.cacheLimit { cache.removeAll() }
        cache[id] = mapped
        return mapped
    }
}
