import Foundation
import Huiqi
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// PRODUCT.md §7 "Crash-safe": `kill -9` part-way leaves a readable log and a run shown as
/// interrupted; `run --resume` completes it with no decision missing or doubled, and refuses a
/// rules bundle edited in between.
@Suite(.serialized) struct DecisionLogCrashTests {
    static let rows = 40_000

    /// Starts `huiqi run` and waits until it has committed some rows but not all.
    private func startAndWaitForCommits(_ fixture: DecisionLogFixture, _ args: [String]) throws -> (HuiqiBinary.Started, committed: Int) {
        let child = try HuiqiBinary.start(args, cwd: fixture.root)
        let deadline = Date().addingTimeInterval(120)
        var committed = 0
        while Date() < deadline, child.process.isRunning {
            if FileManager.default.fileExists(atPath: fixture.path("huiqi.db")),
               let store = try? SQLiteDecisionStore(path: fixture.path("huiqi.db"), create: false),
               let n = try? store.rowsCommitted(run: 1), n > 0 {
                committed = n
                break
            }
            usleep(5_000)
        }
        return (child, committed)
    }

    /// A `huiqi run` that could not start removed the log it had just created, even when another
    /// process had meanwhile opened that log to start its own run (found in review): the other
    /// run went on writing to a deleted file. The clean-up now first asks whether any other
    /// process has the log open.
    @Test func aLogOpenInAnotherProcessIsSeenAsInUse() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: Self.rows)
        let log = fixture.path("huiqi.db")
        let (child, committed) = try startAndWaitForCommits(fixture, ["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01",
                                                                      "--commit-every", "256"])
        let whileRunning = DecisionLogFiles.inUseByAnotherProcess(log)
        let stillRunning = child.process.isRunning
        child.process.waitUntilExit()
        _ = child.finish()
        #expect(stillRunning && committed > 0, "the run was not caught part-way (committed \(committed))")
        #expect(whileRunning, "the running huiqi holds the log open")
        #expect(!DecisionLogFiles.inUseByAnotherProcess(log), "nobody has it open once the run ended")
    }

    @Test func killNineThenResumeDecidesEveryProfileTimesServiceExactlyOnce() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: Self.rows, rejectEvery: 997)
        // Small commits, so the kill reliably lands part-way however fast the run is.
        let args = ["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--jobs", "2", "--out", "out/decisions.jsonl",
                    "--commit-every", "256"]
        let (child, committed) = try startAndWaitForCommits(fixture, args)
        guard child.process.isRunning, committed > 0, committed < Self.rows else {
            child.process.waitUntilExit()
            let output = child.finish()
            Issue.record("the run was not caught part-way (committed \(committed)); status \(output.status): \(output.stderr)")
            return
        }
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        _ = child.finish()  // removes its output files
        #expect(child.process.terminationReason == .uncaughtSignal)

        // The log opens, and the run (still marked running) reads as interrupted.
        let store = try SQLiteDecisionStore(path: fixture.path("huiqi.db"), create: false)
        let killed = try #require(try store.run(1))
        #expect(killed.recordedStatus == .running && killed.status == .interrupted)
        #expect(killed.rowsCommitted >= committed && killed.rowsCommitted < Self.rows)
        let runs = try HuiqiBinary.run(["log", "runs"], cwd: fixture.root)
        #expect(runs.status == 0 && runs.stdout.contains("interrupted 已中断"))
        #expect(try store.decisions(run: 1).count % 3 == 0)

        // An edited rule is refused, naming the rules hash.
        let rule = fixture.path("Rules/rent/relief.lua")
        let original = try Data(contentsOf: URL(fileURLWithPath: rule))
        try fixture.bundle.write("Rules/rent/relief.lua", String(decoding: original, as: UTF8.self) + "-- 修改\n")
        let refused = try HuiqiBinary.run(["run", "--resume", "1"], cwd: fixture.root)
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("rules bundle changed") && refused.stderr.contains("rules SHA-256 recorded \(killed.provenance.rulesSHA256)"))
        #expect(try store.run(1)?.recordedStatus == .running)

        // Restored byte for byte, the resume completes the run.
        try original.write(to: URL(fileURLWithPath: rule))
        let resumed = try HuiqiBinary.run(["run", "--resume", "1", "--jobs", "1"], cwd: fixture.root)
        #expect(resumed.status == 1, "rejects and rule errors give 1: \(resumed.stderr)")
        #expect(resumed.stdout.hasPrefix("运行编号 run id: 1\n"))
        let done = try #require(try store.run(1))
        #expect(done.status == .completed)
        let rejected = Self.rows / 997
        #expect(done.read == Self.rows && done.rejected == rejected && done.evaluated == Self.rows - rejected)
        #expect(done.rowsCommitted == Self.rows)
        let decisions = try store.decisions(run: 1)
        #expect(decisions.count == (Self.rows - rejected) * 3)
        #expect(Set(decisions.map(\.id)).count == decisions.count)
        let rows = Set(decisions.map(\.id.row))
        #expect(rows.count == Self.rows - rejected)
        #expect(try store.rejects(run: 1).count == rejected)

        // And it decided exactly what an uninterrupted run decides.
        let clean = try HuiqiBinary.run(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--out", "out/clean.jsonl"],
                                        cwd: fixture.root)
        #expect(clean.stdout.hasPrefix("运行编号 run id: 2\n"))
        #expect(try store.decisions(run: 2).map(\.record) == decisions.map(\.record))
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/decisions.jsonl")))
                == Data(contentsOf: URL(fileURLWithPath: fixture.path("out/clean.jsonl"))))
    }

    /// Found in review: with stdout redirected to a file (as `HuiqiBinary.start` does), a run
    /// killed part-way left the file empty: "运行编号 run id: N" was still in stdio's buffer, and nothing
    /// said which run to resume.
    @Test func theRunIDReachesRedirectedStdoutBeforeAKill() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: Self.rows)
        let (child, committed) = try startAndWaitForCommits(fixture, ["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01",
                                                                      "--commit-every", "256"])
        let caught = child.process.isRunning && committed > 0
        kill(child.process.processIdentifier, SIGKILL)
        child.process.waitUntilExit()
        let output = child.finish()
        #expect(caught, "the run was not caught part-way (committed \(committed))")
        #expect(output.stdout.hasPrefix("运行编号 run id: 1\n"), "stdout: \(output.stdout.debugDescription)")
    }

    /// docs/review.md: a second Ctrl-C stops at once. Found in review: the process ran on to the
    /// end of its chunk (the signal was raised on a thread that blocks it).
    @Test func aSecondSigintStopsAtOnce() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("huiqi-sigint-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let rules = dir.appendingPathComponent("Rules")
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: rules)
        // A slow condition (about 6M VM instructions, within the 10M budget): one chunk of 1,000
        // businesses takes many seconds.
        let party = rules.appendingPathComponent("party/party01_org_building.lua")
        let text = try String(contentsOf: party, encoding: .utf8)
        let slow = text.replacingOccurrences(of: "function(p) return not p.has_party_org end",
                                             with: "function(p) local n = 0; for i = 1, 2000000 do n = n + i end; return not p.has_party_org end")
        #expect(slow != text)
        try Data(slow.utf8).write(to: party)
        #expect(try HuiqiBinary.run(["sample", "--count", "1000", "--seed", "4", "--out", "p.csv"], cwd: dir).status == 0)
        let child = try HuiqiBinary.start(["run", "p.csv", "--as-of", "2025-06-01", "--commit-every", "100000", "--jobs", "1"], cwd: dir)
        usleep(1_500_000)
        #expect(child.process.isRunning)
        child.process.interrupt()
        usleep(300_000)
        child.process.interrupt()
        let second = Date()
        child.process.waitUntilExit()
        let seconds = Date().timeIntervalSince(second)
        let output = child.finish()
        #expect(seconds < 2, "ran \(seconds) s after the second SIGINT")
        #expect(output.status == 130 || (child.process.terminationReason == .uncaughtSignal && output.status == SIGINT),
                "status \(output.status): \(output.stderr)")
        // Stopped at once, it still told which run to resume (found in review: stdout, a file here,
        // lost the run id in its buffer, and nothing said how to go on).
        #expect(output.stdout.hasPrefix("运行编号 run id: 1\n"), "stdout: \(output.stdout.debugDescription)")
        #expect(output.stderr.contains("huiqi run --resume 1 --db huiqi.db"), "\(output.stderr)")
    }

    @Test func sigintStopsCleanlyWithExit130AndTheRunResumes() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: Self.rows)
        let (child, committed) = try startAndWaitForCommits(fixture, ["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01",
                                                                      "--commit-every", "256"])
        guard child.process.isRunning, committed > 0, committed < Self.rows else {
            child.process.waitUntilExit()
            let output = child.finish()
            Issue.record("the run was not caught part-way (committed \(committed)); status \(output.status): \(output.stderr)")
            return
        }
        child.process.interrupt()
        child.process.waitUntilExit()
        let output = child.finish()
        #expect(output.status == 130)
        #expect(output.stderr.contains("huiqi run --resume 1"))
        // The rejects file is cut short like --out (operator review: only --out was said to be).
        #expect(output.stderr.contains("huiqi.run1.rejects.csv holds only the rejects of the rows read so far"), "\(output.stderr)")
        let store = try SQLiteDecisionStore(path: fixture.path("huiqi.db"), create: false)
        let stopped = try #require(try store.run(1))
        #expect(stopped.recordedStatus == .interrupted && stopped.endedAt != nil)
        #expect(try store.decisions(run: 1).count == stopped.rowsCommitted * 3)

        let resumed = try HuiqiBinary.run(["run", "--resume", "1"], cwd: fixture.root)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(try store.run(1)?.status == .completed)
        #expect(try store.decisions(run: 1).count == Self.rows * 3)
    }
}
