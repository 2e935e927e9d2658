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
        if let mapped = texts[id] { return mapped }
        guard let text = try source.translating({
            try source.queue.read { s in try String.fetchOne(s, sql: "SELECT text FROM texts WHERE id = ?", arguments: [id]) }
        }) else {
            throw Diagnostic(file: source.path, "decision log error: text \(id) is referred to but missing (日志缺少文本)")
        }
        try db.cachedStatement(sql: "INSERT INTO texts (text) VALUES (?) ON CONFLICT (text) DO NOTHING").execute(arguments: [text])
        let mapped: Int64
        if db.changesCount > 0 {
            mapped = db.lastInsertedRowID
        } else if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM texts WHERE text = ?"), arguments: [text]) {
            mapped = existing
        } else {
            throw Diagnostic(file: source.path, "internal error: text \(id) not interned")
        }
        if texts.count >= LogTextCopier.cacheLimit { texts.removeAll() }
        texts[id] = mapped
        return mapped
    }

    /// The id in `db` of the source's error `id` (message and traceback), interned there if new.
    func error(_ id: Int64, into db: Database) throws -> Int64 {
        if let mapped = errors[id] { return mapped }
        guard let row = try source.translating({
            try source.queue.read { s in try Row.fetchOne(s, sql: "SELECT message, traceback FROM errors WHERE id = ?", arguments: [id]) }
        }) else {
            throw Diagnostic(file: source.path, "decision log error: error message \(id) is referred to but missing (日志缺少错误信息)")
        }
        let message: String = row[0], traceback: String? = row[1]
        let mapped: Int64
        if let existing = try Int64.fetchOne(db.cachedStatement(sql: "SELECT id FROM errors WHERE message = ? AND traceback IS ?"),
                                             arguments: [message, traceback]) {
            mapped = existing
        } else {
            try db.cachedStatement(sql: "INSERT INTO errors (message, traceback) VALUES (?, ?)").execute(arguments: [message, traceback])
            mapped = db.lastInsertedRowID
        }
        if errors.count >= LogTextCopier.cacheLimit { errors.removeAll() }
        errors[id] = mapped
        return mapped
    }
}
