import Foundation
import GRDB
import GRDBSQLite

/// The decision log in one SQLite file (the embedded default store, PRODUCT.md §7), through GRDB.
///
/// WAL journal, so `log runs`/`log show` and `review` work while a run is writing; `synchronous =
/// NORMAL`, so a killed process never loses a committed transaction (a power cut may lose the last
/// few, which a resume then redoes). Other processes wait up to 30 s for the write lock.
///
/// Commands that only read the log open it with `init(readOnly:)`: an SQLite read-only connection
/// that never changes the journal mode, migrates or creates a file, so a log can be read by a user
/// who may not write it or its directory. SQLite can read a WAL-mode file read-only only if its
/// `-wal` and `-shm` files exist (or it can create them, with write access to the directory):
/// writers therefore keep both after closing (persistent WAL, `SQLITE_FCNTL_PERSIST_WAL`), the
/// `-wal` truncated to 0 bytes, the database file complete on its own.
///
///     let store = try SQLiteDecisionStore(readOnly: "huiqi.db")
///     for run in try store.runs() { print(run.id, run.status) }
public final class SQLiteDecisionStore: DecisionStore {
    public let path: String
    /// Whether this store was opened with `init(readOnly:)`: every write fails.
    public let isReadOnly: Bool
    let queue: DatabaseQueue
    /// The page cache of every connection (`PRAGMA cache_size`; negative: KiB).
    static let cacheSize = -32768
    /// The page cache while a run writes (see `sink(forRun:schema:)`).
    static let runCacheSize = -8192

    public var location: String { path }

    /// Opens (and with `create`, creates) the log at `path` for reading and writing, applying
    /// pending migrations. For commands that write: `run`, `review`.
    public init(path: String, create: Bool = true) throws {
        self.path = path
        isReadOnly = false
        if !create && !FileManager.default.fileExists(atPath: path) {
            throw SQLiteDecisionStore.noLog(path)
        }
        try SQLiteDecisionStore.refuseForeignFile(path, create: create)
        if create {
            let parent = URL(fileURLWithPath: path).deletingLastPathComponent()
            try? FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.journalMode = .wal
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in
            // Keep the -wal (emptied) and -shm files when the last connection closes: without
            // them, SQLite cannot read the log read-only where the directory is not writable.
            var persist: CInt = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
            // A large WAL between checkpoints: each checkpoint syncs the file, and a run writes a lot.
            try db.execute(sql: """
                PRAGMA synchronous = NORMAL; PRAGMA cache_size = \(SQLiteDecisionStore.cacheSize);
                PRAGMA wal_autocheckpoint = 16384; PRAGMA journal_size_limit = 67108864
                """)
        }
        let migrator = SQLiteDecisionStore.migrator
        do {
            queue = try SQLiteDecisionStore.open(path: path, configuration: config)
            try SQLiteDecisionStore.migrate(queue, with: migrator, path: path)
        } catch let d as Diagnostic {
            throw d
        } catch {
            throw SQLiteDecisionStore.diagnostic(error, path: path)
        }
        indexStoppedRuns()
    }

    /// Indexes by credit code the stopped runs whose index was not finished: it failed when they
    /// stopped (a full temporary directory), or the process was killed while building it. Best
    /// effort, at every open for writing (`run`, `review`): until it succeeds, lookups by code in
    /// those runs scan their rows (review: such a completed run had stayed unindexed for good).
    private func indexStoppedRuns() {
        let runs = (try? queue.read { db in
            try Int64.fetchAll(db, sql: """
                SELECT id FROM runs
                WHERE status IN ('completed', 'interrupted')
                  AND codes_indexed < coalesce((SELECT max(row) FROM businesses WHERE run = runs.id), 0)
                ORDER BY id
                """)
        }) ?? []
        for run in runs { try? indexCodes(run: run) }
    }

    /// Opens the existing log at `path` for reading only, for commands that only read it (`log`,
    /// `explain`, `lists`): an SQLite read-only connection, so neither the file nor its journal
    /// mode change, and no file is created (SQLite itself creates the `-wal`/`-shm` files of a
    /// WAL-mode log if they are missing and the directory is writable, as for any reader).
    ///
    /// - A missing file is refused; an empty one (a run may be creating it this moment) reads as a
    ///   log without runs, and stays empty.
    /// - A log written by an older huiqi, whose schema needs a migration, is migrated once through
    ///   a read-write connection when that is possible (as opening it always did); when it is not
    ///   (no write access), the error says so and how to upgrade it.
    public init(readOnly path: String) throws {
        self.path = path
        isReadOnly = true
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { throw SQLiteDecisionStore.noLog(path) }
        if isDirectory.boolValue { throw Diagnostic(file: path, "a directory, not a decision log (是目录, 不是决策日志): give --db FILE") }
        try SQLiteDecisionStore.refuseCreatingWALFilesForAnotherOwner(path)
        queue = try SQLiteDecisionStore.openReadOnly(path: path)
    }

    /// A WAL-mode log missing its `-wal`/`-shm` files (one an older huiqi wrote), read by a user who
    /// may not write the log but may write its directory: SQLite's read-only connection would
    /// create both as this user, and the log's owner could then no longer write it ("attempt to
    /// write a readonly database"; found in review). Refused, saying what the owner should do.
    static func refuseCreatingWALFilesForAnotherOwner(_ path: String) throws {
        guard access(path, W_OK) != 0 else { return }
        // Where the directory is not writable either, SQLite cannot create them: its own error (and
        // `openReadOnly`'s message about it) applies.
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        guard access(directory, W_OK) == 0 else { return }
        let companions = ["-wal", "-shm"].map { path + $0 }
        guard companions.contains(where: { !FileManager.default.fileExists(atPath: $0) }) else { return }
        // Only a WAL-mode file (bytes 18 and 19 of the header are 2): a rollback-journal file needs neither.
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 20)) ?? Data()
        guard header.count == 20, header[18] == 2, header[19] == 2 else { return }
        throw Diagnostic(file: path, "its -wal and -shm files are missing (a log an older huiqi wrote): reading it as a user who may not "
                         + "write it would create them as that user, and its owner could then no longer write the log. Ask the owner "
                         + "to run any huiqi command on it once, e.g. `huiqi log runs --db \(path)` (日志缺少 -wal/-shm 文件, 请日志所有者先运行一次 huiqi)")
    }

    static func foreignLog(_ path: String) -> Diagnostic {
        Diagnostic(file: path, "not a huiqi decision log (不是有效的决策日志): the database has tables but no huiqi schema; "
                   + "give --db another file name")
    }

    /// Before a writer opens `path`: refuses a file that is not a huiqi log, leaving it untouched.
    /// Opening for writing switches the file to WAL and adds huiqi's tables, so a mistyped `--db`
    /// naming another program's SQLite database changed it even when the command then failed
    /// (reviewer review). An empty file is a new log for `run` (`create`), no log for `review`.
    static func refuseForeignFile(_ path: String, create: Bool) throws {
        // Through a link too (code review: `--db link.db` to another program's file went through).
        let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: target),
              attributes[.type] as? FileAttributeType == .typeRegular else { return }
        guard (attributes[.size] as? Int ?? 0) > 0 else {
            if create { return }
            throw noLog(path)
        }
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        let state: SchemaState
        do {
            state = try DatabaseQueue(path: path, configuration: config).read { db in try schemaState(db) }
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB {
            throw Diagnostic(file: path, "not an SQLite database, so not a huiqi decision log (不是有效的决策日志); give --db another file name")
        } catch {
            return  // the writer's own open reports anything else (a lock, permissions)
        }
        if state == .foreign { throw foreignLog(path) }
    }

    static func noLog(_ path: String) -> Diagnostic {
        Diagnostic(file: path, "no decision log here (决策日志不存在): run `huiqi run` first, or give --db FILE")
    }

    /// Where a read-only open finds the log's schema.
    enum SchemaState: Equatable {
        /// Every migration of this huiqi applied.
        case current
        /// No tables at all: an empty file (or one a starting run has not migrated yet).
        case empty
        /// Some migrations of this huiqi applied, not all.
        case older(applied: [String])
        /// Migrations this huiqi does not know.
        case newer
        /// Tables, but none of huiqi's migrations: another program's database.
        case foreign
    }

    static func schemaState(_ db: Database) throws -> SchemaState {
        let migrator = SQLiteDecisionStore.migrator
        if try migrator.hasBeenSuperseded(db) { return .newer }
        if try migrator.hasCompletedMigrations(db) { return .current }
        let applied = try migrator.appliedMigrations(db)
        if !applied.isEmpty { return .older(applied: applied) }
        let tables = try Int.fetchOne(db, sql: """
            SELECT count(*) FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
            """) ?? 0
        return tables == 0 ? .empty : .foreign
    }

    private static func openReadOnly(path: String) throws -> DatabaseQueue {
        var config = Configuration()
        config.readonly = true
        config.busyMode = .timeout(30)
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = \(SQLiteDecisionStore.cacheSize)") }
        var upgraded = false
        while true {
            let state: SchemaState
            do {
                let queue = try DatabaseQueue(path: path, configuration: config)
                state = try queue.read { db in try schemaState(db) }
                if state == .current { return queue }
            } catch {
                throw readOnlyDiagnostic(error, path: path)
            }
            // The read-only connection is closed here, before any upgrade.
            switch state {
            case .current:
                continue  // returned above
            case .empty:
                // Nothing to read, and nothing to write into the file: an empty log in memory.
                // (`requireWritable` refuses writes to it.)
                let memory = try DatabaseQueue()
                try migrator.migrate(memory)
                return memory
            case .newer:
                throw newerLog(path)
            case .foreign:
                throw foreignLog(path)
            case .older(let applied):
                let current = migrator.migrations
                if upgraded {
                    throw Diagnostic(file: path, "decision log error: still at schema \(applied.joined(separator: ", ")) after upgrading it to \(current.joined(separator: ", "))")
                }
                do {
                    _ = try SQLiteDecisionStore(path: path, create: false)
                } catch {
                    let cause = (error as? Diagnostic)?.message ?? "\(error)"
                    throw Diagnostic(file: path, """
                        this decision log was written by an older huiqi (日志版本较旧: its schema has \
                        \(applied.joined(separator: ", ")), this huiqi needs \(current.joined(separator: ", "))) and must be \
                        upgraded once, which needs write access to the file and its directory: run `huiqi run` or \
                        `huiqi review` on it, or any huiqi command as a user who may write it, then read it as before \
                        (\(cause))
                        """)
                }
                upgraded = true
            }
        }
    }

    static func newerLog(_ path: String) -> Diagnostic {
        Diagnostic(file: path, "this decision log was written by a newer huiqi (日志版本较新); use a newer huiqi to read it")
    }

    /// A failed read-only open as a diagnostic: SQLite cannot read a WAL-mode log read-only
    /// without its `-wal` and `-shm` files, and cannot create them in a directory it may not write.
    private static func readOnlyDiagnostic(_ error: Error, path: String) -> Diagnostic {
        if let e = error as? DatabaseError, [.SQLITE_READONLY, .SQLITE_CANTOPEN].contains(e.resultCode) {
            let fm = FileManager.default
            if !fm.isReadableFile(atPath: path) {
                return Diagnostic(file: path, "cannot read this decision log (无法读取决策日志): permission denied")
            }
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let missing = ["-wal", "-shm"].map { path + $0 }.filter { !fm.fileExists(atPath: $0) }
            if !missing.isEmpty && !fm.isWritableFile(atPath: directory) {
                let names = missing.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " and ")
                return Diagnostic(file: path, """
                    cannot read this decision log read-only (无法只读打开决策日志): SQLite needs \(names) beside it, which \
                    are missing, and cannot create them in \(directory), which is not writable. Ask the log's owner to \
                    run any huiqi command on it once (e.g. `huiqi log runs --db \(path)`); huiqi \
                    run and review keep them from this version on (\(e.message ?? e.description))
                    """)
            }
            let unreadable = ["-wal", "-shm"].map { path + $0 }.filter { fm.fileExists(atPath: $0) && !fm.isReadableFile(atPath: $0) }
            if !unreadable.isEmpty {
                let names = unreadable.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " and ")
                return Diagnostic(file: path, "cannot read this decision log (无法读取决策日志): \(names) beside it cannot be read (\(e.message ?? e.description))")
            }
        }
        return diagnostic(error, path: path)
    }

    /// Opens the connection. Setting WAL mode on a file another connection is creating or
    /// switching at that moment fails with "database is locked" at once, without the busy
    /// timeout: retry for a few seconds, with jitter, like `migrate`.
    private static func open(path: String, configuration: Configuration) throws -> DatabaseQueue {
        var attempt = 0
        while true {
            do {
                return try DatabaseQueue(path: path, configuration: configuration)
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
                attempt += 1
                if attempt >= 30 { throw error }
                usleep(useconds_t(min(200_000, 10_000 * attempt) + Int.random(in: 0..<10_000)))
            }
        }
    }

    /// Applies pending migrations. Two processes opening a new file at the same moment (a run
    /// starting while `log runs` looks) may both see it empty and both try "v1"; the loser's
    /// attempt fails, and it then finds the schema complete and goes on (or retries while the
    /// winner is still migrating).
    private static func migrate(_ queue: DatabaseQueue, with migrator: DatabaseMigrator, path: String) throws {
        var attempt = 0
        while true {
            do {
                if try queue.read({ db in try migrator.hasBeenSuperseded(db) }) { throw newerLog(path) }
                try migrator.migrate(queue)
                return
            } catch let d as Diagnostic {
                throw d
            } catch let e as DatabaseError where [.SQLITE_READONLY, .SQLITE_CANTOPEN, .SQLITE_PERM].contains(e.resultCode) {
                throw e  // no write access: waiting will not change that
            } catch {
                attempt += 1
                if (try? queue.read({ db in try migrator.hasCompletedMigrations(db) })) == true { return }
                // SQLite answers a lock upgrade that could deadlock with "database is locked" at
                // once, without waiting: retry for a few seconds, with jitter so that openers
                // racing in lockstep spread out.
                if attempt >= 30 { throw error }
                usleep(useconds_t(min(200_000, 10_000 * attempt) + Int.random(in: 0..<10_000)))
            }
        }
    }

    /// The migrations applied to this file, in order ("v1", …).
    public func appliedMigrations() throws -> [String] {
        try translating { try queue.read { db in try SQLiteDecisionStore.migrator.appliedMigrations(db) } }
    }

    /// The tables of the log's schema, sorted.
    public func tableNames() throws -> [String] {
        try translating {
            try queue.read { db in
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'grdb_%' ORDER BY name")
            }
        }
    }

    /// A database error as a user-facing diagnostic naming the file.
    static func diagnostic(_ error: Error, path: String) -> Diagnostic {
        if let d = error as? Diagnostic { return d }
        if let e = error as? DatabaseError {
            let hint: String
            switch e.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: hint = " (数据库正被其他进程占用, the log is locked by another process)"
            case .SQLITE_NOTADB: hint = " (不是有效的决策日志, not a huiqi decision log)"
            // A truncated or overwritten log: what to do, not only what it is (crash-safety review).
            case .SQLITE_CORRUPT: hint = " (日志已损坏, not a huiqi decision log any more: it is damaged; restore the .db file "
                + "with its -wal and -shm from a backup, or run the batch again into a new log)"
            // Sorting (log diff, the run's code index) fills SQLite's temporary directory, not the
            // log's disk (crash-safety review: an operator freed space beside the log in vain).
            case .SQLITE_FULL: hint = " (磁盘已满, disk full: the log's disk, or SQLite's temporary directory "
                + "(SQLITE_TMPDIR, else TMPDIR, /var/tmp or /tmp), where it sorts; 日志所在磁盘或 SQLite 临时目录已满)"
            // SQLite says only "disk I/O error"; a write past `ulimit -f` (EFBIG) is one.
            case .SQLITE_IOERR: hint = " (读写出错: 磁盘已满、超出文件大小限制 ulimit -f 或磁盘故障; disk full, file-size limit or failing disk)"
            case .SQLITE_CANTOPEN: hint = SQLiteDecisionStore.cannotOpenHint(path: path)
            case .SQLITE_READONLY: hint = " (只读, read-only)"
            default: hint = ""
            }
            return Diagnostic(file: path, "decision log error: \(e.message ?? e.description)\(hint)")
        }
        return Diagnostic(file: path, "decision log error: \(error)")
    }

    /// Why a log cannot be opened, when the file system tells: SQLite says only "unable to open
    /// database file" (operator review: a log in a directory the user may not write to).
    static func cannotOpenHint(path: String) -> String {
        let url = URL(fileURLWithPath: path)
        let directory = url.deletingLastPathComponent().path
        let fm = FileManager.default
        if fm.fileExists(atPath: path) {
            if !fm.isReadableFile(atPath: path) { return " (无法打开: 没有读取该文件的权限; cannot open: no permission to read the file)" }
            if !fm.isWritableFile(atPath: directory) {
                return " (无法打开: 没有写目录 \(directory) 的权限, SQLite 需要在日志旁建 -wal/-shm 文件; cannot open: no permission to write its directory, where SQLite keeps the log's -wal and -shm files)"
            }
        } else if fm.fileExists(atPath: directory), !fm.isWritableFile(atPath: directory) {
            return " (无法创建: 没有写目录 \(directory) 的权限, 请用 --db 指定可写的位置; cannot create it: no permission to write \(directory), give --db somewhere writable)"
        }
        return " (无法打开, cannot open)"
    }

    /// Refuses a write to a store opened read-only. (SQLite refuses it too, except for the empty
    /// in-memory log standing in for an empty file.)
    func requireWritable() throws {
        if isReadOnly {
            throw Diagnostic(file: path, "decision log opened read-only (只读, read-only): this command cannot write to it")
        }
    }

    /// Runs `body`, turning database errors into diagnostics naming the log.
    func translating<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let list as DiagnosticList {
            throw list
        } catch let stop as MergeInterrupted {
            throw stop
        } catch {
            throw SQLiteDecisionStore.diagnostic(error, path: path)
        }
    }

    // MARK: - Runs

    public func createRun(_ p: RunProvenance, startedAt: String, rejectsPath: ((Int64) throws -> String)?) throws -> Int64 {
        try requireWritable()
        guard p.services.count <= DecisionID.maxSlot + 1 else {
            throw Diagnostic(file: path, "a run can log at most \(DecisionID.maxSlot + 1) services, the plan has \(p.services.count)")
        }
        return try translating {
            try queue.write { db in
                let run = try SQLiteDecisionStore.insertRun(db, p, startedAt: startedAt)
                if let rejectsPath {
                    try db.execute(sql: "UPDATE runs SET rejects_path = ? WHERE id = ?", arguments: [rejectsPath(run), run])
                }
                return run
            }
        }
    }

    /// Inserts a run, `running`, with its provenance (inputs, services, rules and their condition
    /// labels) in `db`'s transaction; returns its id. `createRun`, and `ShardMerge` for a merged run.
    static func insertRun(_ db: Database, _ p: RunProvenance, startedAt: String) throws -> Int64 {
        try db.execute(sql: """
            INSERT INTO runs (started_at, status, as_of, rules_dir, rules_path, rules_sha256, catalog_version,
              schema_sha256, tool_version, jobs, encoding, allow_extra, max_instructions, max_memory_bytes,
              out_path, rejects_path, command_line, working_directory, pid, host, process_start, shard, shards)
            VALUES (?, 'running', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [startedAt, p.asOf, p.rulesDirectory, p.rulesPath, p.rulesSHA256, p.catalogVersion,
                             p.schemaSHA256, p.toolVersion, p.jobs, p.encoding.rawValue, p.allowExtra,
                             p.maxInstructions, p.maxMemoryBytes, p.outPath, p.rejectsPath, p.commandLine,
                             p.workingDirectory, Int64(p.process.pid), p.process.host, p.process.startTicks,
                             p.shard?.index, p.shard?.count])
        let run = db.lastInsertedRowID
        for input in p.inputs {
            try db.execute(sql: """
                INSERT INTO run_inputs (run, ordinal, path, absolute_path, sha256, size, rows, rejected, encoding)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, input.ordinal, input.path, input.absolutePath, input.sha256, input.size,
                                 input.rows, input.rejected, input.encoding])
        }
        for s in p.services {
            try db.execute(sql: """
                INSERT INTO run_services (run, slot, service_id, name, category, mode, provider, source, params)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, s.slot, s.id, s.name, s.category, s.mode, s.provider, s.source, s.paramsJSON])
        }
        for r in p.rules {
            try db.execute(sql: """
                INSERT INTO run_rules (run, rule_index, rule_id, service_id, file, has_evaluate, sha256, modules)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [run, r.index, r.id, r.serviceID, r.file, r.hasEvaluate, r.sourceSHA256, r.modules])
            for (k, label) in r.conditionLabels.enumerated() {
                try db.execute(sql: "INSERT INTO rule_conditions (run, rule_index, position, label) VALUES (?, ?, ?, ?)",
                               arguments: [run, r.index, k + 1, label])
            }
        }
        return run
    }

    public func sink(forRun run: Int64, schema: Schema) throws -> DecisionSink {
        try requireWritable()
        let record = try requireRun(run)
        // A run only appends: a small cache holds a commit's pages. At the log's 32 MiB the cache
        // filled during a 5M-row run and its peak RSS reached 295,288 KB (302 MB, over the 300 MB
        // target); with 8 MiB, 252,572 KB in the same hour, and no slower (`/usr/bin/time`, one run
        // each; the bench's writing stage at 300k rows: 5.6–7.0 µs a business against 5.5–6.3).
        // The code index gives the connection the log's own cache back when the run stops.
        try queue.inDatabase { db in try db.execute(sql: "PRAGMA cache_size = \(SQLiteDecisionStore.runCacheSize)") }
        return SQLiteLogSink(store: self, run: record, schema: schema)
    }

    public func reopenRun(_ id: Int64, process: ProcessIdentity) throws -> RunRecord {
        try requireWritable()
        let record = try requireRun(id)
        switch record.recordedStatus {
        case .completed:
            throw Diagnostic(file: path, "run \(id) is already completed (运行 \(id) 已完成), nothing to resume")
        case .running where !record.provenance.process.isGone:
            let p = record.provenance.process
            let whereText = p.isLocal ? "process \(p.pid)" : "process \(p.pid) on host \(p.host)"
            throw Diagnostic(file: path, "run \(id) is still running (运行 \(id) 仍在进行: \(whereText)); stop it first, or wait for it to finish")
        default:
            break
        }
        try translating {
            try queue.write { db in
                // Re-check inside the write transaction: two resumes must not both take the run.
                let status = try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = ?", arguments: [id])
                let pid = try Int64.fetchOne(db, sql: "SELECT pid FROM runs WHERE id = ?", arguments: [id])
                guard status == record.recordedStatus.rawValue, pid == Int64(record.provenance.process.pid) else {
                    throw Diagnostic(file: path, "run \(id) was taken over by another process meanwhile (运行 \(id) 已被其他进程接管)")
                }
                try db.execute(sql: """
                    UPDATE runs SET status = 'running', ended_at = NULL, pid = ?, host = ?, process_start = ? WHERE id = ?
                    """, arguments: [Int64(process.pid), process.host, process.startTicks, id])
            }
        }
        return try requireRun(id)
    }

    public func finishRun(_ run: Int64, read: Int, evaluated: Int, rejected: Int, inputs: [FileCount], endedAt: String) throws {
        try requireWritable()
        try translating {
            try queue.write { db in
                try db.execute(sql: """
                    UPDATE runs SET status = 'completed', ended_at = ?, read = ?, evaluated = ?, rejected = ?, rows_committed = ?
                    WHERE id = ?
                    """, arguments: [endedAt, read, evaluated, rejected, read, run])
                for (ordinal, count) in inputs.enumerated() {
                    // The digest of the bytes the run read: the file as evaluated, if it changed after the start.
                    try db.execute(sql: """
                        UPDATE run_inputs SET rows = ?, rejected = ?, encoding = ?, sha256 = coalesce(?, sha256), size = coalesce(?, size)
                        WHERE run = ? AND ordinal = ?
                        """, arguments: [count.read, count.rejected, count.encoding?.rawValue, count.sha256, count.size, run, ordinal])
                }
            }
        }
    }

    public func markRun(_ run: Int64, status: RunStatus, endedAt: String?) throws {
        try requireWritable()
        try translating {
            try queue.write { db in
                try db.execute(sql: "UPDATE runs SET status = ?, ended_at = coalesce(?, ended_at) WHERE id = ?",
                               arguments: [status.rawValue, endedAt, run])
            }
        }
    }

    public func indexCodes(run: Int64) throws {
        try requireWritable()
        // One transaction with the sorter set up so, then the connection's own settings back,
        // outside it: a statement failing with SQLITE_FULL rolls the whole transaction back, and
        // GRDB then refuses any statement in it (a restore there hid the cause behind
        // "Transaction was aborted"). A restore that fails leaves a smaller cache: slower, not wrong.
        func attempt(sorterCache: Int, sorterThreads: Int) throws {
            defer {
                try? queue.inDatabase { db in
                    try db.execute(sql: "PRAGMA cache_size = \(SQLiteDecisionStore.cacheSize); PRAGMA threads = 0")
                }
            }
            try queue.write { db in
                try SQLiteDecisionStore.indexCodes(db, run: run, sorterCache: sorterCache, sorterThreads: sorterThreads)
            }
        }
        try translating {
            do {
                try attempt(sorterCache: -4096, sorterThreads: 2)
            } catch {
                // Past 4 MiB a sorter thread's rows go to temporary files (SQLITE_TMPDIR, TMPDIR,
                // /var/tmp, /tmp): where those are small, once more as SQLite sorts by default, in
                // memory up to the log's cache (review).
                try attempt(sorterCache: SQLiteDecisionStore.cacheSize, sorterThreads: 0)
            }
        }
    }

    public func runs() throws -> [RunRecord] {
        try translating { try queue.read { db in try loadRuns(db, id: nil) } }
    }

    public func run(_ id: Int64) throws -> RunRecord? {
        try translating { try queue.read { db in try loadRuns(db, id: id).first } }
    }

    public func rowsCommitted(run: Int64) throws -> Int {
        try translating {
            try queue.read { db in try Int.fetchOne(db, sql: "SELECT rows_committed FROM runs WHERE id = ?", arguments: [run]) ?? 0 }
        }
    }

    public func moduleChanges(run: Int64) throws -> [RunSummary.ModuleChange] {
        try translating {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT first_row, last_row, change FROM module_changes WHERE run = ? ORDER BY first_row",
                                 arguments: [run]).map { RunSummary.ModuleChange(rows: Int($0[0] as Int64)...Int($0[1] as Int64), change: $0[2]) }
            }
        }
    }

    public func outcomeCounts(run: Int64) throws -> [String: [Outcome: Int]] {
        let record = try requireRun(run)
        return try translating {
            try queue.read { db in
                var counts: [String: [Outcome: Int]] = [:]
                // Tallied by slot and code first: one blob per business, decoded here.
                var tallies: [[Int]] = Array(repeating: Array(repeating: 0, count: 5), count: record.services.count)
                let decoder = LogRowDecoder(run: record)
                let rows = try Row.fetchCursor(db, sql: "SELECT row, decisions FROM businesses WHERE run = ? AND decisions IS NOT NULL", arguments: [run])
                while let row = try rows.next() {
                    let entries = try decoder.entries(row[1], row: row[0], path: path)
                    for (slot, e) in entries.enumerated() where slot < tallies.count && (1...4).contains(e.outcome) { tallies[slot][e.outcome] += 1 }
                }
                for (slot, row) in tallies.enumerated() {
                    guard let service = record.service(slot: slot) else { continue }
                    for (code, n) in row.enumerated() where n > 0 {
                        guard let outcome = Outcome(logCode: code) else { continue }
                        counts[service.id, default: [:]][outcome, default: 0] += n
                    }
                }
                return counts
            }
        }
    }

    /// Runs with everything they recorded; one query per table, grouped here.
    private func loadRuns(_ db: Database, id: Int64?) throws -> [RunRecord] {
        let filter = id == nil ? "" : " WHERE run = ?"
        let args: StatementArguments = id.map { [$0] } ?? []
        var inputs: [Int64: [RunInput]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM run_inputs\(filter) ORDER BY run, ordinal", arguments: args) {
            inputs[r["run"], default: []].append(RunInput(
                ordinal: r["ordinal"], path: r["path"], absolutePath: r["absolute_path"], sha256: r["sha256"], size: r["size"],
                rows: r["rows"], rejected: r["rejected"], encoding: r["encoding"]))
        }
        var services: [Int64: [LoggedService]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM run_services\(filter) ORDER BY run, slot", arguments: args) {
            services[r["run"], default: []].append(LoggedService(
                slot: r["slot"], id: r["service_id"], name: r["name"], category: r["category"], mode: r["mode"],
                provider: r["provider"], source: r["source"], params: LoggedService.params(fromJSON: r["params"])))
        }
        var labels: [Int64: [Int: [String]]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT run, rule_index, label FROM rule_conditions\(filter) ORDER BY run, rule_index, position",
                                  arguments: args) {
            labels[r[0], default: [:]][r[1], default: []].append(r[2])
        }
        var rules: [Int64: [LoggedRule]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM run_rules\(filter) ORDER BY run, rule_index", arguments: args) {
            let run: Int64 = r["run"], index: Int = r["rule_index"]
            rules[run, default: []].append(LoggedRule(
                index: index, id: r["rule_id"], serviceID: r["service_id"], file: r["file"],
                conditionLabels: labels[run]?[index] ?? [], hasEvaluate: r["has_evaluate"], sourceSHA256: r["sha256"],
                modules: r["modules"]))
        }
        var parts: [Int64: [RunPart]] = [:]
        for r in try Row.fetchAll(db, sql: "SELECT * FROM run_parts\(filter) ORDER BY run, shard", arguments: args) {
            parts[r["run"], default: []].append(RunPart(
                shard: r["shard"], sourceLog: r["source_log"], sourceRun: r["source_run"], host: r["host"],
                commandLine: r["command_line"], startedAt: r["started_at"], endedAt: r["ended_at"], evaluated: r["evaluated"],
                rejected: r["rejected"]))
        }
        let runFilter = id == nil ? "" : " WHERE id = ?"
        return try Row.fetchAll(db, sql: "SELECT * FROM runs\(runFilter) ORDER BY id", arguments: args).map { r in
            let run: Int64 = r["id"]
            let encodingName: String = r["encoding"]
            let provenance = RunProvenance(
                asOf: r["as_of"], rulesDirectory: r["rules_dir"], rulesPath: r["rules_path"], rulesSHA256: r["rules_sha256"],
                catalogVersion: r["catalog_version"], schemaSHA256: r["schema_sha256"], toolVersion: r["tool_version"],
                jobs: r["jobs"], encoding: InputEncoding(rawValue: encodingName) ?? .auto, allowExtra: r["allow_extra"],
                maxInstructions: r["max_instructions"], maxMemoryBytes: r["max_memory_bytes"], outPath: r["out_path"],
                rejectsPath: r["rejects_path"], commandLine: r["command_line"], workingDirectory: r["working_directory"],
                process: ProcessIdentity(pid: Int32(truncatingIfNeeded: r["pid"] as Int64), host: r["host"],
                                         startTicks: r["process_start"]),
                inputs: inputs[run] ?? [], services: services[run] ?? [], rules: rules[run] ?? [],
                shard: (r["shard"] as Int?).flatMap { k in (r["shards"] as Int?).flatMap { RunShard(index: k, count: $0) } })
            let statusText: String = r["status"]
            return RunRecord(id: run, provenance: provenance, startedAt: r["started_at"], endedAt: r["ended_at"],
                             recordedStatus: RunStatus(rawValue: statusText) ?? .interrupted,
                             rowsCommitted: r["rows_committed"], read: r["read"], evaluated: r["evaluated"], rejected: r["rejected"],
                             mergedShards: (r["shard"] as Int?) == nil ? r["shards"] as Int? : nil, parts: parts[run] ?? [])
        }
    }
}
