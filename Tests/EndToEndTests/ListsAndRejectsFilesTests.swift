import Foundation
import Huiqi
import TestSupport
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `huiqi lists` pages and per-run rejects files: each street keeps its own page, nothing a user
/// owns is removed, and no other log's run takes a run's rejects file (found in a second review;
/// each test failed before).
@Suite(.serialized) struct ListsAndRejectsFilesTests {
    private let tempDirectory: TemporaryDirectory
    var temp: URL { tempDirectory.url }
    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-review9") }
    private func path(_ name: String) -> String { temp.appendingPathComponent(name).path }
    private func huiqi(_ args: [String], launcher: [String] = []) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: temp, launcher: launcher)
    }
    private var rules: [String] { ["--rules", HuiqiBinary.packageRoot.appendingPathComponent("Rules").path] }

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
        print("LISTS OUT:\n\(lists.stdout)")
        let csv = try CSVTable(contentsOf: path("L/lists.csv"))
        let streetCol = csv.header.firstIndex(of: "街道")!, codeCol = csv.header.firstIndex(of: "统一社会信用代码")!
        let expected = Set(csv.rows.filter { $0[streetCol] == a || $0[streetCol] == b }.map { $0[codeCol] })
        let pages = try FileManager.default.contentsOfDirectory(atPath: path("L")).filter { $0.hasSuffix(".html") }
        var onPages = 0
        for p in pages where p.hasPrefix("A") { onPages += try count("<section>", in: path("L/" + p)) }
        #expect(onPages == expected.count, "businesses of \(a) and \(b) in lists.csv: \(expected.count); cards on their pages: \(onPages); pages \(pages)")
        for p in pages where p.hasPrefix("A") {
            let docs = try count("<!DOCTYPE html>", in: path("L/" + p)); #expect(docs == 1, "\(p) holds \(docs) documents")
        }
    }

    @Test func slashAndUnderscoreStreetsShareOnePage() throws { try collision("A/B", "A_B") }
    @Test func lineBreakAndUnderscoreStreetsShareOnePage() throws { try collision("A\nB", "A_B") }

    /// A street whose name starts with "." got a hidden page no later lists removed. Its page is
    /// now "_.A.html", and the next lists removes it.
    @Test func dotStreetPageIsNeverRemoved() throws {
        try profiles(["新安": ".A"], to: "p.csv")
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--out", "L"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/_.A.html")) && !FileManager.default.fileExists(atPath: path("L/.A.html")))
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "松岗", "--out", "L"]).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: path("L")).sorted()
        #expect(!files.contains("_.A.html"), "stale page of the earlier lists left: \(files)")
    }

    @Test func aFileListsFailedToOpenIsDeletedByTheNextLists() throws {
        #expect(try huiqi(["run", HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path,
                           "--as-of", "2025-06-01", "--db", "l.db"] + rules).status == 0)
        try FileManager.default.createDirectory(atPath: path("L"), withIntermediateDirectories: true)
        // the user's own link, pointing at a drive not mounted now
        try FileManager.default.createSymbolicLink(atPath: path("L/新安.html"), withDestinationPath: "/nonexistent-mount/新安.html")
        let failed = try huiqi(["lists", "1", "--db", "l.db", "--out", "L"])
        #expect(failed.status == 2, "\(failed.stderr)")
        print("FAILED: \(failed.stderr)")
        print("MANIFEST: \(String(decoding: (try? Data(contentsOf: URL(fileURLWithPath: path("L/.huiqi-lists")))) ?? Data(), as: UTF8.self))")
        #expect(try huiqi(["lists", "1", "--db", "l.db", "--street", "西乡", "--out", "L"]).status == 0)
        var st = stat()
        #expect(lstat(path("L/新安.html"), &st) == 0, "the user's L/新安.html, never written by huiqi, was deleted")
    }

    /// Same, as a non-root user: a read-only file of the user's.
    @Test(.enabled(if: OtherUser.available)) func aReadOnlyUserFileIsDeletedByTheNextLists() throws {
        chmod(temp.path, 0o1777)
        try FileManager.default.copyItem(atPath: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path, toPath: path("p.csv"))
        chmod(path("p.csv"), 0o644)
        #expect(try OtherUser.run(["run", "p.csv", "--as-of", "2025-06-01", "--db", "l.db"] + rules, cwd: temp).status == 0)
        _ = try OtherUser.run(["lists", "1", "--db", "l.db", "--street", "松岗", "--out", "L"], cwd: temp)
        try Data("my annotated copy".utf8).write(to: URL(fileURLWithPath: path("L/新安.html")))
        chown(path("L/新安.html"), 65534, 65534); chmod(path("L/新安.html"), 0o444)
        let failed = try OtherUser.run(["lists", "1", "--db", "l.db", "--out", "L"], cwd: temp)
        print("FAILED(ro): \(failed.status) \(failed.stderr)")
        #expect(try OtherUser.run(["lists", "1", "--db", "l.db", "--street", "西乡", "--out", "L"], cwd: temp).status == 0)
        #expect(FileManager.default.fileExists(atPath: path("L/新安.html")), "the user's read-only L/新安.html was deleted")
    }

    /// The per-run name was chosen by "no file there yet", but the file was only created at the
    /// run's first reject: a run of another log started meanwhile took the same name, and the
    /// first run's resume overwrote it. The name is now reserved when the run is created.
    @Test func anotherLogsRunTakesTheSameRejectsNameBeforeTheFirstRejectsAndIsOverwritten() throws {
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
