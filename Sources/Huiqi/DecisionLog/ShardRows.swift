import GRDB

/// The rows of one table of one shard run, in row order, read a page at a time: `ShardMerge`
/// walks N of them side by side to write the merged run in row order, as an unsplit run writes
/// it, without holding any shard in memory. Each page is a read of its own (keyset on `row`), so
/// no read transaction stays open in the shard's log between pages.
final class ShardRows {
    private let store: SQLiteDecisionStore
    private let sql: String
    private let run: Int64
    private let pageSize: Int
    private var page: [Row] = []
    private var at = 0
    private var lastRow: Int64 = 0
    private var exhausted = false

    /// `columns` of `table`, `row` first, for the rows of `run` in `store`.
    init(store: SQLiteDecisionStore, run: Int64, table: String, columns: String, pageSize: Int) {
        self.store = store
        self.run = run
        self.pageSize = pageSize
        sql = "SELECT row, \(columns) FROM \(table) WHERE run = ? AND row > ? ORDER BY row LIMIT ?"
    }

    /// The next row (its `row` is column 0), without moving past it; nil at the end.
    func head() throws -> Row? {
        if at < page.count { return page[at] }
        guard !exhausted else { return nil }
        page = try store.translating {
            try store.queue.read { db in try Row.fetchAll(db, sql: sql, arguments: [run, lastRow, pageSize]) }
        }
        at = 0
        guard let last = page.last else {
            exhausted = true
            return nil
        }
        lastRow = last[0]
        if page.count < pageSize { exhausted = true }
        return page[0]
    }

    /// Moves past the row `head()` gave.
    func advance() {
        at += 1
    }
}
