import Foundation
import GRDB

extension ShardMerge {
    /// SQLite as Debian builds it attaches at most 10 databases to a connection (`MAX_ATTACHED`;
    /// the log written is the connection's own, not attached): more shards take the row-by-row
    /// path (`copyRows`).
    static let maxAttachedShards = 10

    /// Rows inserted by one statement, between checks for a signal.
    static let attachedChunkRows: Int64 = 65_536

    /// Whether the shards can be copied with the shard logs attached to the connection writing
    /// `store`: at most `maxAttachedShards`, none of them `store` itself (a log's own shard runs
    /// merged into it take the row-by-row path).
    func canCopyAttached(into store: SQLiteDecisionStore) -> Bool {
        guard parts.count <= ShardMerge.maxAttachedShards, let target = ShardMerge.fileID(store.path) else { return false }
        return parts.allSatisfy { part in ShardMerge.fileID(part.absolutePath).map { $0 != target } ?? false }
    }

    /// Device and inode of the file at `path`.
    private static func fileID(_ path: String) -> [UInt64]? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return [UInt64(info.st_dev), UInt64(info.st_ino)]
    }

    /// Attaches each shard's log read-only as `shard1`…`shardN` (outside a transaction, as SQLite
    /// requires), runs `body` with whether they all could be, and detaches them.
    func withShardsAttached<T>(_ db: Database, _ body: (_ attached: Bool) throws -> T) throws -> T {
        var attached: [String] = []
        defer { for name in attached { try? db.execute(sql: "DETACH DATABASE \(name)") } }
        do {
            for (k, part) in parts.enumerated() {
                let name = "shard\(k + 1)"
                let path = part.absolutePath.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? part.absolutePath
                try db.execute(sql: "ATTACH DATABASE ? AS \(name)", arguments: ["file:\(path)?mode=ro"])
                attached.append(name)
            }
        } catch {
            // Read as the row-by-row path reads them (it opened each already).
            return try body(false)
        }
        return try body(true)
    }

    /// The businesses and rejects of the attached shards (`withShardsAttached`), copied into run
    /// `run` by `INSERT … SELECT` in row order, a chunk of rows a statement, their texts, error
    /// messages and decisions blobs remapped by SQL functions. Measured at 1M businesses against
    /// `copyRows`: see BENCHMARKS.md "Session 18".
    ///
    /// Returns false, having written nothing, when the shards' rows are not as their runs counted
    /// (other counts, a row outside 1…read, a row in two shards or both evaluated and rejected) or
    /// a row cannot be copied (a damaged blob): `copyRows` then gives the refusal that names the row.
    func copyRowsAttached(_ db: Database, into run: Int64, interrupt: InterruptSignal?) throws -> Bool {
        do {
            try db.inSavepoint {
                try copyAttached(db, into: run, interrupt: interrupt)
                return .commit
            }
        } catch let stop as MergeInterrupted {
            throw stop
        } catch {
            // Rolled back to the savepoint, texts interned included: the row-by-row path names
            // what is wrong (or reads what SQLite could not read attached).
            return false
        }
        return true
    }

    private func copyAttached(_ db: Database, into run: Int64, interrupt: InterruptSignal?) throws {
        for (k, part) in parts.enumerated() {
            for (table, expected) in [("businesses", part.record.evaluated ?? 0), ("rejects", part.record.rejected ?? 0)] {
                let row = try Row.fetchOne(db, sql: "SELECT count(*), min(row), max(row) FROM shard\(k + 1).\(table) WHERE run = ?",
                                           arguments: [part.record.id])
                let count: Int = row?[0] ?? -1
                let low: Int64 = row?[1] ?? 1, high: Int64 = row?[2] ?? 0
                if count != expected || low < 1 || high > Int64(read) { throw ShardRowsNotAsCounted() }
            }
        }
        let maps = try parts.indices.map { k in try IDMaps(db, shard: "shard\(k + 1)") }
        let fileNames = parts.map(rejectFileNames)
        db.add(function: DatabaseFunction("huiqi_merge_text", argumentCount: 2, pure: true) { values in
            // NULL stays NULL; anything but an id is damage, which the row-by-row path names.
            guard !values[1].isNull else { return nil }
            guard let k = Int.fromDatabaseValue(values[0]), case .int64(let id) = values[1].storage else {
                throw DecisionBlob.Malformed(description: "a street that is not a text id")
            }
            return try maps[k - 1].text(id)
        })
        db.add(function: DatabaseFunction("huiqi_merge_blob", argumentCount: 2, pure: true) { values in
            guard let k = Int.fromDatabaseValue(values[0]), case .blob(let data) = values[1].storage else { return values[1] }
            let map = maps[k - 1]
            return Data(try DecisionBlob.remapped([UInt8](data), text: map.text, error: map.error))
        })
        db.add(function: DatabaseFunction("huiqi_merge_file", argumentCount: 2, pure: true) { values in
            guard let k = Int.fromDatabaseValue(values[0]), let file = String.fromDatabaseValue(values[1]) else { return values[1] }
            return fileNames[k - 1][file] ?? file
        })
        defer {
            for name in ["huiqi_merge_text", "huiqi_merge_blob", "huiqi_merge_file"] {
                db.remove(function: DatabaseFunction(name, argumentCount: 2, pure: true) { _ in nil })
            }
        }
        func union(_ table: String, _ columns: String) -> String {
            parts.enumerated().map { k, part in
                "SELECT \(k + 1) AS k, \(columns) FROM shard\(k + 1).\(table) WHERE run = \(part.record.id) AND row BETWEEN ?1 AND ?2"
            }.joined(separator: " UNION ALL ")
        }
        let businesses = try db.makeStatement(sql: """
            INSERT INTO businesses (run, row, input, line, credit_code, name, street_id, decisions)
            SELECT ?3, row, input, line, credit_code, name, huiqi_merge_text(k, street_id), huiqi_merge_blob(k, decisions)
            FROM (\(union("businesses", "row, input, line, credit_code, name, street_id, decisions"))) ORDER BY row
            """)
        let rejects = try db.makeStatement(sql: """
            INSERT INTO rejects (run, row, file, line, credit_code, field, reason, raw)
            SELECT ?3, row, huiqi_merge_file(k, file), line, credit_code, field, reason, raw
            FROM (\(union("rejects", "row, file, line, credit_code, field, reason, raw"))) ORDER BY row
            """)
        var first: Int64 = 1
        while first <= Int64(read) {
            if let signal = interrupt?.signal { throw MergeInterrupted(signal: signal) }
            let last = first + ShardMerge.attachedChunkRows - 1
            try businesses.execute(arguments: [first, last, run])
            try rejects.execute(arguments: [first, last, run])
            first = last + 1
        }
        // Each table's key refused a row twice in it; a row both evaluated and rejected is found here.
        let both = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM rejects r JOIN businesses b ON b.run = r.run AND b.row = r.row WHERE r.run = ?
            """, arguments: [run]) ?? 0
        if both > 0 { throw ShardRowsNotAsCounted() }
    }

    /// The shards' rows are not as their runs counted them: `copyRows` says how.
    private struct ShardRowsNotAsCounted: Error {}

    /// A shard log's text and error ids → the ids of the same texts and messages in the log
    /// written, every one of them interned there first.
    private struct IDMaps: Sendable {
        var texts: [Int64: Int64] = [:]
        var errors: [Int64: Int64] = [:]

        func text(_ id: Int64) throws -> Int64 {
            guard let mapped = texts[id] else { throw DecisionBlob.Malformed(description: "text \(id) is missing") }
            return mapped
        }

        func error(_ id: Int64) throws -> Int64 {
            guard let mapped = errors[id] else { throw DecisionBlob.Malformed(description: "error \(id) is missing") }
            return mapped
        }

        init(_ db: Database, shard: String) throws {
            try db.execute(sql: "INSERT OR IGNORE INTO main.texts (text) SELECT text FROM \(shard).texts ORDER BY id")
            for row in try Row.fetchAll(db, sql: "SELECT s.id, m.id FROM \(shard).texts s JOIN main.texts m ON m.text = s.text") {
                texts[row[0]] = row[1]
            }
            try db.execute(sql: """
                INSERT INTO main.errors (message, traceback)
                SELECT message, traceback FROM \(shard).errors s
                WHERE NOT EXISTS (SELECT 1 FROM main.errors m WHERE m.message = s.message AND m.traceback IS s.traceback)
                GROUP BY message, traceback ORDER BY min(id)
                """)
            for row in try Row.fetchAll(db, sql: """
                SELECT s.id, (SELECT min(m.id) FROM main.errors m WHERE m.message = s.message AND m.traceback IS s.traceback)
                FROM \(shard).errors s
                """) {
                errors[row[0]] = row[1]
            }
        }
    }
}
