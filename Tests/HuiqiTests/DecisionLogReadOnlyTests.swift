import Foundation
import GRDB
@testable import Huiqi
import TestSupport
import Testing

/// Commands that only read the log open it with `SQLiteDecisionStore(readOnly:)`: a read-only
/// SQLite connection that never writes, migrates or creates a file (found in review: `log runs`
/// needed write access, and turned an empty file into a database). The tests run as root, where
/// file permissions do not stop writes: here the open mode itself is checked; the end-to-end
/// `ReadOnlyLogTests` run the binary as another user.
@Suite struct DecisionLogReadOnlyTests {
    private static func fileBytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    @Test func aReadOnlyStoreReadsEverythingAndRefusesEveryWrite() throws {
        let f = try LoggedFixtureRun(rows: 40)
        let (logged, _) = try f.run()
        let run = logged.runID
        let expected = try f.store.decisions(run: run)
        let some = try #require(expected.first)

        let reader = try SQLiteDecisionStore(readOnly: f.fixture.path("huiqi.db"))
        #expect(reader.isReadOnly && !f.store.isReadOnly)
        #expect(try reader.runs().map(\.id) == [run])
        #expect(try reader.decisions(run: run) == expected)
        #expect(try reader.rejects(run: run) == f.store.rejects(run: run))
        #expect(try reader.outcomeCounts(run: run) == f.store.outcomeCounts(run: run))

        #expect(throws: Diagnostic.self) {
            try reader.createRun(DecisionLogFixture.handMadeProvenance(), startedAt: "2025-06-02T00:00:00Z")
        }
        #expect(throws: Diagnostic.self) {
            try reader.addReview(decision: some.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        }
        #expect(throws: Diagnostic.self) { try reader.markRun(run, status: .interrupted, endedAt: nil) }
        do {
            _ = try reader.addReview(decision: some.id, verdict: .reject, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        } catch let d as Diagnostic {
            #expect(d.description.contains("huiqi.db") && d.description.contains("read-only"), "\(d)")
        }
        // The connection itself is read-only, not just the store's methods.
        do {
            try reader.queue.write { db in try db.execute(sql: "DELETE FROM reviews") }
            Issue.record("a read-only store's connection wrote")
        } catch let e as DatabaseError {
            #expect(e.resultCode == .SQLITE_READONLY, "\(e)")
        }
        #expect(try f.store.reviews(for: some.id).isEmpty)
        #expect(try f.store.run(run)?.recordedStatus == .completed)
    }

    /// A reader sees what a writer commits after the reader opened the log (a run writing while
    /// `log runs` looks), each read a consistent snapshot.
    @Test func aReadOnlyStoreSeesLaterCommits() throws {
        let fixture = try DecisionLogFixture()
        let (store, run, sink, profile) = try fixture.handMadeRun(database: "live.db")
        let reader = try SQLiteDecisionStore(readOnly: fixture.path("live.db"))
        #expect(try reader.rowsCommitted(run: run) == 0)
        for row in 1...3 {
            let record = DecisionLogFixture.handMadeRecord(code: ProfileFixtures.creditCode(row), reasons: ["条件甲"])
            try sink.consume(EvaluatedProfile(profile: profile, records: [record]), row: row)
        }
        try sink.commit(rowsRead: 3)
        #expect(try reader.rowsCommitted(run: run) == 3)
        #expect(try reader.decisions(run: run).count == 3)
        try store.markRun(run, status: .interrupted, endedAt: "2025-06-01T00:01:00Z")
        #expect(try reader.run(run)?.recordedStatus == .interrupted)
    }

    @Test func aMissingFileIsRefusedAndNotCreated() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("missing.db")
        #expect(throws: Diagnostic.self) { try SQLiteDecisionStore(readOnly: path) }
        for suffix in ["", "-wal", "-shm", "-journal"] { #expect(!FileManager.default.fileExists(atPath: path + suffix)) }
        #expect(throws: Diagnostic.self) { try SQLiteDecisionStore(readOnly: fixture.root.path) }
    }

    /// An empty file (what `huiqi run` creates first) reads as a log without runs and stays
    /// empty: before, opening it made it a WAL-mode database with huiqi's schema.
    @Test func anEmptyFileReadsAsNoRunsAndStaysEmpty() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("empty.db")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        let reader = try SQLiteDecisionStore(readOnly: path)
        #expect(try reader.runs().isEmpty)
        #expect(try reader.run(1) == nil)
        #expect(throws: Diagnostic.self) { try reader.requireRun(1) }
        #expect(throws: Diagnostic.self) {
            try reader.createRun(DecisionLogFixture.handMadeProvenance(), startedAt: "2025-06-02T00:00:00Z")
        }
        #expect(try Self.fileBytes(path).isEmpty)
        for suffix in ["-wal", "-shm", "-journal"] { #expect(!FileManager.default.fileExists(atPath: path + suffix)) }
    }

    /// Another program's database is not taken for a log, nor given huiqi's tables.
    @Test func anotherProgramsDatabaseIsRefusedUnchanged() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("other.db")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "CREATE TABLE things (a)") }
        let before = try Self.fileBytes(path)
        do {
            _ = try SQLiteDecisionStore(readOnly: path)
            Issue.record("opened another program's database as a log")
        } catch let d as Diagnostic {
            #expect(d.description.contains("other.db") && d.description.contains("not a huiqi decision log"), "\(d)")
        }
        #expect(try Self.fileBytes(path) == before)
    }

    /// The journal mode is the writer's business: a read-only open leaves a rollback-journal
    /// database in that mode (the read-write open switches every log to WAL).
    @Test func theJournalModeIsLeftAlone() throws {
        let f = try LoggedFixtureRun(rows: 10)
        try f.run()
        let path = f.fixture.path("huiqi.db")
        let copy = f.fixture.path("rollback.db")
        try DatabaseQueue(path: path).writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        try DatabaseQueue(path: copy).writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = DELETE") }
        let mode = { try DatabaseQueue(path: copy).read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") } }
        #expect(try mode() == "delete")
        let before = try Self.fileBytes(copy)
        #expect(try SQLiteDecisionStore(readOnly: copy).runs().count == 1)
        #expect(try Self.fileBytes(copy) == before)
        #expect(try mode() == "delete")
    }

    /// A log an older huiqi wrote needs a migration: with write access (root, here) the
    /// read-only open migrates it through a read-write connection first, as opening it always did.
    @Test func anOlderLogIsUpgradedWhenItCanBeWritten() throws {
        let f = try LoggedFixtureRun(rows: 40)
        let (logged, _) = try f.run()
        let expected = try f.store.decisions(run: logged.runID)
        let path = f.fixture.path("huiqi.db")
        try DecisionLogLayoutTests.downgradeToV1(path)
        #expect(try DatabaseQueue(path: path).read { db in try SQLiteDecisionStore.schemaState(db) } == .older(applied: ["v1"]))

        let reader = try SQLiteDecisionStore(readOnly: path)
        #expect(reader.isReadOnly)
        #expect(try reader.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        #expect(try reader.decisions(run: logged.runID) == DecisionLogLayoutTests.asBeforeV8(expected))
    }

    /// A log a newer huiqi wrote is refused, not read as if it were current.
    @Test func aNewerLogIsRefused() throws {
        let f = try LoggedFixtureRun(rows: 5)
        try f.run()
        let path = f.fixture.path("huiqi.db")
        try DatabaseQueue(path: path).write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v99')") }
        do {
            _ = try SQLiteDecisionStore(readOnly: path)
            Issue.record("read a log a newer huiqi wrote")
        } catch let d as Diagnostic {
            #expect(d.description.contains("newer huiqi"), "\(d)")
        }
    }

    /// SQLite reads a WAL-mode log read-only, where the directory is not writable, only if its
    /// -wal and -shm files exist: the read-write store keeps them when it closes (the -wal empty,
    /// so the database file alone is complete).
    @Test func theWriterKeepsTheWALFilesForReaders() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("kept.db")
        do {
            let store = try SQLiteDecisionStore(path: path)
            _ = try store.createRun(DecisionLogFixture.handMadeProvenance(), startedAt: "2025-06-01T00:00:00Z")
        }
        let attributes = try FileManager.default.attributesOfItem(atPath: path + "-wal")
        #expect((attributes[.size] as? NSNumber)?.intValue == 0)
        #expect(FileManager.default.fileExists(atPath: path + "-shm"))
        // The database file alone holds everything.
        let copy = fixture.path("copy.db")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        #expect(try SQLiteDecisionStore(readOnly: copy).runs().count == 1)
    }
}
