import Foundation
import Huiqi
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Lists, rejects files and read-only readers must never destroy or lock out what another command
/// or user owns, and each street keeps its own page (found in two reviews of the session's
/// file-handling changes; each test failed before).
@Suite(.serialized) struct OwnershipSafetyTests {
    private let tempDirectory: TemporaryDirectory
    var temp: URL { tempDirectory.url }
    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-ownership") }

    private func path(_ name: String) -> String { temp.appendingPathComponent(name).path }
    private func huiqi(_ args: [String], launcher: [String] = []) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: temp, launcher: launcher)
    }

    /// Samples/profiles.csv with street cells renamed by `map`.
    private func profiles(_ map: [String: String], to name: String) throws {
        let text = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        for i in 1..<lines.count {
            var cells = lines[i].components(separatedBy: ",")
            if cells.count > 4, let to = map[cells[4]] { cells[4] = "\"" + to + "\""; lines[i] = cells.joined(separator: ",") }
        }
        try lines.joined(separator: "\n").write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    private func count(_ needle: String, in file: String) throws -> Int {
        try String(contentsOfFile: file, encoding: .utf8).components(separatedBy: needle).count - 1
    }

    private func collision(_ a: String, _ b: String) throws {
        try profiles(["新安": a, "松岗": b], to: "p.csv")
        let run = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules)
        #expect(run.status == 0, "\(run.stderr)")
        let lists = try huiqi(["lists", "1", "--db", "l.db", "--out", "L"])
        #expect(lists.status == 0, "\(lists.stderr)")
        // Every business of the two streets with an eligible or pending decision has a card.
        let export = try huiqi(["log", "export", "1", "--db", "l.db", "--out", "all.csv"])
        #expect(export.status == 0, "\(export.stderr)")
        let csv = try CSVTable(contentsOf: path("all.csv"))
        let streetCol = csv.header.firstIndex(of: "所属街道")!, codeCol = csv.header.firstIndex(of: "统一社会信用代码")!
        let outcomeCol = csv.header.firstIndex(of: "判定结果")!
        let expected = Set(csv.rows.filter { ($0[streetCol] == a || $0[streetCol] == b) && ["符合", "待定(缺数据)"].contains($0[outcomeCol]) }
            .map { $0[codeCol] })
        let pages = try FileManager.default.contentsOfDirectory(atPath: path("L")).filter { $0.hasSuffix(".html") }
        var onPages = 0
        for p in pages where p.hasPrefix("A") { onPages += try count("<section>", in: path("L/" + p)) }
        #expect(onPages == expected.count, "businesses of \(a) and \(b) in lists.csv: \(expected.count); cards on their pages: \(onPages); pages \(pages)")
        for p in pages where p.hasPrefix("A") {
            let docs = try count("<!DOCTYPE html>", in: path("L/" + p)); #expect(docs == 1, "\(p) holds \(docs) documents")
        }
    }

    private var rules: [String] { ["--rules", HuiqiBinary.packageRoot.appendingPathComponent("Rules").path] }

    /// A street page's file name came from the street as found in the data: a cell with a line
    /// break (Excel Alt+Enter) put "huiqi.db" on a line of the lists' manifest, and the next
    /// `huiqi lists --out .` deleted the decision log; the same way, a directory, recursively.
    @Test func aStreetWithALineBreakCannotMakeListsDeleteTheLog() throws {
        try profiles(["松岗": "huiqi.db\n松岗"], to: "p.csv")
        let run = try huiqi(["run", "p.csv", "--as-of", "2025-06-01"] + rules)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try huiqi(["lists", "1", "--out", "."]).status == 0)
        _ = try huiqi(["lists", "1", "--out", "."])
        #expect(FileManager.default.fileExists(atPath: path("huiqi.db")), "huiqi lists deleted the decision log")
    }

    @Test func aStreetWithALineBreakCannotMakeListsDeleteADirectory() throws {
        try profiles(["松岗": "archive\n松岗"], to: "p.csv")
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        try FileManager.default.createDirectory(atPath: path("L/archive"), withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path("L/archive/keep.txt")))
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/archive/keep.txt")), "huiqi lists deleted L/archive")
    }

    /// The manifest was written last: a `huiqi lists` that failed part-way (a full disk: /dev/full
    /// stands in for it) left pages no manifest named, and the next lists left them beside the new
    /// ones. Each name is now recorded before its file is created, and a failed lists removes the
    /// files it began at once (the link it wrote through included).
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func pagesOfAFailedListsAreRemovedNextTime() throws {
        #expect(try huiqi(["run", HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path,
                           "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "新安", "--out", "L"]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: path("L/西乡.html"), withDestinationPath: "/dev/full")  // the disk fills here
        let failed = try huiqi(["lists", "1", "--db", "l.db", "--out", "L"])
        #expect(failed.status == 2 && failed.stderr.contains("磁盘已满"), "\(failed.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: path("L")) == [], "a failed lists leaves no pages")
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "新安", "--out", "L"]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: path("L")).sorted()
        #expect(files == [".huiqi-lists", "index.html", "lists.csv", "新安.html"], "stale pages left: \(files)")
    }

    /// Run ids start at 1 in every log: two logs (one per month, or a log deleted to start over)
    /// with the same --out shared out/decisions.run1.rejects.csv. The second takes the next unused
    /// name, and each log's `log rejects` matches its own file.
    @Test func anotherLogsRunTakesTheNextRejectsName() throws {
        let broken = HuiqiBinary.packageRoot.appendingPathComponent("Samples/broken.csv").path
        let a = try huiqi(["run", broken, "--as-of", "2025-06-01", "--out", "out/decisions.csv", "--db", "a.db"] + rules)
        #expect(a.status == 1)
        let own = try Data(contentsOf: URL(fileURLWithPath: path("out/decisions.run1.rejects.csv")))
        try FileManager.default.copyItem(atPath: broken, toPath: path("b2.csv"))  // other rows rejected, other file name
        let b = try huiqi(["run", "b2.csv", "--as-of", "2025-06-01", "--out", "out/decisions.csv", "--db", "b.db"] + rules)
        #expect(b.status == 1, "\(b.stdout)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: path("out/decisions.run1.rejects.csv"))) == own,
                "log a.db's run 1 rejects file was overwritten by log b.db's run 1")
        #expect(b.stdout.contains("decisions.run1-2.rejects.csv"), "\(b.stdout)")
        let exported = try huiqi(["log", "rejects", "1", "--db", "b.db"])
        #expect(exported.stdoutBytes == (try Data(contentsOf: URL(fileURLWithPath: path("out/decisions.run1-2.rejects.csv")))))
    }

    /// `log export --out` and `log rejects --out` naming one of the run's inputs truncated it (a
    /// later resume or `explain --profiles` then failed); `run` already refused that.
    @Test func exportsDoNotOverwriteTheRunsInputsOrTheLog() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/broken.csv"), to: temp.appendingPathComponent("in.csv"))
        let original = try Data(contentsOf: temp.appendingPathComponent("in.csv"))
        #expect(try huiqi(["run", "in.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 1)
        for args in [["log", "export", "1", "--db", "l.db", "--out", "./in.csv"], ["log", "rejects", "1", "--db", "l.db", "--out", "in.csv"],
                     ["log", "export", "1", "--db", "l.db", "--out", "l.db-wal.csv"]] {
            let r = try huiqi(args)
            if args.last == "l.db-wal.csv" { #expect(r.status == 0); continue }
            #expect(r.status == 2 && r.stderr.contains("is the input"), "\(args): \(r.stderr)")
        }
        #expect(try Data(contentsOf: temp.appendingPathComponent("in.csv")) == original)
    }

    /// A log without its -wal/-shm (every log an earlier huiqi wrote) in a directory the reader may
    /// write: SQLite's read-only connection created both, owned by the reader, and the log's owner
    /// could then no longer run or review ("attempt to write a readonly database").
    @Test(.enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
    func aReaderLeavesWALFilesTheOwnerCannotWrite() throws {
        chmod(temp.path, 0o1777)
        let owner = ["/usr/bin/setpriv", "--reuid=1001", "--regid=1001", "--clear-groups"]
        let reader = ["/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
        try profiles([:], to: "p.csv")
        chmod(path("p.csv"), 0o644)
        guard try huiqi(["--version"], launcher: owner).status == 0 else { return }  // binary not reachable
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db"] + rules, launcher: owner).status == 0)
        for suffix in ["-wal", "-shm"] { try FileManager.default.removeItem(atPath: path("h.db" + suffix)) }  // as an older huiqi left it
        // The reader is refused instead of creating the files as itself, and told what to ask.
        let read = try huiqi(["log", "runs", "--db", "h.db"], launcher: reader)
        #expect(read.status == 2 && read.stderr.contains("-wal and -shm files are missing") && read.stderr.contains("owner"), "\(read.stderr)")
        #expect(!FileManager.default.fileExists(atPath: path("h.db-wal")) && !FileManager.default.fileExists(atPath: path("h.db-shm")))
        let again = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db"] + rules, launcher: owner)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try huiqi(["log", "runs", "--db", "h.db"], launcher: reader).status == 0, "once the owner wrote it, anyone reads it")
    }

    @Test func slashAndUnderscoreStreetsGetAPageEach() throws { try collision("A/B", "A_B") }
    /// (A line break inside a street is now removed with every space, as the rules do: "A\nB" is the street "AB".)
    @Test func controlCharacterAndUnderscoreStreetsGetAPageEach() throws { try collision("A\u{7}B", "A_B") }

    /// A street whose name starts with "." got a hidden page no later lists removed. Its page is
    /// now "_.A.html", and the next lists removes it.
    @Test func aDotStreetGetsAVisiblePageTheNextListsRemoves() throws {
        try profiles(["新安": ".A"], to: "p.csv")
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/_.A.html")) && !FileManager.default.fileExists(atPath: path("L/.A.html")))
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "松岗", "--out", "L"]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: path("L")).sorted()
        #expect(!files.contains("_.A.html"), "stale page of the earlier lists left: \(files)")
    }

    @Test func aFileListsCouldNotOpenIsKeptByTheNextLists() throws {
        #expect(try huiqi(["run", HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path,
                           "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        try FileManager.default.createDirectory(atPath: path("L"), withIntermediateDirectories: true)
        // the user's own link, pointing at a drive not mounted now
        try FileManager.default.createSymbolicLink(atPath: path("L/新安.html"), withDestinationPath: "/nonexistent-mount/新安.html")
        let failed = try huiqi(["lists", "1", "--db", "l.db", "--out", "L"])
        #expect(failed.status == 2, "\(failed.stderr)")
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "西乡", "--out", "L"]).status == 0)
        var st = stat()
        #expect(lstat(path("L/新安.html"), &st) == 0, "the user's L/新安.html, never written by huiqi, was deleted")
    }

    /// Operator review: a log in a directory the user may not write to failed with SQLite's
    /// "unable to open database file" alone; it now says why, and what to do.
    @Test(.enabled(if: OtherUser.available)) func aLogInADirectoryTheUserMayNotWriteSaysWhy() throws {
        chmod(temp.path, 0o755)  // root's, not writable by the other user
        try FileManager.default.copyItem(atPath: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path, toPath: path("p.csv"))
        chmod(path("p.csv"), 0o644)
        let refused = try OtherUser.run(["run", "p.csv", "--as-of", "2025-06-01", "--db", "new.db"] + rules, cwd: temp)
        #expect(refused.status == 2, "\(refused.stderr)")
        #expect(refused.stderr.contains("无法创建: 没有写目录") && refused.stderr.contains("give --db somewhere writable"), "\(refused.stderr)")
    }

    /// Same, as a non-root user: a read-only file of the user's.
    @Test(.enabled(if: OtherUser.available)) func aUsersReadOnlyFileIsKeptByTheNextLists() throws {
        chmod(temp.path, 0o1777)
        try FileManager.default.copyItem(atPath: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path, toPath: path("p.csv"))
        chmod(path("p.csv"), 0o644)
        #expect(try OtherUser.run(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules, cwd: temp).status == 0)
        _ = try OtherUser.run(["lists", "1", "--db", "l.db", "--street", "松岗", "--out", "L"], cwd: temp)
        try Data("my annotated copy".utf8).write(to: URL(fileURLWithPath: path("L/新安.html")))
        chown(path("L/新安.html"), 65534, 65534); chmod(path("L/新安.html"), 0o444)
        _ = try OtherUser.run(["lists", "1", "--db", "l.db", "--out", "L"], cwd: temp)  // fails on the read-only page
        #expect(try OtherUser.run(["lists", "1", "--db", "l.db", "--street", "西乡", "--out", "L"], cwd: temp).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/新安.html")), "the user's read-only L/新安.html was deleted")
    }

    /// The per-run name was chosen by "no file there yet", but the file was only created at the
    /// run's first reject: a run of another log started meanwhile took the same name, and the
    /// first run's resume overwrote it. The name is now reserved when the run is created.
    @Test func anotherLogsRunCannotTakeARunsReservedRejectsName() throws {
        let fixture = try DecisionLogFixture()
        let late = try fixture.writeProfiles("late.csv", rows: 400, rejectEvery: 300)   // first reject at row 300
        let logA = fixture.path("a.db")
        let store = try SQLiteDecisionStore(path: logA)
        let options = BatchRun.Options(inputs: [late], asOf: "2025-06-01", outPath: fixture.path("out/d.jsonl"), jobs: 1, chunkSize: 64)
        try FileManager.default.createDirectory(atPath: fixture.path("out"), withIntermediateDirectories: true)
        let logged = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: options, commandLine: "huiqi run (test)", logPath: logA)
        let interrupt = InterruptSignal(signals: [])
        #expect(throws: RunInterrupted.self) {
            _ = try logged.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(1, interrupt: interrupt)])
        }
        let reserved = fixture.path("out/d.run1.rejects.csv")
        #expect((try? FileManager.default.attributesOfItem(atPath: reserved)[.size] as? Int) == 0, "the name is held by an empty file")
        let other = try fixture.writeProfiles("other.csv", rows: 100, seed: 7, rejectEvery: 10)
        let b = try HuiqiBinary.run(["run", other, "--as-of", "2025-06-01", "--out", "out/d.csv", "--db", "b.db", "--rules", fixture.rulesDirectory],
                                    cwd: fixture.root)
        #expect(b.status == 1 && b.stdout.contains("d.run1-2.rejects.csv"), "\(b.stdout)\(b.stderr)")
        let bRejects = try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/d.run1-2.rejects.csv")))
        let resumed = try HuiqiBinary.run(["run", "--resume", "1", "--db", "a.db"], cwd: fixture.root)
        #expect(resumed.status == 1, "\(resumed.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/d.run1-2.rejects.csv"))) == bRejects,
                "log b.db's run 1 rejects file was overwritten by log a.db's run 1")
        let aRejects = try String(contentsOf: URL(fileURLWithPath: reserved), encoding: .utf8)
        #expect(aRejects.split(separator: "\r\n").count == 2, "a.db's run 1 has its one reject in its own file")
    }
}
