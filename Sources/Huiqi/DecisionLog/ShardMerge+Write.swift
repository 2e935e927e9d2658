import Foundation
import GRDB

extension ShardMerge {
    /// Writes the merged run into `store` in one transaction (a refusal on the way, such as an
    /// input row two shards both have, leaves the log as it was), then indexes it by credit code.
    /// Returns the new run, and a warning when that index could not be built (as `huiqi run`:
    /// every decision is logged, lookups by code scan until a later writer builds it).
    ///
    /// The merged run: the shards' common provenance, `shards = N` and no shard, completed,
    /// started when the first shard started and ended when the last ended; read the common count,
    /// evaluated and rejected summed (per input too); the merge's command line, directory and
    /// process; no `--out` or rejects file of its own (each shard wrote its own). Its businesses
    /// and rejects are the shards', in row order as an unsplit run writes them, their texts and
    /// error messages interned anew in `store`; `run_parts` says where each shard came from.
    /// Reviews recorded in a shard's log of its run are copied (new ids; verdict, reviewer, time,
    /// note and amount kept); reviews there of earlier runs are not: they belong to that log.
    ///
    /// `interrupt`: a signal received while rows are copied stops the merge (`MergeInterrupted`),
    /// the transaction rolled back, so the log is as it was.
    public func write(into store: SQLiteDecisionStore, commandLine: String, workingDirectory: String,
                      process: ProcessIdentity = .current, interrupt: InterruptSignal? = nil) throws -> (run: RunRecord, warning: Diagnostic?) {
        try store.requireWritable()
        let provenance = mergedProvenance(commandLine: commandLine, workingDirectory: workingDirectory, process: process)
        let startedAt = parts.map(\.record.startedAt).min() ?? ISOTimestamp.now()
        let endedAt = parts.compactMap(\.record.endedAt).max() ?? ISOTimestamp.now()
        // The run's cache while writing, as a run's sink (see `SQLiteDecisionStore.sink`); the
        // code index gives the connection the log's own back.
        try store.translating { try store.queue.inDatabase { db in try db.execute(sql: "PRAGMA cache_size = \(SQLiteDecisionStore.runCacheSize)") } }
        let attach = canCopyAttached(into: store)
        let run = try store.translating {
            try store.queue.writeWithoutTransaction { db in
                // Shard logs are attached outside the transaction (SQLite refuses it inside).
                try attach ? withShardsAttached(db) { attached in try writeRun(db, attached: attached) } : writeRun(db, attached: false)
            }
        }
        /// The run, its parts and its rows, in one transaction.
        func writeRun(_ db: Database, attached: Bool) throws -> Int64 {
            var run: Int64 = 0
            try db.inTransaction {
                run = try SQLiteDecisionStore.insertRun(db, provenance, startedAt: startedAt)
                try db.execute(sql: """
                    UPDATE runs SET status = 'completed', ended_at = ?, read = ?, evaluated = ?, rejected = ?, rows_committed = ?,
                      shard = NULL, shards = ?
                    WHERE id = ?
                    """, arguments: [endedAt, read, evaluated, rejected, read, parts.count, run])
                for part in parts {
                    let r = part.record
                    try db.execute(sql: """
                        INSERT INTO run_parts (run, shard, source_log, source_run, host, command_line, started_at, ended_at, evaluated, rejected)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [run, part.shard.index, part.absolutePath, r.id, r.provenance.process.host, r.provenance.commandLine,
                                         r.startedAt, r.endedAt, r.evaluated ?? 0, r.rejected ?? 0])
                }
                if !(attached ? try copyRowsAttached(db, into: run, interrupt: interrupt) : false) {
                    try copyRows(db, into: run, interrupt: interrupt)
                }
                try copyModuleChanges(db, into: run)
                try copyReviews(db, into: run, log: store.path)
                return .commit
            }
            return run
        }
        var warning: Diagnostic?
        do {
            try store.indexCodes(run: run)
        } catch {
            let cause = (error as? Diagnostic)?.message ?? String(describing: error)
            warning = Diagnostic(.warning, file: store.location,
                                 "the merged run's index by credit code was not built (未建立信用代码索引): \(cause). Every decision is "
                                 + "merged; until the next command that writes this log builds it, looking a business up by code in "
                                 + "this run scans its rows")
        }
        return (try store.requireRun(run), warning)
    }

    /// Shard 1's provenance (the others' shared keys are equal), with the merge's own command,
    /// directory and process, each input's rejected rows summed over the shards, and the largest
    /// `--jobs` (it never changes a decision).
    private func mergedProvenance(commandLine: String, workingDirectory: String, process: ProcessIdentity) -> RunProvenance {
        var p = parts[0].record.provenance
        p.commandLine = commandLine
        p.workingDirectory = workingDirectory
        p.process = process
        p.outPath = nil
        p.rejectsPath = nil
        p.shard = nil
        p.jobs = parts.map(\.record.provenance.jobs).max() ?? p.jobs
        p.inputs = p.inputs.map { input in
            var merged = input
            merged.rejected = parts.reduce(0) { sum, part in
                sum + (part.record.provenance.inputs.first { $0.ordinal == input.ordinal }?.rejected ?? 0)
            }
            return merged
        }
        return p
    }

    /// Copies every shard's businesses and rejects into `run`, walking them side by side in row
    /// order (a page of each at a time, `ShardRowOrder`): a row that two of them have (or that one shard both
    /// evaluated and rejected) is refused, as is a row past the input's, and each shard must hold
    /// as many as its run counted. With no row twice, in 1…read, and the counts adding up to
    /// read (checked by `init`), the shards' rows are exactly the input's.
    private func copyRows(_ db: Database, into run: Int64, interrupt: InterruptSignal?) throws {
        let n = parts.count
        let pageSize = max(64, 16_384 / n)
        let streams = parts.map {
            ShardRows(store: $0.store, run: $0.record.id, table: "businesses",
                      columns: "input, line, credit_code, name, street_id, decisions", pageSize: pageSize)
        } + parts.map {
            ShardRows(store: $0.store, run: $0.record.id, table: "rejects", columns: "file, line, credit_code, field, reason, raw", pageSize: pageSize)
        }
        let copiers = parts.map { LogTextCopier(from: $0.store) }
        let fileNames = parts.map(rejectFileNames)
        let insertBusinessSQL = """
            INSERT INTO businesses (run, row, input, line, credit_code, name, street_id, decisions) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """
        let insertBusiness = try db.makeStatement(sql: insertBusinessSQL)
        // The usual row (a blob of decisions, a code and a name) through the C API: GRDB's arguments
        // took about 20k of the merge's 85k instructions a business (callgrind, 100k rows).
        let insertBusinessRaw = try SQLiteRawStatement(db, sql: insertBusinessSQL)
        let insertReject = try db.makeStatement(sql: """
            INSERT INTO rejects (run, row, file, line, credit_code, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """)
        var counts = Array(repeating: 0, count: 2 * n)
        func what(_ stream: Int) -> String {
            "\(parts[stream % n].name) (shard \(parts[stream % n].shard), \(stream < n ? "evaluated 已评估" : "rejected 已拒收"))"
        }
        var order = try ShardRowOrder(streams)
        var copied = 0
        while true {
            // Every 4,096 rows (from the first): a signal stops the merge, rolled back.
            if copied & 0xFFF == 0, let signal = interrupt?.signal { throw MergeInterrupted(signal: signal) }
            copied += 1
            let next: (stream: Int, row: Int64, values: Row)
            do {
                guard let lowest = try order.next() else { break }
                next = lowest
            } catch let overlap as ShardRowOrder.Overlap {
                throw Diagnostic(.error, "input row \(overlap.row) is in two shards (行重叠): \(what(overlap.first)) and \(what(overlap.second)); "
                                 + "these logs are not the shards of one split run")
            }
            let part = parts[next.stream % n]
            guard next.row >= 1 && next.row <= Int64(read) else {
                throw Diagnostic(file: part.source.path, "\(what(next.stream)) has input row \(next.row), past the \(read) rows read (行号超出范围)")
            }
            let r = next.values
            if next.stream < n {
                let copier = copiers[next.stream]
                // Storage checked, not converted: GRDB's conversion of a damaged value is a crash.
                let street: Int64?
                switch (r[5] as DatabaseValue).storage {
                case .null: street = nil
                case .int64(let id): street = try copier.text(id, into: db)
                default: throw Diagnostic(file: part.source.path, "run \(part.record.id) row \(next.row): its street is not a text id (决定数据已损坏)")
                }
                var decisions: DatabaseValue = r[6]
                if case .blob(let data) = decisions.storage {
                    do {
                        decisions = Data(try DecisionBlob.remapped([UInt8](data), text: { try copier.text($0, into: db) },
                                                                   error: { try copier.error($0, into: db) })).databaseValue
                    } catch let malformed as DecisionBlob.Malformed {
                        throw Diagnostic(file: part.source.path, "run \(part.record.id) row \(next.row): \(malformed) (决定数据已损坏)")
                    }
                }
                // Storages checked, not converted: a conversion GRDB cannot make is a crash, not an error.
                if case .blob(let blob) = decisions.storage, case .int64(let input) = (r[1] as DatabaseValue).storage,
                   case .int64(let line) = (r[2] as DatabaseValue).storage, case .string(let code) = (r[3] as DatabaseValue).storage,
                   case .string(let name) = (r[4] as DatabaseValue).storage {
                    insertBusinessRaw.bind(1, run)
                    insertBusinessRaw.bind(2, next.row)
                    insertBusinessRaw.bind(3, input)
                    insertBusinessRaw.bind(4, line)
                    insertBusinessRaw.bind(5, code)
                    insertBusinessRaw.bind(6, name)
                    insertBusinessRaw.bind(7, street)
                    blob.withUnsafeBytes { insertBusinessRaw.bind(8, blob: $0) }
                    try insertBusinessRaw.step()
                } else {
                    // A damaged or older row keeps its values as they are, whatever their types.
                    try insertBusiness.execute(arguments: [run, next.row, r[1] as DatabaseValue, r[2] as DatabaseValue, r[3] as DatabaseValue,
                                                           r[4] as DatabaseValue, street, decisions])
                }
            } else {
                let file = (r[1] as String?).flatMap { fileNames[next.stream - n][$0] }.map(\.databaseValue) ?? r[1]
                try insertReject.execute(arguments: [run, next.row, file, r[2] as DatabaseValue, r[3] as DatabaseValue,
                                                     r[4] as DatabaseValue, r[5] as DatabaseValue, r[6] as DatabaseValue])
            }
            try order.advance()
            counts[next.stream] += 1
        }
        for (k, part) in parts.enumerated() {
            let counted = (evaluated: part.record.evaluated ?? 0, rejected: part.record.rejected ?? 0)
            guard counts[k] == counted.evaluated, counts[n + k] == counted.rejected else {
                throw Diagnostic(file: part.source.path, "\(part.name) holds \(counts[k]) businesses and \(counts[n + k]) rejected rows, "
                                 + "but the run counted \(counted.evaluated) evaluated and \(counted.rejected) rejected (日志与运行计数不符)")
            }
        }
    }

    /// How `part`'s rejects name each input, to the name shard 1's give it: each machine may have
    /// the input at another path (the same bytes: same SHA-256), and the merged run is shard 1's
    /// inputs, so that one input has one name in `log rejects`. Empty for shard 1.
    func rejectFileNames(_ part: Part) -> [String: String] {
        var names: [String: String] = [:]
        for (mine, first) in zip(part.record.provenance.inputs, parts[0].record.provenance.inputs) where mine.path != first.path {
            // A reject names its file as the reader does: the path given, as a file URL's relative path.
            let merged = URL(fileURLWithPath: first.path).relativePath
            for name in [URL(fileURLWithPath: mine.path).relativePath, mine.path, mine.absolutePath] { names[name] = merged }
        }
        return names
    }

    /// The shards' chunks of rows during which rule code changed a module's tables. Two shards'
    /// chunks may start at the same row (each commits its own chunks): one entry then, to the
    /// later end, with both changes when they differ.
    private func copyModuleChanges(_ db: Database, into run: Int64) throws {
        var changes: [Int: (last: Int, change: String)] = [:]
        for part in parts {
            for m in try part.store.moduleChanges(run: part.record.id) {
                if let known = changes[m.rows.lowerBound] {
                    let change = known.change == m.change || known.change.contains("; " + m.change) ? known.change : known.change + "; " + m.change
                    changes[m.rows.lowerBound] = (max(known.last, m.rows.upperBound), change)
                } else {
                    changes[m.rows.lowerBound] = (m.rows.upperBound, m.change)
                }
            }
        }
        for (first, m) in changes.sorted(by: { $0.key < $1.key }) {
            try db.execute(sql: "INSERT INTO module_changes (run, first_row, last_row, change) VALUES (?, ?, ?, ?)",
                           arguments: [run, first, m.last, m.change])
        }
    }

    /// Reviews of each shard run, recorded in its log, shard by shard in the order they were made
    /// (a business × service is in one shard, so the reviews of one decision keep their order).
    private func copyReviews(_ db: Database, into run: Int64, log: String) throws {
        let insert = try db.makeStatement(sql: """
            INSERT INTO reviews (run, row, slot, credit_code, service_id, outcome, verdict, reviewer, reviewed_at, note, amount, rule_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        for part in parts {
            try part.store.translating {
                try part.store.queue.read { source in
                    let reviews = try Row.fetchCursor(source, sql: """
                        SELECT row, slot, credit_code, service_id, outcome, verdict, reviewer, reviewed_at, note, amount, rule_id
                        FROM reviews WHERE run = ? ORDER BY id
                        """, arguments: [part.record.id])
                    while let r = try reviews.next() {
                        var arguments: [DatabaseValue] = [run.databaseValue]
                        for k in 0..<11 { arguments.append(r[k]) }
                        // An error here is the merged log's (the shard's is only read).
                        do {
                            try insert.execute(arguments: StatementArguments(arguments))
                        } catch {
                            throw SQLiteDecisionStore.diagnostic(error, path: log)
                        }
                    }
                }
            }
        }
    }
}

/// Thrown out of `ShardMerge.write` stopped by SIGINT, SIGTERM or SIGHUP: nothing was written.
public struct MergeInterrupted: Error, Sendable, CustomStringConvertible {
    public var signal: Int32

    public var description: String { "merge interrupted by signal \(signal); nothing was written (合并已中断, 未写入)" }
}
