import Foundation
import GRDB
import GRDBSQLite
import Huiqi
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A decision log that its reader may not write (found in review: every reading command opened
/// it read-write and failed with "attempt to write a readonly database"). The log is chmod 444 in
/// a directory chmod 555, read by another user (`OtherUser`: nobody through setpriv, since the
/// tests run as root, for whom permissions do not stop writes).
@Suite(.serialized) struct ReadOnlyLogTests {
    /// Skips a test that needs `OtherUser`, saying why.
    static let otherUser = ConditionTrait.enabled(if: OtherUser.available, Comment(rawValue: OtherUser.unavailableReason ?? ""))

    private func huiqi(_ args: [String], in fixture: DecisionLogFixture) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: fixture.root)
    }

    private func asOtherUser(_ args: [String], in fixture: DecisionLogFixture) throws -> HuiqiBinary.Output {
        try OtherUser.run(args, cwd: fixture.root)
    }

    /// A fixture with a completed run logged in `logs/huiqi.db`, and `out/` writable by anyone.
    private func loggedFixture(rows: Int = 30) throws -> DecisionLogFixture {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: rows)
        try FileManager.default.createDirectory(atPath: fixture.path("logs"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: fixture.path("out"), withIntermediateDirectories: true)
        chmod(fixture.path("out"), 0o777)
        let run = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "logs/huiqi.db"], in: fixture)
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        return fixture
    }

    /// Makes the log 444 and its directory 555 while `body` runs.
    private func locked<T>(_ fixture: DecisionLogFixture, _ body: () throws -> T) rethrows -> T {
        chmod(fixture.path("logs/huiqi.db"), 0o444)
        chmod(fixture.path("logs"), 0o555)
        defer {
            chmod(fixture.path("logs"), 0o755)
            chmod(fixture.path("logs/huiqi.db"), 0o644)
        }
        return try body()
    }

    private func files(_ fixture: DecisionLogFixture) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixture.path("logs")).sorted()
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test(otherUser) func everyReadingCommandWorksWithoutWriteAccess() throws {
        let fixture = try loggedFixture()
        let db = fixture.path("logs/huiqi.db")
        let filesBefore = try files(fixture)
        let before = try bytes(db)
        let code = ProfileCSVGenerator.creditCode(2)
        let outputs = try locked(fixture) { () throws -> [HuiqiBinary.Output] in
            let runs = try asOtherUser(["log", "runs", "--db", db], in: fixture)
            #expect(runs.status == 0 && runs.stdout.contains("completed 已完成"), "\(runs.stderr)")
            let show = try asOtherUser(["log", "show", "1", "--db", db, "--service", "SVC-01"], in: fixture)
            #expect(show.status == 0 && show.stdout.contains("SVC-01"), "\(show.stderr)")
            let csv = try asOtherUser(["log", "show", "1", "--db", db, "--format", "jsonl"], in: fixture)
            #expect(csv.status == 0 && csv.stdout.split(separator: "\n").count == 90, "\(csv.stderr)")
            let export = try asOtherUser(["log", "export", "1", "--db", db, "--out", fixture.path("out/run1.csv")], in: fixture)
            #expect(export.status == 0 && export.stdout.contains("90 条决定 decisions"), "\(export.stderr)")
            let explain = try asOtherUser(["explain", code, "--run", "1", "--db", db], in: fixture)
            #expect(explain.status == 0 && explain.stdout.contains("[SVC-01]"), "\(explain.stderr)")
            let lists = try asOtherUser(["lists", "1", "--db", db, "--out", fixture.path("out/lists")], in: fixture)
            #expect(lists.status == 0, "\(lists.stderr)")
            #expect(FileManager.default.fileExists(atPath: fixture.path("out/lists")))
            // A command that writes says why it cannot.
            let id = try #require(CSVTable(contentsOf: fixture.path("out/run1.csv")).column("决定编号").first)
            let review = try asOtherUser(["review", id, "--confirm", "--by", "张三", "--db", db], in: fixture)
            #expect(review.status == 2 && review.stderr.contains(db) && review.stderr.contains("read-only"), "\(review.stderr)")
            return [runs, show, csv, export, explain, lists, review]
        }
        for output in outputs { #expect(!output.stderr.contains("Fatal error")) }
        #expect(try files(fixture) == filesBefore)
        #expect(try bytes(db) == before)
    }

    /// A run writes while another user reads: each read sees the rows committed so far.
    @Test(otherUser) func anotherUserReadsWhileARunWrites() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 20_000)
        try FileManager.default.createDirectory(atPath: fixture.path("logs"), withIntermediateDirectories: true)
        let db = fixture.path("logs/huiqi.db")
        // The directory stays 755: the run (root) writes, the reader may not.
        let child = try HuiqiBinary.start(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", db,
                                           "--commit-every", "256"], cwd: fixture.root)
        var reads: [HuiqiBinary.Output] = []
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, child.process.isRunning {
            if FileManager.default.fileExists(atPath: db) { reads.append(try asOtherUser(["log", "runs", "--db", db], in: fixture)) }
            usleep(50_000)
        }
        child.process.waitUntilExit()
        let run = child.finish()
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        for r in reads { #expect(r.status == 0, "\(r.stderr)") }
        #expect(reads.contains { $0.stdout.contains("running 运行中") }, "no read caught the run part-way (\(reads.count) reads)")
        let after = try asOtherUser(["log", "runs", "--db", db], in: fixture)
        #expect(after.status == 0 && after.stdout.contains("completed 已完成") && after.stdout.contains("20000/20000/0"), "\(after.stderr)")
    }

    /// A log written before huiqi kept its -wal and -shm files: SQLite cannot read it read-only
    /// in a directory where it cannot create them. The error says so and how to fix it; once its
    /// owner has opened it, everyone can read it.
    @Test(otherUser) func aLogWithoutItsWALFilesInALockedDirectoryIsExplained() throws {
        let fixture = try loggedFixture()
        let db = fixture.path("logs/huiqi.db")
        for suffix in ["-wal", "-shm"] { try FileManager.default.removeItem(atPath: db + suffix) }
        let refused = try locked(fixture) { try asOtherUser(["log", "runs", "--db", db], in: fixture) }
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(db) && refused.stderr.contains("huiqi.db-shm") && refused.stderr.contains("not writable")
                && refused.stderr.contains("owner"), "\(refused.stderr)")
        #expect(!refused.stderr.contains("Fatal error"))

        #expect(try huiqi(["log", "runs", "--db", db], in: fixture).status == 0)
        let read = try locked(fixture) { try asOtherUser(["log", "runs", "--db", db], in: fixture) }
        #expect(read.status == 0 && read.stdout.contains("completed 已完成"), "\(read.stderr)")
    }

    /// A log an older huiqi wrote needs a migration, which a user who may not write it cannot
    /// make: the error names the file and says how to upgrade it; after an upgrade it reads.
    @Test(otherUser) func anOlderLogThatCannotBeWrittenSaysHowToUpgradeIt() throws {
        let fixture = try loggedFixture()
        let db = fixture.path("logs/huiqi.db")
        // Back to the v2 schema, keeping the -wal and -shm files as huiqi does.
        var config = Configuration()
        config.prepareDatabase { db in
            var persist: CInt = 1
            _ = sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_PERSIST_WAL, &persist)
        }
        try DatabaseQueue(path: db, configuration: config).write { db in
            try db.execute(sql: """
                DROP TABLE business_codes;
                ALTER TABLE runs DROP COLUMN codes_indexed;
                CREATE INDEX businesses_by_code ON businesses(credit_code, run);
                DELETE FROM grdb_migrations WHERE identifier = 'v3';
                """)
        }
        let before = try bytes(db)
        let refused = try locked(fixture) { try asOtherUser(["log", "show", "1", "--db", db], in: fixture) }
        #expect(refused.status == 2)
        #expect(refused.stderr.contains(db) && refused.stderr.contains("older huiqi") && refused.stderr.contains("write access"),
                "\(refused.stderr)")
        #expect(!refused.stderr.contains("Fatal error"))
        #expect(try bytes(db) == before)

        // Whoever may write it upgrades it by reading it, as before.
        let upgraded = try huiqi(["log", "runs", "--db", db], in: fixture)
        #expect(upgraded.status == 0 && upgraded.stdout.contains("completed 已完成"), "\(upgraded.stderr)")
        let read = try locked(fixture) { try asOtherUser(["log", "show", "1", "--db", db, "--format", "jsonl"], in: fixture) }
        #expect(read.status == 0 && read.stdout.split(separator: "\n").count == 90, "\(read.stderr)")
    }

    /// Reading an empty file (`huiqi run` creates one first) finds no runs and leaves it empty.
    @Test func anEmptyFileIsNotTurnedIntoALog() throws {
        let fixture = try DecisionLogFixture()
        let empty = fixture.path("empty.db")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        let runs = try huiqi(["log", "runs", "--db", empty], in: fixture)
        #expect(runs.status == 0 && runs.stdout.contains("no runs yet"), "\(runs.stderr)")
        let show = try huiqi(["log", "show", "1", "--db", empty], in: fixture)
        #expect(show.status == 2 && show.stderr.contains("no run 1"), "\(show.stderr)")
        #expect(try bytes(empty).isEmpty)
        for suffix in ["-wal", "-shm", "-journal"] { #expect(!FileManager.default.fileExists(atPath: empty + suffix)) }
    }
}
