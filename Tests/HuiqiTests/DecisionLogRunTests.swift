import Foundation
import GRDB
@testable import Huiqi
import TestSupport
import Testing

@Suite struct DecisionLogRunTests {
    /// Starts a run that stops (as on SIGTERM) at its `stopAt`-th commit.
    private func interruptedRun(_ f: LoggedFixtureRun, stopAt: Int = 2, out: String? = nil) throws -> (LoggedRun, RunInterrupted) {
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: f.options(out: out), commandLine: "huiqi run (test)")
        let interrupt = InterruptSignal(signals: [])
        do {
            _ = try logged.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(stopAt, interrupt: interrupt)])
        } catch let stop as RunInterrupted {
            return (logged, stop)
        }
        throw Diagnostic(.error, "the run was not interrupted")
    }

    @Test func aSignalStopsTheRunAtACommitPointAndMarksItInterrupted() throws {
        let f = try LoggedFixtureRun(rows: 500)
        let (logged, stop) = try interruptedRun(f)
        #expect(stop.signal == SIGTERM)
        #expect(InterruptSignal.exitStatus(for: stop.signal) == 143)
        let run = try #require(try f.store.run(logged.runID))
        #expect(run.status == .interrupted && run.recordedStatus == .interrupted)
        #expect(run.rowsCommitted == stop.rowsCommitted)
        #expect(run.rowsCommitted > 0 && run.rowsCommitted < 500)
        let expected = try f.expectedRecords().filter { $0.row <= run.rowsCommitted }
        #expect(try f.store.decisions(run: logged.runID).map(\.record) == expected.flatMap(\.records))
    }

    /// Reviewer review: `explain` of a business the interrupted run had not reached said only
    /// "not in run 1", as if the input lacked it.
    @Test func explainingABusinessAnInterruptedRunHasNotReachedSaysSo() throws {
        let f = try LoggedFixtureRun(rows: 500, rejectEvery: nil)
        let (logged, stop) = try interruptedRun(f)
        let code = ProfileCSVGenerator.creditCode(499)
        guard case .notFound(let message) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: code) else {
            Issue.record("expected not found")
            return
        }
        #expect(message.contains("run \(logged.runID) is interrupted (已中断) after \(stop.rowsCommitted) input rows"), "\(message)")
        #expect(message.contains("huiqi run --resume \(logged.runID) --db \(f.store.location)"), "\(message)")
    }

    /// The index by credit code is built when a run stops, interrupted or completed, in a
    /// transaction after the one that records its status (its failure would only slow lookups).
    @Test func aStoppedRunAndItsResumeIndexEveryBusinessByCode() throws {
        let f = try LoggedFixtureRun(rows: 500)
        let (logged, stop) = try interruptedRun(f, stopAt: 3)
        func indexed() throws -> (count: Int, upTo: Int) {
            try f.store.queue.read { db in
                (try Int.fetchOne(db, sql: "SELECT count(*) FROM business_codes WHERE run = ?", arguments: [logged.runID]) ?? -1,
                 try Int.fetchOne(db, sql: "SELECT codes_indexed FROM runs WHERE id = ?", arguments: [logged.runID]) ?? -1)
            }
        }
        let businesses = { (rows: Int) in try f.store.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM businesses WHERE run = ? AND row <= ?", arguments: [logged.runID, rows]) ?? -1
        } }
        let afterStop = try indexed()
        #expect(afterStop.count == (try businesses(stop.rowsCommitted)) && afterStop.count > 0)
        let summary = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1).execute()
        #expect(!summary.warnings.contains { $0.message.contains("未建立信用代码索引") })
        let afterResume = try indexed()
        #expect(afterResume.count == (try businesses(500)) && afterResume.count > afterStop.count)
        #expect(afterResume.upTo == (try f.store.queue.read { db in
            try Int.fetchOne(db, sql: "SELECT max(row) FROM businesses WHERE run = ?", arguments: [logged.runID]) ?? -1 }))
    }

    /// A completed run whose index cannot be built (the log may not grow once the last chunk is
    /// committed) ends completed, with a warning that says so, and the same exit code.
    @Test func aRunWhoseIndexFailsCompletesWithAWarning() throws {
        let f = try LoggedFixtureRun(rows: 500)
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: f.options(), commandLine: "huiqi run (test)")
        let summary = try logged.execute(additionalSinks: [FullAfterRow(500, store: f.store)])
        let warning = summary.warnings.first { $0.message.contains("未建立信用代码索引") }
        #expect(warning != nil && warning?.message.contains("TMPDIR") == true, "\(summary.warnings)")
        #expect(summary.exitCode == (summary.rejected > 0 ? 1 : 0))
        #expect(try f.store.run(logged.runID)?.status == .completed)
        #expect(try f.store.decisions(run: logged.runID).count == summary.evaluated * 3)
    }

    /// After its final commit, makes the log unable to grow (`max_page_count`), as a full disk would.
    private final class FullAfterRow: DecisionSink {
        let last: Int, store: SQLiteDecisionStore
        init(_ last: Int, store: SQLiteDecisionStore) { (self.last, self.store) = (last, store) }
        func consume(_ business: EvaluatedProfile, row: Int) throws {}
        func consume(reject: Reject, row: Int) throws {}
        func commit(rowsRead: Int) throws {
            guard rowsRead == last else { return }
            try store.queue.inDatabase { db in
                try db.execute(sql: "PRAGMA max_page_count = \(try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0)")
            }
        }
    }

    @Test func resumeCompletesEveryRowTimesServiceExactlyOnce() throws {
        let f = try LoggedFixtureRun(rows: 500)
        let (logged, _) = try interruptedRun(f, stopAt: 3)
        let committed = try f.store.rowsCommitted(run: logged.runID)
        let resumed = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
        #expect(resumed.isResume && resumed.options.skipRows == committed)
        let summary = try resumed.execute()
        #expect(summary.read == 500 && summary.read == summary.evaluated + summary.rejected)
        let run = try #require(try f.store.run(logged.runID))
        #expect(run.status == .completed && run.rowsCommitted == 500)
        let stored = try f.store.decisions(run: logged.runID)
        #expect(stored.count == summary.evaluated * 3)
        #expect(Set(stored.map(\.id)).count == stored.count)
        #expect(stored.map(\.record) == (try f.expectedRecords()).flatMap(\.records))
        #expect(try f.store.rejects(run: logged.runID).map(\.row) == Array(stride(from: 37, through: 500, by: 37)))
        // The summary covers the whole run, not only the resumed part, its first errors included
        // (they were in the interrupted part).
        #expect(summary.outcomes == (try f.store.outcomeCounts(run: logged.runID)))
        let (_, uninterrupted) = try f.run()
        #expect(!uninterrupted.firstErrors.isEmpty)
        #expect(summary.firstErrors.mapValues { "\($0.creditCode) \($0.message)" } == uninterrupted.firstErrors.mapValues { "\($0.creditCode) \($0.message)" })
        #expect(summary.outcomes.values.reduce(0) { $0 + $1.values.reduce(0, +) } == summary.evaluated * 3)
    }

    @Test func resumeRewritesTheOutputsAsAnUninterruptedRunWouldHave() throws {
        let f = try LoggedFixtureRun(rows: 400)
        let whole = f.fixture.path("whole.jsonl"), cut = f.fixture.path("cut.jsonl")
        let (_, wholeSummary) = try f.run(out: whole)
        let (logged, _) = try interruptedRun(f, stopAt: 2, out: cut)
        _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 2).execute()
        #expect(try Data(contentsOf: URL(fileURLWithPath: cut)) == Data(contentsOf: URL(fileURLWithPath: whole)))
        let rejects = try #require(try f.store.run(logged.runID)?.provenance.rejectsPath)
        let text = try String(contentsOfFile: rejects, encoding: .utf8)
        #expect(text.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == wholeSummary.rejected + 1)
    }

    /// Crash-safety review: a resume marked the run completed, then rewrote `--out`; stopped or
    /// failing there (a full disk), it left a truncated file and a run `--resume` refused. The
    /// outputs are now rewritten first, so a failed rewrite leaves the run resumable.
    @Test func aResumeWhoseOutputRewriteFailsLeavesTheRunResumable() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let whole = f.fixture.path("whole.jsonl"), cut = f.fixture.path("cut.jsonl")
        _ = try f.run(out: whole)
        let (logged, _) = try interruptedRun(f, stopAt: 2, out: cut)
        // The output cannot be written: a directory stands at its path.
        try FileManager.default.removeItem(atPath: cut)
        try FileManager.default.createDirectory(atPath: cut, withIntermediateDirectories: false)
        #expect(throws: (any Error).self) { _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1).execute() }
        #expect(try f.store.run(logged.runID)?.status == .interrupted)
        try FileManager.default.removeItem(atPath: cut)
        _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1).execute()
        #expect(try f.store.run(logged.runID)?.status == .completed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cut)) == Data(contentsOf: URL(fileURLWithPath: whole)))
    }

    /// District-scale review: a chunk closed only when it held `chunkSize` profiles, so a stretch
    /// of rejected rows (1M duplicates) piled up in memory (880 MB) with no commit. Rows close it.
    @Test func rejectedRowsAloneCloseChunksAndAreCommitted() throws {
        let f = try LoggedFixtureRun(rows: 600, rejectEvery: 1)  // every row rejected
        let sink = CommitCounter()
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: f.options(chunkSize: 64), commandLine: "huiqi run (test)")
        let summary = try logged.execute(additionalSinks: [sink])
        #expect(summary.rejected == 600 && summary.evaluated == 0)
        #expect(sink.rowsAtCommit.count >= 600 / 64)
        #expect(sink.rowsAtCommit.allSatisfy { $0 % 64 == 0 || $0 == 600 })
    }

    private final class CommitCounter: DecisionSink {
        var rowsAtCommit: [Int] = []
        func consume(_ business: EvaluatedProfile, row: Int) throws {}
        func consume(reject: Reject, row: Int) throws {}
        func commit(rowsRead: Int) throws { rowsAtCommit.append(rowsRead) }
    }

    /// Crash-safety review: a resume killed with `kill -9` left its scratch rejects file in the
    /// temporary directory; the next resume removes those of processes that are gone.
    @Test func aResumeRemovesScratchFilesKilledResumesLeft() throws {
        let tmp = FileManager.default.temporaryDirectory
        let abandoned = tmp.appendingPathComponent("huiqi-resume-4194000-7.rejects.csv")  // no such process
        let live = tmp.appendingPathComponent("huiqi-resume-\(getpid())-8.rejects.csv")   // this one
        for url in [abandoned, live] { try Data("文件,行号\r\n".utf8).write(to: url) }
        defer { try? FileManager.default.removeItem(at: live) }
        LoggedRun.removeAbandonedScratchFiles()
        #expect(!FileManager.default.fileExists(atPath: abandoned.path))
        #expect(FileManager.default.fileExists(atPath: live.path))
    }

    /// Code review: Ctrl-C while a resume rewrote `--out` came back wrapped as a log error (exit 2).
    /// It is an interrupt, the run stays resumable, and the next resume writes the whole output.
    @Test func aSignalDuringTheResumesRewriteIsAnInterrupt() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let whole = f.fixture.path("whole.jsonl"), cut = f.fixture.path("cut.jsonl")
        _ = try f.run(out: whole)
        let (logged, _) = try interruptedRun(f, stopAt: 2, out: cut)
        let interrupt = InterruptSignal(signals: [])
        let rowsLeft = 300 - (try f.store.rowsCommitted(run: logged.runID))
        // Requested at the resume's last commit, after the log's own: the batch is done, the rewrite follows.
        let resumed = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
        let commits = (rowsLeft + resumed.options.chunkSize - 1) / resumed.options.chunkSize
        #expect(throws: RunInterrupted.self) {
            _ = try resumed.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(commits, interrupt: interrupt)])
        }
        #expect(try f.store.run(logged.runID)?.status == .interrupted)
        _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1).execute()
        #expect(try f.store.run(logged.runID)?.status == .completed)
        #expect(try Data(contentsOf: URL(fileURLWithPath: cut)) == Data(contentsOf: URL(fileURLWithPath: whole)))
    }

    /// Crash-safety review: `--out` after a stop lagged the log by a buffer (a business cut short).
    /// It is flushed before each commit, so it holds every committed row.
    @Test func aStoppedRunsOutputHoldsEveryCommittedRow() throws {
        let f = try LoggedFixtureRun(rows: 400, rejectEvery: nil)
        let cut = f.fixture.path("cut.jsonl")
        let (logged, stop) = try interruptedRun(f, stopAt: 2, out: cut)
        let lines = try String(contentsOfFile: cut, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.last == "")  // ends at a line's end
        #expect(lines.count - 1 >= (try f.store.decisions(run: logged.runID)).count)
        #expect(stop.rowsCommitted > 0)
    }

    /// Crash-safety review: a per-run rejects file that cannot be created was noticed only at the
    /// first rejected row, after the run was recorded and thousands of rows logged. It is refused
    /// before the run is recorded. (Here the name is too long for the file system: the log's own
    /// name fits; with ".run1.rejects.csv", 257 bytes, it does not. Root ignores permissions.)
    @Test func aRejectsFileThatCannotBeCreatedIsRefusedBeforeTheRunIsRecorded() throws {
        let f = try LoggedFixtureRun(rows: 50)
        let logPath = f.fixture.path(String(repeating: "日", count: 80) + ".db")  // 243 bytes; with "-journal", 251
        let store = try SQLiteDecisionStore(path: logPath)
        var options = f.options()
        options.rejectsPath = nil
        #expect { _ = try LoggedRun.start(store: store, loaded: f.loaded, options: options, commandLine: "huiqi run (test)", logPath: logPath) }
            throws: { "\($0)".contains("cannot create the run's rejects file") }
        #expect(try store.runs().isEmpty)
    }

    /// Found in review: rows are resumed by ordinal, and another version may read a file into other
    /// rows (0.2 skips the rows of empty cells 0.1 rejected). Resume refuses a run another version started.
    @Test func resumeRefusesARunAnotherVersionStarted() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, _) = try interruptedRun(f)
        try f.store.queue.write { db in try db.execute(sql: "UPDATE runs SET tool_version = '0.1.0' WHERE id = ?", arguments: [logged.runID]) }
        do {
            _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
            Issue.record("resume should have been refused")
        } catch let list as DiagnosticList {
            #expect(list.description.contains("started by another huiqi version") && list.description.contains("huiqi 0.1.0 started it"),
                    "\(list.description)")
        }
    }

    @Test func resumeRefusesAChangedRulesBundleNamingTheHash() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, _) = try interruptedRun(f)
        let recorded = f.loaded.bundle.sha256
        try f.fixture.bundle.write("Rules/rent/relief.lua", DecisionLogFixture.rules["rent/relief.lua", default: ""] + "\n-- edited\n")
        do {
            _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
            Issue.record("resume should have been refused")
        } catch let list as DiagnosticList {
            let text = list.description
            #expect(text.contains("rules bundle changed") && text.contains("规则包已修改"))
            #expect(text.contains(recorded))
            #expect(text.contains("run \(logged.runID)"))
        }
        #expect(try f.store.run(logged.runID)?.recordedStatus == .interrupted)
    }

    /// Yearly-update review: a resume refused after the bundle was edited said only the two
    /// SHA-256 of the whole bundle, and the analyst could not tell which of forty files to put back.
    /// The refusal (and `explain`'s "规则包已修改") names the files modified since the run started.
    @Test func aChangedRulesBundleNamesTheFilesModifiedSinceTheRunStarted() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, _) = try interruptedRun(f)
        let started = Date(timeIntervalSinceNow: -3600)
        try f.store.queue.write { db in
            try db.execute(sql: "UPDATE runs SET started_at = ? WHERE id = ?", arguments: [ISOTimestamp.string(from: started), logged.runID])
        }
        let rules = URL(fileURLWithPath: f.fixture.bundle.rulesDirectory)
        for relative in try RuleBundle.listFiles(under: rules) {
            try FileManager.default.setAttributes([.modificationDate: started.addingTimeInterval(-60)], ofItemAtPath: rules.appendingPathComponent(relative).path)
        }
        try f.fixture.bundle.write("Rules/rent/relief.lua", DecisionLogFixture.rules["rent/relief.lua", default: ""] + "\n-- edited\n")
        do {
            _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
            Issue.record("resume should have been refused")
        } catch let list as DiagnosticList {
            #expect(list.description.contains("modified since the run started (运行开始后修改的文件): rent/relief.lua"), "\(list.description)")
            #expect(!list.description.contains("catalog.yaml"), "\(list.description)")
        }
        let explained = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: ProfileCSVGenerator.creditCode(1))
        #expect("\(explained)".contains("rent/relief.lua"), "\(explained)")
    }

    @Test func resumeRefusesAChangedInputNamingTheFile() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, _) = try interruptedRun(f)
        try ProfileCSVGenerator.write(rows: 300, to: URL(fileURLWithPath: f.profiles), seed: 2)
        do {
            _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
            Issue.record("resume should have been refused")
        } catch let list as DiagnosticList {
            #expect(list.description.contains("input file changed") && list.description.contains(f.profiles))
        }
        try FileManager.default.removeItem(atPath: f.profiles)
        #expect(throws: DiagnosticList.self) { try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1) }
    }

    /// Found in review: an export still being written when the run started. The run read (and
    /// decided) the longer file but logged the digest of the shorter one, exited 0, and `explain`
    /// then called the unchanged file changed. The log now records the bytes read; the exit is 1.
    @Test func anInputThatChangesWhileTheRunReadsItIsLoggedAsReadAndIsNotClean() throws {
        let f = try LoggedFixtureRun(rows: 200)
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: f.options(), commandLine: "x")
        try ProfileCSVGenerator.write(rows: 260, to: URL(fileURLWithPath: f.profiles), seed: 1)  // the export grows
        let summary = try logged.execute()
        #expect(summary.read == 260)
        #expect(summary.inputChanged && summary.exitCode == 1)
        #expect(summary.warnings.contains { $0.message.contains("the file changed while the run read it") })
        let digest = try FileDigest.sha256(path: f.profiles)
        let input = try #require(try f.store.requireRun(logged.runID).provenance.inputs.first)
        #expect(input.sha256 == digest.hex && input.size == digest.size, "the log records the file as read")
        let clean = try f.run()
        #expect(!clean.1.inputChanged, "an unchanged input is not flagged")
    }

    @Test func resumeRefusesAnotherAsOfAndACompletedRun() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, _) = try interruptedRun(f)
        #expect(throws: DiagnosticList.self) { try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1, asOf: "2024-01-01") }
        _ = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1, asOf: "2025-06-01").execute()
        #expect(throws: Diagnostic.self) { try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1) }
        #expect(throws: Diagnostic.self) { try LoggedRun.resume(store: f.store, runID: 99, jobs: 1) }
    }

    @Test func aRunThatCannotStartLeavesNoTrace() throws {
        let f = try LoggedFixtureRun(rows: 10)
        let bad = f.fixture.path("bad.csv")
        try Data("统一社会信用代码,不存在的列\n".utf8).write(to: URL(fileURLWithPath: bad))
        var options = f.options()
        options.inputs = [bad]
        #expect(throws: DiagnosticList.self) { try LoggedRun.start(store: f.store, loaded: f.loaded, options: options, commandLine: "x") }
        #expect(try f.store.runs().isEmpty)
    }

    @Test func decisionsDoNotDependOnJobsOrChunking() throws {
        let f = try LoggedFixtureRun(rows: 250)
        let (a, _) = try f.run(jobs: 1, chunkSize: 1000)
        let (b, _) = try f.run(jobs: 2, chunkSize: 17)
        #expect(try f.store.decisions(run: a.runID).map(\.record) == f.store.decisions(run: b.runID).map(\.record))
    }
}
