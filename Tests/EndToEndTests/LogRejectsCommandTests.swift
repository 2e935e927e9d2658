import Foundation
import Huiqi
import TestSupport
import Testing

/// `huiqi log rejects RUN`: a run's rejected rows back from the decision log, in the rejects
/// file's format; and one default rejects file per run. Found in review: every run on a log wrote
/// `huiqi.rejects.csv` (with `--out`, `NAME.rejects.csv`, shared by `.csv` and `.jsonl`), so a
/// second run left the first run's rejects file with only its header, and nothing could get the
/// rejects back from the log but `explain`, one business at a time.
@Suite(.serialized) struct LogRejectsCommandTests {
    private func huiqi(_ args: [String], in fixture: DecisionLogFixture) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: fixture.root)
    }

    /// The rows `ProfileCSVGenerator` makes rejects of (a wrong check digit on every `every`-th
    /// record), read from the file itself: line, credit code and raw record.
    private func generatorRejects(_ fixture: DecisionLogFixture, _ name: String, every: Int, upToRow: Int = .max) throws
        -> [(line: String, code: String, raw: String)] {
        let lines = try String(contentsOfFile: fixture.path(name), encoding: .utf8).split(separator: "\n").map(String.init)
        return lines.indices.dropFirst().filter { $0 % every == 0 && $0 <= upToRow }.map { i in
            (String(i + 1), String(lines[i].prefix { $0 != "," }), lines[i])
        }
    }

    private func bytes(_ path: String) throws -> Data { try Data(contentsOf: URL(fileURLWithPath: path)) }

    private func checkRejects(_ table: CSVTable, file: String, expected: [(line: String, code: String, raw: String)],
                              sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(table.header == RejectsWriter.headers, sourceLocation: sourceLocation)
        #expect(table.rows.count == expected.count, sourceLocation: sourceLocation)
        #expect(table.column("文件").allSatisfy { $0 == file }, sourceLocation: sourceLocation)
        #expect(table.column("行号") == expected.map(\.line), sourceLocation: sourceLocation)
        #expect(table.column("统一社会信用代码") == expected.map(\.code), sourceLocation: sourceLocation)
        #expect(table.column("字段").allSatisfy { $0 == "credit_code" }, sourceLocation: sourceLocation)
        #expect(table.column("原因").allSatisfy { $0.contains("校验位错误") }, sourceLocation: sourceLocation)
        #expect(table.column("原始内容") == expected.map(\.raw), sourceLocation: sourceLocation)
    }

    @Test func twoRunsOnOneLogEachKeepTheirRejectsAndGiveThemBack() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles("a.csv", rows: 60, rejectEvery: 25)
        try fixture.writeProfiles("b.csv", rows: 80, seed: 2, rejectEvery: 9)
        let runs = [(id: 1, input: "a.csv", every: 25), (id: 2, input: "b.csv", every: 9)]
        for run in runs {
            // No --out: the rejects file goes next to the log (./huiqi.db).
            let r = try huiqi(["run", run.input, "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
            let n = try generatorRejects(fixture, run.input, every: run.every).count
            #expect(r.status == 1, "\(r.stderr)")
            #expect(r.stdout.hasPrefix("运行编号 run id: \(run.id)\n"))
            #expect(r.stdout.contains("拒收 rejected: \(n)"))
            // The summary says where the rejects are, and how to get them back from the log.
            #expect(r.stdout.contains("拒收明细 rejects: huiqi.run\(run.id).rejects.csv")
                    && r.stdout.contains("huiqi log rejects \(run.id) --db huiqi.db"), "\(r.stdout)")
        }

        for run in runs {
            let expected = try generatorRejects(fixture, run.input, every: run.every)
            // The run's own file survived the other run, with every reject.
            let own = fixture.path("huiqi.run\(run.id).rejects.csv")
            checkRejects(try CSVTable(contentsOf: own), file: run.input, expected: expected)

            // To a file: byte for byte the run's rejects file (BOM, Chinese headers, CRLF).
            let out = "out/run\(run.id)-rejects.csv"
            let exported = try huiqi(["log", "rejects", "\(run.id)", "--out", out], in: fixture)
            #expect(exported.status == 0, "\(exported.stderr)")
            #expect(exported.stdout == "\(expected.count) 行拒收 rejects → \(out)\n")
            #expect(try bytes(fixture.path(out)) == bytes(own))
            #expect(Array(try bytes(fixture.path(out)).prefix(3)) == [0xEF, 0xBB, 0xBF])

            // To standard output, redirected to a file as here: the same bytes.
            let printed = try huiqi(["log", "rejects", "\(run.id)"], in: fixture)
            #expect(printed.status == 0 && printed.stderr.isEmpty, "\(printed.stderr)")
            #expect(try printed.stdoutBytes == bytes(own))
            checkRejects(CSVTable(text: printed.stdout), file: run.input, expected: expected)
        }

        // An unknown run (or log) is refused, naming the log.
        let unknown = try huiqi(["log", "rejects", "3"], in: fixture)
        #expect(unknown.status == 2 && unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("huiqi.db: no run 3 in this decision log"), "\(unknown.stderr)")
        let noLog = try huiqi(["log", "rejects", "1", "--db", "other.db"], in: fixture)
        #expect(noLog.status == 2 && noLog.stderr.contains("other.db"), "\(noLog.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("other.db")))
        #expect(try huiqi(["log", "rejects", "1", "--out", "r.jsonl"], in: fixture).status == 2)
    }

    /// `--out out/decisions.csv` and `--out out/decisions.jsonl` used to share
    /// `out/decisions.rejects.csv`; `--rejects FILE` is written as before, even with nothing in it.
    /// Data-administrator review: a raw row holding a NUL came back from the log cut at the NUL,
    /// while docs/review.md says the two rejects files are the same bytes.
    @Test func aRejectedRowWithANulComesBackWhole() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 10)
        var lines = try String(contentsOfFile: fixture.path("profiles.csv"), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines[3] = lines[3].replacingOccurrences(of: ",", with: ",nul\u{0}after,", options: [], range: lines[3].range(of: ","))
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: fixture.path("profiles.csv")))
        let run = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "n.db"], in: fixture)
        #expect(run.status == 1, "\(run.stderr)")
        let fromLog = try huiqi(["log", "rejects", "1", "--db", "n.db", "--out", "again.csv"], in: fixture)
        #expect(fromLog.status == 0, "\(fromLog.stderr)")
        #expect(try bytes(fixture.path("again.csv")) == bytes(fixture.path("n.run1.rejects.csv")))
        #expect(try String(decoding: bytes(fixture.path("again.csv")), as: UTF8.self).contains("after"))
    }

    @Test func runsWithOutKeepTheirOwnRejectsAndRejectsFileWorksAsBefore() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles("a.csv", rows: 60, rejectEvery: 25)
        try fixture.writeProfiles("b.csv", rows: 80, seed: 2, rejectEvery: 9)
        try fixture.writeProfiles("clean.csv", rows: 20)
        let base = ["--rules", "Rules", "--as-of", "2025-06-01", "--db", "logs/h.db"]
        try FileManager.default.createDirectory(atPath: fixture.path("logs"), withIntermediateDirectories: true)
        #expect(try huiqi(["run", "a.csv", "--out", "out/decisions.csv"] + base, in: fixture).status == 1)
        #expect(try huiqi(["run", "b.csv", "--out", "out/decisions.jsonl"] + base, in: fixture).status == 1)
        for (id, input, every) in [(1, "a.csv", 25), (2, "b.csv", 9)] {
            let own = fixture.path("out/decisions.run\(id).rejects.csv")
            checkRejects(try CSVTable(contentsOf: own), file: input, expected: try generatorRejects(fixture, input, every: every))
            let exported = try huiqi(["log", "rejects", "\(id)", "--db", "logs/h.db"], in: fixture)
            #expect(exported.status == 0)
            #expect(try exported.stdoutBytes == bytes(own))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("out/decisions.rejects.csv")))

        // A run that rejects nothing leaves no default rejects file; the log gives a header only.
        let clean = try huiqi(["run", "clean.csv"] + base, in: fixture)
        #expect(clean.status == 0 && clean.stdout.hasPrefix("运行编号 run id: 3\n"), "\(clean.stderr)")
        #expect(!clean.stdout.contains("拒收明细"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("logs/h.run3.rejects.csv")))
        let none = try huiqi(["log", "rejects", "3", "--db", "logs/h.db", "--out", "none.csv"], in: fixture)
        #expect(none.status == 0 && none.stdout == "0 行拒收 rejects → none.csv\n")
        #expect(try CSVTable(contentsOf: fixture.path("none.csv")) == CSVTable(header: RejectsWriter.headers, rows: []))

        // --rejects FILE: that name, written even when empty, as before.
        #expect(try huiqi(["run", "clean.csv", "--rejects", "mine.csv"] + base, in: fixture).status == 0)
        #expect(try CSVTable(contentsOf: fixture.path("mine.csv")) == CSVTable(header: RejectsWriter.headers, rows: []))
        #expect(try huiqi(["run", "a.csv", "--out", "out/d.csv", "--rejects", "mine.csv"] + base, in: fixture).status == 1)
        checkRejects(try CSVTable(contentsOf: fixture.path("mine.csv")), file: "a.csv", expected: try generatorRejects(fixture, "a.csv", every: 25))
        #expect(try SQLiteDecisionStore(path: fixture.path("logs/h.db"), create: false).run(5)?.provenance.rejectsPath
                == fixture.root.appendingPathComponent("mine.csv").standardizedFileURL.path)
    }

    /// An interrupted run gives the rejects it committed; once resumed, all of them, the same bytes
    /// as the rejects file the resume rewrites.
    @Test func interruptedAndResumedRunsGiveTheirCommittedRejects() throws {
        let fixture = try DecisionLogFixture()
        let profiles = try fixture.writeProfiles("p.csv", rows: 400, rejectEvery: 37)
        let log = fixture.path("huiqi.db")
        let store = try SQLiteDecisionStore(path: log)
        let options = BatchRun.Options(inputs: [profiles], asOf: "2025-06-01", jobs: 2, chunkSize: 64)
        let logged = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: options,
                                         commandLine: "huiqi run (test)", logPath: log)
        let interrupt = InterruptSignal(signals: [])
        #expect(throws: RunInterrupted.self) {
            _ = try logged.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(2, interrupt: interrupt)])
        }
        let committed = try store.rowsCommitted(run: logged.runID)
        #expect(committed > 37 && committed < 400)
        let partial = try generatorRejects(fixture, "p.csv", every: 37, upToRow: committed)
        #expect(!partial.isEmpty)

        let cut = try huiqi(["log", "rejects", "1"], in: fixture)
        #expect(cut.status == 0)
        #expect(cut.stderr.contains("run 1 is interrupted") && cut.stderr.contains("only committed rows"), "\(cut.stderr)")
        checkRejects(CSVTable(text: cut.stdout), file: profiles, expected: partial)
        let cutFile = try huiqi(["log", "rejects", "1", "--out", "cut.csv"], in: fixture)
        #expect(cutFile.stdout == "\(partial.count) 行拒收 rejects → cut.csv — run 1 is interrupted (已中断): only committed rows\n")

        let resumed = try huiqi(["run", "--resume", "1"], in: fixture)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(resumed.stdout.contains("huiqi log rejects 1 --db huiqi.db"))
        let all = try generatorRejects(fixture, "p.csv", every: 37)
        let whole = try huiqi(["log", "rejects", "1"], in: fixture)
        #expect(whole.status == 0 && whole.stderr.isEmpty, "\(whole.stderr)")
        checkRejects(CSVTable(text: whole.stdout), file: profiles, expected: all)
        #expect(try whole.stdoutBytes == bytes(fixture.path("huiqi.run1.rejects.csv")))
    }
}
