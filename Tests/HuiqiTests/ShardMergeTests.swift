import Foundation
import GRDB
@testable import Huiqi
import TestSupport
import Testing

/// `ShardMerge` (`huiqi log merge`): the shard runs of one split run, put back together, read as
/// the unsplit run; anything that is not the N completed shards of one split run is refused
/// before the log written is touched.
@Suite struct ShardMergeTests {
    /// One input, run whole or as shards, each into a fresh log of its own.
    private struct SplitInput {
        let fixture: DecisionLogFixture
        let loaded: LoadedBundle
        let profiles: String

        init(rows: Int = 240, rejectEvery: Int? = 7) throws {
            fixture = try DecisionLogFixture()
            loaded = try fixture.bundle.load()
            profiles = try fixture.writeProfiles(rows: rows, rejectEvery: rejectEvery)
        }

        /// Runs the input (the shard `shard`, or all of it) into the log `name`; returns the log's path and the run.
        @discardableResult
        func run(into name: String, shard: RunShard? = nil, asOf: String = "2025-06-01", jobs: Int = 2,
                 input: String? = nil) throws -> (path: String, run: Int64) {
            let path = fixture.path(name)
            let store = try SQLiteDecisionStore(path: path)
            var options = BatchRun.Options(inputs: [input ?? profiles], asOf: asOf, outPath: nil,
                                           rejectsPath: fixture.path("rejects-\(UUID().uuidString).csv"), jobs: jobs, chunkSize: 32)
            options.shard = shard
            let logged = try LoggedRun.start(store: store, loaded: loaded, options: options, commandLine: "huiqi run (test)")
            _ = try logged.execute()
            return (path, logged.runID)
        }

        /// Runs the `n` shards, shard k into `prefix`k.db; returns the logs' paths by shard.
        func shards(_ n: Int, prefix: String = "shard") throws -> [String] {
            try (1...n).map { k in try run(into: "\(prefix)\(k).db", shard: RunShard(index: k, count: n)).path }
        }

        func merge(_ sources: [String], into name: String) throws -> RunRecord {
            let merge = try ShardMerge(sources: sources.map(ShardMerge.Source.init(argument:)))
            return try merge.write(into: SQLiteDecisionStore(path: fixture.path(name)), commandLine: "huiqi log merge (test)",
                                   workingDirectory: fixture.path(".")).run
        }

        /// The refusal `write` gives merging `sources` (which `ShardMerge(sources:)` accepts) into the log `name`.
        func writeRefusal(_ sources: [String], into name: String) throws -> Diagnostic? {
            let merge = try ShardMerge(sources: sources.map { ShardMerge.Source(path: $0) })
            return #expect(throws: Diagnostic.self) {
                _ = try merge.write(into: SQLiteDecisionStore(path: fixture.path(name)), commandLine: "huiqi log merge (test)", workingDirectory: "/")
            }
        }

        /// The refusal `ShardMerge(sources:)` gives, as text.
        func refusal(_ sources: [String]) -> String {
            do {
                _ = try ShardMerge(sources: sources.map(ShardMerge.Source.init(argument:)))
                return "(merged)"
            } catch {
                return "\(error)"
            }
        }
    }

    private static func edit(_ path: String, _ sql: String) throws {
        try DatabaseQueue(path: path).write { db in try db.execute(sql: sql) }
    }

    /// The last business of the shard log at `path` takes input row `row` instead (one another
    /// shard has); the run's counts stay as they were.
    private static func claim(_ row: Int, in path: String) throws {
        try edit(path, "UPDATE businesses SET row = \(row) WHERE row = (SELECT max(row) FROM businesses)")
    }

    @Test func theMergedRunReadsAsTheUnsplitRun() throws {
        let input = try SplitInput()
        let whole = try input.run(into: "whole.db")
        let merged = try input.merge(try input.shards(3), into: "merged.db")
        let a = try SQLiteDecisionStore(readOnly: whole.path), b = try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db"))
        let expected = try a.requireRun(whole.run)
        #expect(merged.id == whole.run)
        #expect(merged.status == .completed && merged.mergedShards == 3 && merged.provenance.shard == nil)
        #expect(merged.read == expected.read && merged.evaluated == expected.evaluated && merged.rejected == expected.rejected)
        #expect(merged.rowsCommitted == expected.read)
        #expect(merged.provenance.inputs.map(\.rows) == expected.provenance.inputs.map(\.rows))
        #expect(merged.provenance.inputs.map(\.rejected) == expected.provenance.inputs.map(\.rejected))
        #expect(merged.provenance.services == expected.provenance.services && merged.provenance.rules == expected.provenance.rules)
        #expect((expected.rejected ?? 0) > 0)

        let decisions = try b.decisions(run: merged.id)
        #expect(decisions == (try a.decisions(run: whole.run)))
        // Rule errors (their messages and tracebacks are interned per log), per-business reasons and streets came along.
        #expect(decisions.contains { $0.decision.outcome == .error && $0.decision.errorMessage != nil })
        #expect(try b.rejects(run: merged.id) == (try a.rejects(run: whole.run)))
        #expect(try b.outcomeCounts(run: merged.id) == (try a.outcomeCounts(run: whole.run)))
        #expect(try b.streets(run: merged.id) == (try a.streets(run: whole.run)))
        let code = try #require(decisions.last?.record.creditCode)
        #expect(try b.business(run: merged.id, creditCode: code) == (try a.business(run: whole.run, creditCode: code)))
        // Indexed by credit code, as a completed run.
        let indexed = try DatabaseQueue(path: input.fixture.path("merged.db")).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM business_codes WHERE run = ?", arguments: [merged.id])
        }
        #expect(indexed == merged.evaluated)

        #expect(merged.parts.map(\.shard) == [1, 2, 3])
        #expect(merged.parts.map(\.sourceLog) == (1...3).map { input.fixture.path("shard\($0).db") })
        #expect(merged.parts.reduce(0) { $0 + $1.evaluated } == merged.evaluated)
        #expect(merged.parts.reduce(0) { $0 + $1.rejected } == merged.rejected)
        #expect(merged.provenance.commandLine == "huiqi log merge (test)")
    }

    /// Many shards (a page of rows each, walked in row order through a heap of 2N streams); a row
    /// two of them hold is still found, wherever it sits in the heap.
    /// The usual merge copies its rows with the shard logs attached, not row by row (7 s against
    /// 12 s at 1M): attaching works, and the attached copy takes every row.
    @Test func theShardLogsAreCopiedAttached() throws {
        let input = try SplitInput()
        // In a folder whose name a URI must escape (ATTACH takes one): Chinese, a space, %, # and ?.
        let folder = input.fixture.path("分片 日志 100%#1?")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let paths = try input.shards(3).map { path in
            let moved = folder + "/" + URL(fileURLWithPath: path).lastPathComponent
            for (from, to) in zip(DecisionLogFiles.all(path), DecisionLogFiles.all(moved)) where FileManager.default.fileExists(atPath: from) {
                try FileManager.default.moveItem(atPath: from, toPath: to)
            }
            return moved
        }
        let merge = try ShardMerge(sources: paths.map { ShardMerge.Source(path: $0) })
        let store = try SQLiteDecisionStore(path: input.fixture.path("m.db"))
        #expect(merge.canCopyAttached(into: store))
        let copied = try store.queue.writeWithoutTransaction { db -> (attached: Bool, copied: Bool, rows: Int) in
            try merge.withShardsAttached(db) { attached in
                var result = (attached, false, 0)
                try db.inTransaction {
                    result.1 = try merge.copyRowsAttached(db, into: 99, interrupt: nil)
                    result.2 = try Int.fetchOne(db, sql: "SELECT (SELECT count(*) FROM businesses WHERE run = 99) + (SELECT count(*) FROM rejects WHERE run = 99)") ?? 0
                    return .rollback
                }
                return result
            }
        }
        #expect(copied.attached && copied.copied)
        #expect(copied.rows == merge.read && copied.rows > 0)
    }

    /// Up to 10 shards are copied with their logs attached (`copyRowsAttached`); more, row by row
    /// (`copyRows`): both read as the unsplit run, and both name an overlapping row's shards.
    @Test(arguments: [9, 10, 12])
    func manyShardsMergeAndAnOverlapAmongThemIsFound(shards n: Int) throws {
        let input = try SplitInput(rows: 300, rejectEvery: 5)
        let whole = try input.run(into: "whole.db")
        let paths = try input.shards(n)
        let merge = try ShardMerge(sources: paths.map { ShardMerge.Source(path: $0) })
        #expect(merge.canCopyAttached(into: try SQLiteDecisionStore(path: input.fixture.path("merged.db"))) == (n <= ShardMerge.maxAttachedShards))
        let merged = try input.merge(paths, into: "merged.db")
        let store = try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db")), a = try SQLiteDecisionStore(readOnly: whole.path)
        #expect(merged.parts.count == n)
        #expect(try store.decisions(run: merged.id) == (try a.decisions(run: whole.run)))
        #expect(try store.rejects(run: merged.id) == (try a.rejects(run: whole.run)))

        // Shard 7 takes over a row of shard 3's (the last it evaluated), in place of its own last.
        let taken = try #require(try SQLiteDecisionStore(readOnly: paths[2]).decisions(run: 1).last?.id.row)
        try Self.claim(taken, in: paths[6])
        let error = try input.writeRefusal(paths, into: "other.db")
        let message = error?.message ?? ""
        #expect(message.contains("input row \(taken) is in two shards") && message.contains("shard 3/\(n), evaluated")
                && message.contains("shard 7/\(n), evaluated"), "\(message)")
    }

    @Test func aLogWithOtherRunsKeepsThemAndTheMergedRunGetsTheNextID() throws {
        let input = try SplitInput()
        // A run of another as-of date first: its texts take the first ids, so the shards' must be mapped.
        let earlier = try input.run(into: "all.db", asOf: "2025-01-15")
        let before = try SQLiteDecisionStore(readOnly: earlier.path).decisions(run: earlier.run)
        let whole = try input.run(into: "whole.db")
        let merged = try input.merge(try input.shards(2), into: "all.db")
        #expect(merged.id == earlier.run + 1)
        let all = try SQLiteDecisionStore(readOnly: earlier.path)
        #expect(try all.runs().map(\.id) == [earlier.run, merged.id])
        #expect(try all.decisions(run: earlier.run) == before)
        let expected = try SQLiteDecisionStore(readOnly: whole.path).decisions(run: whole.run)
        let got = try all.decisions(run: merged.id)
        #expect(got.map(\.record) == expected.map(\.record))
        #expect(got.map(\.id.row) == expected.map(\.id.row))
    }

    /// Ctrl-C during a merge stops it with the transaction rolled back: the log keeps only what
    /// it had (it used to go on to the end; killed instead, a log it created stayed behind empty).
    @Test func aSignalStopsTheMergeAndNothingIsWritten() throws {
        let input = try SplitInput()
        let earlier = try input.run(into: "all.db", asOf: "2025-01-15")
        let merge = try ShardMerge(sources: try input.shards(2).map { ShardMerge.Source(path: $0) })
        let interrupt = InterruptSignal(signals: [])
        interrupt.request(SIGINT)
        let store = try SQLiteDecisionStore(path: earlier.path)
        #expect(throws: MergeInterrupted.self) {
            _ = try merge.write(into: store, commandLine: "huiqi log merge (test)", workingDirectory: "/", interrupt: interrupt)
        }
        #expect(try store.runs().map(\.id) == [earlier.run])
        let rows = try store.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM businesses WHERE run != ?", arguments: [earlier.run]) }
        #expect(rows == 0)
        // Without a signal the same merge goes through.
        #expect(try merge.write(into: store, commandLine: "huiqi log merge (test)", workingDirectory: "/").run.id == earlier.run + 1)
    }

    @Test func reviewsRecordedInAShardLogAreCopied() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        let shard2 = try SQLiteDecisionStore(path: paths[1])
        let reviewed = try #require(try shard2.decisions(run: 1).first { $0.decision.amount != nil })
        let review = try shard2.addReview(decision: reviewed.id, verdict: .confirm, reviewer: "张三", note: "核对无误", at: "2025-06-02T08:00:00Z")
        let merged = try input.merge(paths, into: "merged.db")
        let store = try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db"))
        let copied = try #require(try store.decision(DecisionID(run: merged.id, row: reviewed.id.row, slot: reviewed.id.slot))?.review)
        #expect(copied.run == merged.id && copied.verdict == .confirm && copied.reviewer == "张三" && copied.note == "核对无误")
        #expect(copied.at == review.at && copied.amount == review.amount && copied.outcome == review.outcome)
        #expect(try store.decisions(run: merged.id).filter { $0.review != nil }.count == 1)
    }

    /// Chunks in which rule code changed a module's tables: each shard's, in row order; two that
    /// start at the same row are one, to the later end, with both changes.
    @Test func moduleChangesOfEveryShardAreKept() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try Self.edit(paths[0], "INSERT INTO module_changes VALUES (1, 1, 32, 'baoan.STREETS gained 1 entry'), (1, 97, 128, 'x changed')")
        try Self.edit(paths[1], "INSERT INTO module_changes VALUES (1, 1, 64, 'baoan.RATES changed'), (1, 33, 64, 'y changed')")
        let merged = try input.merge(paths, into: "merged.db")
        let changes = try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db")).moduleChanges(run: merged.id)
        #expect(changes == [
            RunSummary.ModuleChange(rows: 1...64, change: "baoan.STREETS gained 1 entry; baoan.RATES changed"),
            RunSummary.ModuleChange(rows: 33...64, change: "y changed"),
            RunSummary.ModuleChange(rows: 97...128, change: "x changed"),
        ])
    }

    /// Each machine has the input where it has it, and may run with another --jobs: the same
    /// bytes are the same input. The merged run names shard 1's paths and the largest --jobs.
    @Test func shardsReadingTheSameBytesFromOtherPathsMerge() throws {
        let input = try SplitInput()
        let elsewhere = input.fixture.path("machine2/profiles.csv")
        try FileManager.default.createDirectory(atPath: input.fixture.path("machine2"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: input.profiles, toPath: elsewhere)
        let one = try input.run(into: "s1.db", shard: RunShard(index: 1, count: 2), jobs: 1)
        let two = try input.run(into: "s2.db", shard: RunShard(index: 2, count: 2), jobs: 3, input: elsewhere)
        let merged = try input.merge([one.path, two.path], into: "merged.db")
        #expect(merged.provenance.inputs.map(\.absolutePath) == [input.profiles])
        #expect(merged.provenance.jobs == 3)
        let whole = try input.run(into: "whole.db")
        let store = try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db")), a = try SQLiteDecisionStore(readOnly: whole.path)
        #expect(try store.decisions(run: merged.id) == (try a.decisions(run: whole.run)))
        // Shard 2's rejects name the input as shard 1 (and the unsplit run, given the same path) did.
        let rejects = try store.rejects(run: merged.id), expected = try a.rejects(run: whole.run)
        #expect(rejects.count > 1 && rejects == expected)
        #expect(try !SQLiteDecisionStore(readOnly: two.path).rejects(run: two.run).isEmpty)
    }

    @Test func aMissingShardIsNamedWithThePresentOnes() throws {
        let input = try SplitInput()
        let paths = try input.shards(3)
        let message = input.refusal([paths[0], paths[2]])
        #expect(message.contains("missing shard 2 of 3") && message.contains("缺少分片"), "\(message)")
        #expect(message.contains("present 1 (") && message.contains(", 3 ("), "\(message)")
    }

    @Test func aShardGivenTwiceIsRefused() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        let copy = input.fixture.path("copy.db")
        try FileManager.default.copyItem(atPath: paths[1], toPath: copy)
        let message = input.refusal([paths[0], paths[1], copy])
        #expect(message.contains("shard 2/2 is given twice") && message.contains("分片重复"), "\(message)")
    }

    @Test func anInterruptedShardRunIsRefusedWithHowToResumeIt() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try SQLiteDecisionStore(path: paths[1]).markRun(1, status: .interrupted, endedAt: nil)
        let message = input.refusal(paths)
        #expect(message.hasPrefix(paths[1] + ":"), "\(message)")
        #expect(message.contains("interrupted") && message.contains("huiqi run --resume 1 --db \(paths[1])"), "\(message)")
        // Still running (its process, this one, is alive): wait for it.
        try Self.edit(paths[1], "UPDATE runs SET status = 'running'")
        let running = input.refusal(paths)
        #expect(running.contains("still running (运行仍在进行") && running.contains("wait for it to complete"), "\(running)")
    }

    @Test func shardsOfDifferentSplitRunsAreRefusedNamingTheKeyAndBothValues() throws {
        let input = try SplitInput()
        let one = try input.run(into: "a1.db", shard: RunShard(index: 1, count: 2))
        let two = try input.run(into: "a2.db", shard: RunShard(index: 2, count: 2), asOf: "2025-06-02")
        let message = input.refusal([one.path, two.path])
        #expect(message.contains("as-of date") && message.contains("2025-06-02 vs 2025-06-01"), "\(message)")
        #expect(message.contains("不是同一次拆分运行的分片"))

        let three = try input.run(into: "b3.db", shard: RunShard(index: 2, count: 3))
        let counts = input.refusal([one.path, three.path])
        #expect(counts.contains("number of shards") && counts.contains("3 vs 2"), "\(counts)")
    }

    /// Each key a split run's shards share, changed in shard 2's log: refused, naming the key and both values.
    @Test(arguments: [
        ("UPDATE runs SET rules_sha256 = 'feedface'", "rules SHA-256", "feedface vs "),
        ("UPDATE runs SET catalog_version = '2099.1'", "catalog version", "2099.1 vs "),
        ("UPDATE runs SET schema_sha256 = 'beef'", "schema SHA-256", "beef vs "),
        ("UPDATE runs SET tool_version = '9.9.9'", "huiqi version", "9.9.9 vs "),
        ("UPDATE run_inputs SET sha256 = 'abc123'", "inputs' SHA-256", "abc123 vs "),
        ("UPDATE runs SET encoding = 'gb18030'", "--encoding", "gb18030 vs auto"),
        ("UPDATE runs SET allow_extra = 1", "--allow-extra", "on vs off"),
        ("UPDATE runs SET max_instructions = 5", "limits", "--max-instructions 5 "),
        ("UPDATE run_services SET params = '{\"cap\":\"1\"}' WHERE slot = 0", "services", "params cap=1 vs "),
        ("UPDATE rule_conditions SET label = '改过的条件' WHERE rule_index = 0 AND position = 1", "rules and their conditions", "改过的条件"),
    ])
    func shardsThatDifferInAnyKeyAreRefused(change: String, key: String, values: String) throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try Self.edit(paths[1], change)
        let message = input.refusal(paths)
        #expect(message.contains("they differ in ") && message.contains(key) && message.contains(values), "\(message)")
    }

    @Test func differentReadCountsAreRefused() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try Self.edit(paths[1], "UPDATE runs SET read = read + 1, rejected = rejected + 1")
        let message = input.refusal(paths)
        #expect(message.contains("rows read") && message.contains("differ"), "\(message)")
    }

    @Test func countsThatDoNotAddUpToTheRowsReadAreRefused() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try Self.edit(paths[1], "UPDATE runs SET evaluated = evaluated + 1")
        let message = input.refusal(paths)
        #expect(message.contains("the shards' counts do not add up (分片计数不符)"), "\(message)")
    }

    /// A damaged (or edited) shard log is refused while copying, naming that log, and nothing is
    /// written: rows missing that its run counted; a street id that is not a number (review: it
    /// crashed the row-by-row merge in GRDB's conversion, and the attached copy made it NULL).
    @Test(arguments: [
        ("DELETE FROM businesses WHERE row = (SELECT max(row) FROM businesses)", "but the run counted"),
        ("UPDATE businesses SET street_id = 'x' WHERE row = (SELECT min(row) FROM businesses)", "its street is not a text id"),
    ])
    func aDamagedShardLogIsRefused(edit: String, message: String) throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        try Self.edit(paths[1], edit)
        let error = try input.writeRefusal(paths, into: "all.db")
        #expect(error?.file == paths[1] && error?.message.contains(message) == true, "\(String(describing: error))")
        #expect(try SQLiteDecisionStore(readOnly: input.fixture.path("all.db")).runs().isEmpty)
    }

    @Test func aRunThatIsNotAShardRunIsRefused() throws {
        let input = try SplitInput()
        let whole = try input.run(into: "whole.db")
        let paths = try input.shards(2)
        #expect(input.refusal([whole.path, paths[1]]).contains("no shard run in this log"))
        #expect(input.refusal(["\(whole.path):1", paths[1]]).contains("run 1 is not a shard run"))
        _ = try input.merge(paths, into: "merged.db")
        let again = input.refusal([input.fixture.path("merged.db") + ":1", paths[1]])
        #expect(again.contains("already a merged run of 2 shards"), "\(again)")
    }

    @Test func aFileThatIsNotAHuiqiLogOrANewerOneIsRefused() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        let foreign = input.fixture.path("other.db")
        try Self.edit(foreign, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
        #expect(input.refusal([paths[0], foreign]).contains("not a huiqi decision log"))
        try Self.edit(paths[1], "INSERT INTO grdb_migrations (identifier) VALUES ('v99')")
        #expect(input.refusal(paths).contains("newer huiqi"))
        // An older one is refused without being upgraded: a shard log is only read.
        try Self.edit(paths[0], "DELETE FROM grdb_migrations WHERE identifier = 'v9'")
        let older = input.refusal([paths[0]])
        #expect(older.contains("older huiqi") && older.contains("schema v8"), "\(older)")
        #expect(try DatabaseQueue(path: paths[0]).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") }.last == "v8")
    }

    @Test func aLogWithSeveralShardRunsNeedsTheRunNamed() throws {
        let input = try SplitInput()
        let one = try input.run(into: "both.db", shard: RunShard(index: 1, count: 2))
        let two = try input.run(into: "both.db", shard: RunShard(index: 2, count: 2))
        let message = input.refusal([one.path])
        #expect(message.contains("2 completed shard runs") && message.contains("FILE:RUN") && message.contains("\(one.path):\(two.run)"), "\(message)")
        let merged = try input.merge(["\(one.path):\(one.run)", "\(two.path):\(two.run)"], into: "merged.db")
        let whole = try input.run(into: "whole.db")
        #expect(try SQLiteDecisionStore(readOnly: input.fixture.path("merged.db")).decisions(run: merged.id)
                == (try SQLiteDecisionStore(readOnly: whole.path).decisions(run: whole.run)))
    }

    /// Shards run one after another into one log merge into that same log.
    @Test func shardRunsOfOneLogMergeIntoIt() throws {
        let input = try SplitInput()
        let one = try input.run(into: "both.db", shard: RunShard(index: 1, count: 2))
        let two = try input.run(into: "both.db", shard: RunShard(index: 2, count: 2))
        let merged = try input.merge(["\(one.path):\(one.run)", "\(two.path):\(two.run)"], into: "both.db")
        #expect(merged.id == two.run + 1 && merged.parts.map(\.sourceRun) == [one.run, two.run])
        let whole = try input.run(into: "whole.db")
        let expected = try SQLiteDecisionStore(readOnly: whole.path).decisions(run: whole.run)
        let got = try SQLiteDecisionStore(readOnly: one.path).decisions(run: merged.id)
        #expect(got.map(\.record) == expected.map(\.record) && got.map(\.id.row) == expected.map(\.id.row))
        // The same two shard runs of one log, merged into another log: that log attached twice.
        let other = try input.merge(["\(one.path):\(one.run)", "\(two.path):\(two.run)"], into: "other.db")
        let copied = try SQLiteDecisionStore(readOnly: input.fixture.path("other.db")).decisions(run: other.id)
        #expect(copied.map(\.record) == expected.map(\.record) && copied.map(\.id.row) == expected.map(\.id.row))
    }

    @Test func overlappingRowsAreRefusedAndNothingIsWritten() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        // Shard 2 claims a row shard 1 evaluated (its own count unchanged).
        let taken = try #require(try SQLiteDecisionStore(readOnly: paths[0]).decisions(run: 1).first?.id.row)
        try Self.claim(taken, in: paths[1])
        let earlier = try input.run(into: "all.db")
        let texts = try DatabaseQueue(path: earlier.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM texts") }
        let error = try input.writeRefusal(paths, into: "all.db")
        #expect(error?.message.contains("input row \(taken) is in two shards") == true, "\(String(describing: error))")
        let all = try SQLiteDecisionStore(readOnly: earlier.path)
        #expect(try all.runs().map(\.id) == [earlier.run])
        #expect(try DatabaseQueue(path: earlier.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM texts") } == texts)
        #expect(try DatabaseQueue(path: earlier.path).read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM run_parts") } == 0)
    }

    @Test func aRowBothEvaluatedAndRejectedIsRefused() throws {
        let input = try SplitInput()
        let paths = try input.shards(2)
        let rejected = try #require(try SQLiteDecisionStore(readOnly: paths[0]).rejects(run: 1).first?.row)
        try Self.claim(rejected, in: paths[1])
        let error = try input.writeRefusal(paths, into: "all.db")
        let message = error?.message ?? ""
        #expect(message.contains("input row \(rejected) is in two shards") && message.contains("shard 1/2, rejected")
                && message.contains("shard 2/2, evaluated"), "\(message)")
    }

    @Test func aSourceArgumentMayNameARun() {
        #expect(ShardMerge.Source(argument: "logs/s2.db:5") == ShardMerge.Source(path: "logs/s2.db", run: 5))
        #expect(ShardMerge.Source(argument: "logs/s2.db") == ShardMerge.Source(path: "logs/s2.db"))
        #expect(ShardMerge.Source(argument: "s2.db:x") == ShardMerge.Source(path: "s2.db:x"))
    }
}
