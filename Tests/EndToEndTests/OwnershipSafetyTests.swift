import Foundation
import Huiqi
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Lists, rejects files and read-only readers must never destroy or lock out what another command
/// or user owns (found in a review of the session's log-access changes; each test failed before).
@Suite(.serialized) struct OwnershipSafetyTests {
    private let tempDirectory: TemporaryDirectory
    var temp: URL { tempDirectory.url }
    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-ownership") }

    private func path(_ name: String) -> String { temp.appendingPathComponent(name).path }
    private func huiqi(_ args: [String], launcher: [String] = []) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: temp, launcher: launcher)
    }

    /// Samples/profiles.csv with the first row's street set to `street`.
    private func profiles(street: String, to name: String) throws {
        let text = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        var lines = text.components(separatedBy: "\n")
        var cells = lines[1].components(separatedBy: ",")
        cells[4] = "\"" + street + "\""  // 所属街道
        lines[1] = cells.joined(separator: ",")
        try lines.joined(separator: "\n").write(toFile: path(name), atomically: true, encoding: .utf8)
    }

    private var rules: [String] { ["--rules", HuiqiBinary.packageRoot.appendingPathComponent("Rules").path] }

    /// A street page's file name came from the street as found in the data: a cell with a line
    /// break (Excel Alt+Enter) put "huiqi.db" on a line of the lists' manifest, and the next
    /// `huiqi lists --out .` deleted the decision log; the same way, a directory, recursively.
    @Test func aStreetWithALineBreakMakesTheNextListsDeleteTheDecisionLog() throws {
        try profiles(street: "huiqi.db\n松岗", to: "p.csv")
        let run = try huiqi(["run", "p.csv", "--as-of", "2025-06-01"] + rules)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try huiqi(["lists", "1", "--out", "."]).status == 0)
        _ = try huiqi(["lists", "1", "--out", "."])
        #expect(FileManager.default.fileExists(atPath: path("huiqi.db")), "huiqi lists deleted the decision log")
    }

    @Test func aStreetWithALineBreakMakesTheNextListsDeleteAUsersDirectory() throws {
        try profiles(street: "archive\n松岗", to: "p.csv")
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        try FileManager.default.createDirectory(atPath: path("L/archive"), withIntermediateDirectories: true)
        try Data("precious".utf8).write(to: URL(fileURLWithPath: path("L/archive/keep.txt")))
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/archive/keep.txt")), "huiqi lists deleted L/archive")
    }

    /// The manifest was written last: a `huiqi lists` that failed part-way (a full disk: /dev/full
    /// stands in for it) left pages no manifest named, and the next lists left them beside the new
    /// ones. Each name is now recorded before its file is created.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func pagesOfAFailedListsAreNeverRemoved() throws {
        #expect(try huiqi(["run", HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path,
                           "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "新安", "--out", "L"]).status == 0)
        try FileManager.default.createSymbolicLink(atPath: path("L/西乡.html"), withDestinationPath: "/dev/full")  // the disk fills here
        let failed = try huiqi(["lists", "1", "--db", "l.db", "--out", "L"])
        #expect(failed.status == 2 && failed.stderr.contains("磁盘已满"), "\(failed.stderr)")
        try FileManager.default.removeItem(atPath: path("L/西乡.html"))  // space freed
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "新安", "--out", "L"]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: path("L")).sorted()
        #expect(files == [".huiqi-lists", "lists.csv", "新安.html"], "stale pages left: \(files)")
    }

    /// Run ids start at 1 in every log: two logs (one per month, or a log deleted to start over)
    /// with the same --out shared out/decisions.run1.rejects.csv. The second takes the next unused
    /// name, and each log's `log rejects` matches its own file.
    @Test func anotherLogsRunOverwritesThisRunsRejectsFile() throws {
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
        try profiles(street: "松岗", to: "p.csv")
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
}
