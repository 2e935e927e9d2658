import Foundation
import TestSupport
import Testing

/// Outputs never destroy inputs, and a failed write is an error naming the file, not a crash
/// (both found in an administrator's review).
@Suite struct OutputSafetyTests {
    private let tempDirectory: TemporaryDirectory
    var temp: URL { tempDirectory.url }

    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-outputs") }

    private func huiqi(_ args: [String]) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args + ["--rules", HuiqiBinary.packageRoot.appendingPathComponent("Rules").path], cwd: temp)
    }

    /// `--out q.jsonl` on the input q.jsonl truncated it, read nothing and exited 0.
    @Test func anOutputThatIsAnInputOrTheOtherOutputIsRefusedBeforeAnythingIsWritten() throws {
        for sample in ["profiles.csv", "profiles.jsonl"] {
            let input = temp.appendingPathComponent(sample)
            try? FileManager.default.removeItem(at: input)
            try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/\(sample)"), to: input)
            let original = try Data(contentsOf: input)
            for args in [["--out", "./\(sample)"], ["--out", "o.csv", "--rejects", sample]] {
                let r = try huiqi(["run", sample, "--as-of", "2025-06-01", "--db", "h.db"] + args)
                #expect(r.status == 2, "\(args): \(r.stdout)")
                #expect(r.stderr.contains("is the input \(sample)") && r.stderr.contains("输出文件与输入或其他输出相同"), "\(r.stderr)")
                #expect(try Data(contentsOf: input) == original, "\(sample) was changed by \(args)")
            }
        }
        let both = try huiqi(["run", "profiles.csv", "--as-of", "2025-06-01", "--db", "h.db", "--out", "o.csv", "--rejects", "o.csv"])
        #expect(both.status == 2 && both.stderr.contains("--rejects is the file given to --out"), "\(both.stderr)")
        let log = try huiqi(["run", "profiles.csv", "--as-of", "2025-06-01", "--db", "h.db", "--out", "h.db-wal.csv", "--rejects", "h.db"])
        #expect(log.status == 2 && log.stderr.contains("is the decision log"), "\(log.stderr)")
        try FileManager.default.createDirectory(at: temp.appendingPathComponent("d.csv"), withIntermediateDirectories: true)
        let directory = try huiqi(["run", "profiles.csv", "--as-of", "2025-06-01", "--db", "h.db", "--out", "d.csv"])
        #expect(directory.status == 2 && directory.stderr.contains("--out names a directory"), "\(directory.stderr)")
        // None of these started a run: the log they would have created is gone again.
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("h.db").path))
    }

    /// Crash-safety review: two runs given one `--out` both wrote into it, each exiting 0, and the
    /// file mixed the two. A file another process writes (holds its lock) is refused, and the
    /// other process's file is left as it was.
    @Test func anOutputAnotherProcessIsWritingIsRefused() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"),
                                         to: temp.appendingPathComponent("p.csv"))
        for name in ["o.csv", "o.jsonl", "r.csv"] {
            let url = temp.appendingPathComponent(name)
            try Data("another run's rows\n".utf8).write(to: url)
            // The test process holds the lock, as another huiqi process writing the file would.
            let holder = try FileHandle(forWritingTo: url)
            var lock = flock()
            lock.l_type = Int16(F_WRLCK)
            lock.l_whence = Int16(SEEK_SET)
            #expect(fcntl(holder.fileDescriptor, F_SETLK, &lock) == 0)
            let args = name == "r.csv" ? ["--rejects", name] : ["--out", name]
            let r = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db"] + args)
            #expect(r.status == 2, "\(name): \(r.stdout)")
            #expect(r.stderr.contains("\(name)") && r.stderr.contains("another process is writing this file (另一个进程正在写入此文件)"), "\(r.stderr)")
            #expect(try String(contentsOf: url, encoding: .utf8) == "another run's rows\n")
            // Refused before the run is recorded: no interrupted run to resume is left.
            #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("h.db").path))
            try holder.close()
        }
        // Once the other process is done, the same command writes the file.
        let r = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h2.db", "--out", "o.csv"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Data(contentsOf: temp.appendingPathComponent("o.csv")).starts(with: Data("\u{FEFF}统一社会信用代码".utf8)))
    }

    /// Found in review: `--out /proc/x.csv` (a file that cannot be created) was recorded as a run,
    /// failed at once and stayed interrupted; `--resume` cannot change `--out`, so it could never
    /// complete. An `--out` or `--rejects` that cannot be created, or whose directory cannot be,
    /// is now refused before the run is recorded: exit 2, the path and the cause, no log left.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/proc/self")))
    func anOutputThatCannotBeCreatedIsRefusedBeforeTheRunIsRecorded() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"),
                                         to: temp.appendingPathComponent("p.csv"))
        try Data("not a directory".utf8).write(to: temp.appendingPathComponent("afile"))
        let cases: [([String], String)] = [
            (["--out", "/proc/x.csv"], "/proc/x.csv: --out cannot be created: No such file or directory (无法创建输出文件)"),
            (["--out", "afile/sub/o.csv"], "afile/sub/o.csv: --out: its directory cannot be created: \(temp.path)/afile is not a directory"),
            (["--rejects", "afile/r.csv"], "afile/r.csv: --rejects: its directory cannot be created: \(temp.path)/afile is not a directory"),
            (["--out", "/proc/new/o.csv"], "/proc/new/o.csv: --out: its directory cannot be created: /proc/new: No such file or directory"),
        ]
        for (args, message) in cases {
            let r = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db"] + args)
            #expect(r.status == 2, "\(args): \(r.stdout)")
            #expect(r.stderr.contains(message), "\(args): \(r.stderr)")
            #expect(!r.stdout.contains("run id"), "\(args): \(r.stdout)")
            #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("h.db").path), "\(args) left a log")
        }
        // An existing log keeps no trace of the refused run.
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "kept.db"]).status == 0)
        let refused = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "kept.db", "--out", "/proc/x.csv"])
        #expect(refused.status == 2)
        let runs = try HuiqiBinary.run(["log", "runs", "--db", "kept.db"], cwd: temp)
        #expect(!runs.stdout.contains("interrupted") && !runs.stdout.contains("已中断"), "\(runs.stdout)")
        // A directory that can be made is made, as before.
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "new.db", "--out", "new/dir/o.csv"]).status == 0)
        #expect(FileManager.default.fileExists(atPath: temp.appendingPathComponent("new/dir/o.csv").path))
    }

    /// A full disk under `--out` crashed with a Swift backtrace (FileHandle's non-throwing write).
    /// /dev/full fails every write with ENOSPC; outputs are written through a symbolic link.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
    func aFullDiskIsAnErrorNamingTheFileAndTheRunCanResume() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"),
                                         to: temp.appendingPathComponent("p.csv"))
        for name in ["full.csv", "rejects.csv", "export.jsonl"] {
            try FileManager.default.createSymbolicLink(atPath: temp.appendingPathComponent(name).path, withDestinationPath: "/dev/full")
        }
        let run = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db", "--out", "full.csv"])
        #expect(run.status == 2, "\(run.stderr)")
        #expect(run.stderr.contains("full.csv: cannot write: no space left on the device (磁盘已满)"), "\(run.stderr)")
        #expect(!run.stderr.contains("Fatal error") && !run.stderr.contains("crashed"))
        #expect(run.stderr.contains("huiqi run --resume 1"))
        let rejects = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h2.db", "--rejects", "rejects.csv"])
        #expect(rejects.status == 2 && rejects.stderr.contains("rejects.csv: cannot write: no space left"), "\(rejects.stderr)")
        let fine = try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h3.db"])
        #expect(fine.status == 0)
        let export = try HuiqiBinary.run(["log", "export", "1", "--db", "h3.db", "--out", "export.jsonl"], cwd: temp)
        #expect(export.status == 2 && export.stderr.contains("export.jsonl: cannot write: no space left"), "\(export.stderr)")
        #expect(!export.stderr.contains("decision log error"))
    }

    /// Found in review: past a file-size limit (`ulimit -f`, as batch schedulers set), the kernel
    /// killed huiqi with SIGXFSZ when the calling thread wrote (the log as it is made, the reader's
    /// spill of credit codes); writes on other threads, where the signal is blocked, already failed
    /// cleanly. The signal is ignored now: every such write fails, and the error names the file.
    @Test func aWritePastTheFileSizeLimitIsAnErrorNotASignal() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"),
                                         to: temp.appendingPathComponent("p.csv"))
        let rules = HuiqiBinary.packageRoot.appendingPathComponent("Rules").path
        // 200 blocks of 512 bytes: the log outgrows it as it is made, on the calling thread.
        let early = try HuiqiBinary.runUnblocked(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db", "--rules", rules],
                                                 cwd: temp, prefix: "ulimit -f 200")
        #expect(early.status == 2, "\(early.status): \(early.stderr)")
        #expect(early.stderr.contains("h.db: decision log error: disk I/O error") && early.stderr.contains("ulimit -f"), "\(early.stderr)")
        // 1000 blocks: the run starts, and the decisions CSV outgrows it; the run can be resumed.
        let late = try HuiqiBinary.runUnblocked(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h2.db", "--out", "o.csv",
                                                 "--rules", rules],
                                                cwd: temp, prefix: "ulimit -f 1000")
        #expect(late.status == 2, "\(late.status): \(late.stderr)")
        #expect(late.stderr.contains("o.csv: cannot write: File too large"), "\(late.stderr)")
        #expect(late.stderr.contains("huiqi run --resume 1 --db h2.db"), "\(late.stderr)")
    }

    /// Reviewer review: a `log export --out` that failed (a full disk, a file-size limit) or was
    /// stopped removed what it had written, and with it the earlier export at that path, which
    /// reviewers had been working from. Exports are written under a temporary name now and renamed
    /// into place when complete: a failure leaves the earlier file byte for byte, with its mode.
    @Test func aFailedExportLeavesTheEarlierFileAsItWas() throws {
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"),
                                         to: temp.appendingPathComponent("p.csv"))
        #expect(try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "h.db"]).status == 0)
        // A date far enough back for a diff larger than the file-size limit below; the businesses
        // established since are rejects at that date (exit 1), and the diff lists them too.
        #expect(try huiqi(["run", "p.csv", "--as-of", "2021-01-01", "--db", "h.db"]).status == 1)
        // The earlier outputs, one reached through a symbolic link (the file it points to is replaced).
        let outputs: [(name: String, args: [String])] = [
            ("e.csv", ["log", "export", "1"]), ("e.jsonl", ["log", "export", "1"]),
            ("d.csv", ["log", "diff", "1", "2"]), ("d.jsonl", ["log", "diff", "1", "2", "--format", "jsonl"]),
            ("r.csv", ["log", "rejects", "1"]), ("linked.csv", ["log", "export", "1"]),
        ]
        try FileManager.default.createDirectory(at: temp.appendingPathComponent("real"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: temp.appendingPathComponent("linked.csv").path, withDestinationPath: "real/target.csv")
        for (name, args) in outputs {
            #expect(try HuiqiBinary.run(args + ["--db", "h.db", "--out", name], cwd: temp).status == 0, "\(args)")
            #expect(chmod(temp.appendingPathComponent(name).path, 0o600) == 0)
        }
        let before = try outputs.map { try Data(contentsOf: temp.appendingPathComponent($0.name)) }
        // 600 blocks of 512 bytes: room for the log's shared memory, not for a whole export.
        for (i, (name, args)) in outputs.enumerated() {
            let r = try HuiqiBinary.runUnblocked(args + ["--db", "h.db", "--out", name], cwd: temp, prefix: "ulimit -f 600")
            if name == "r.csv" {  // the rejects are small enough to be written: replaced, mode kept
                #expect(r.status == 0, "\(r.stderr)")
            } else {
                #expect(r.status == 2, "\(args): \(r.status) \(r.stderr)")
                #expect(r.stderr.contains("\(name): cannot write: File too large"), "\(r.stderr)")
                #expect(r.stderr.contains("\(name) is as it was before, nothing written (原文件未改动)"), "\(r.stderr)")
                #expect(try Data(contentsOf: temp.appendingPathComponent(name)) == before[i], "\(name) changed")
            }
            var info = stat()  // through the link
            #expect(stat(temp.appendingPathComponent(name).path, &info) == 0 && info.st_mode & 0o777 == 0o600, "\(name): \(String(info.st_mode, radix: 8))")
        }
        // The link is still a link; no temporary file is left anywhere.
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: temp.appendingPathComponent("linked.csv").path)) == "real/target.csv")
        for directory in [temp, temp.appendingPathComponent("real")] {
            let left = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".tmp") }
            #expect(left.isEmpty, "\(left)")
        }
        // `sample` too: a generation past the limit leaves the earlier sample, not a shorter one.
        let rules = HuiqiBinary.packageRoot.appendingPathComponent("Rules").path
        let sample = try HuiqiBinary.runUnblocked(["sample", "--count", "5000", "--seed", "2", "--out", "p.csv", "--rules", rules],
                                                  cwd: temp, prefix: "ulimit -f 600")
        #expect(sample.status == 2 && sample.stderr.contains("p.csv: cannot write: File too large"), "\(sample.stderr)")
        #expect(try Data(contentsOf: temp.appendingPathComponent("p.csv")) == Data(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv")))
        // A new file that cannot be completed is not made at all.
        let fresh = try HuiqiBinary.runUnblocked(["log", "export", "1", "--db", "h.db", "--out", "new.csv"], cwd: temp, prefix: "ulimit -f 600")
        #expect(fresh.status == 2 && fresh.stderr.contains("nothing was written to new.csv (未写出)"), "\(fresh.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("new.csv").path))
    }

    /// Review: messages quote the data, and a CSV header holding `ESC [2J` cleared the screen from
    /// stderr. Control characters in messages are shown, never sent as they are.
    @Test func messagesShowControlCharactersFromTheData() throws {
        let samples = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        let bad = samples.replacingOccurrences(of: "成立日期", with: "成立\u{1B}[2J日期x")
        try Data(bad.utf8).write(to: temp.appendingPathComponent("esc.csv"))
        let r = try huiqi(["run", "esc.csv", "--as-of", "2025-06-01", "--db", "e.db"])
        #expect(r.stderr.contains("成立␛[2J日期x"), "\(r.stderr)")
        #expect(!r.stderr.unicodeScalars.contains { $0.value == 0x1B }, "\(r.stderr)")
    }
}
