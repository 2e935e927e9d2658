import Foundation
import Huiqi
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `huiqi` executable for end-to-end tests.
///
/// The binary is `$HUIQI_BIN` when set (use it with a custom `--scratch-path`), else
/// `<package root>/.build/debug/huiqi`, the package root found by walking up from this file.
///
///     let r = try HuiqiBinary.run(["log", "runs", "--db", db], cwd: dir)
///     #expect(r.status == 0)
public enum HuiqiBinary {
    public struct Output: Sendable {
        public var status: Int32
        /// Decoded as UTF-8, a leading byte-order mark dropped (see `stdoutBytes`).
        public var stdout: String
        public var stderr: String
        /// Standard output as written.
        public var stdoutBytes: Data
    }

    public static var url: URL {
        if let path = ProcessInfo.processInfo.environment["HUIQI_BIN"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.appendingPathComponent(".build/debug/huiqi")
    }

    /// The directory holding `Package.swift`.
    public static var packageRoot: URL { PackagePaths.root }

    /// Runs `huiqi args…` in `cwd` to completion. Output goes through temporary files, so a large
    /// output cannot fill a pipe and stall the child.
    public static func run(_ args: [String], cwd: URL? = nil, launcher: [String] = []) throws -> Output {
        let started = try start(args, cwd: cwd, launcher: launcher)
        started.process.waitUntilExit()
        return started.finish()
    }

    /// Runs `huiqi args…` in `cwd` to completion and returns its output and its peak resident
    /// memory in KiB (`ChildPeakMemory`: huiqi's own high-water mark), for tests of memory bounds.
    public static func runMeasuringMemory(_ args: [String], cwd: URL) throws -> (output: Output, maxRSSKiB: Int) {
        var peak = 0
        // The shell changes directory, then becomes huiqi (exec: the same process, measured).
        let output = try spawnThroughShell("cd \"$0\" && exec \"$@\"", args, cwd: cwd, attributes: nil) { pid in
            let (status, peakKiB) = ChildPeakMemory.wait(for: pid, sampling: 2_000)
            peak = peakKiB
            return status
        }
        return (output, peak)
    }

    /// Runs `huiqi args…` in `cwd` after the shell command `prefix` (e.g. `ulimit -f 1000`), with
    /// no signal blocked and SIGXFSZ at its default, as from a login shell. (Children started by
    /// `Process` inherit the test runner's mask, which blocks SIGXFSZ: a test of what that signal
    /// does would pass whatever huiqi did.) A child killed by a signal gets status 128 + signal,
    /// as a shell reports it.
    public static func runUnblocked(_ args: [String], cwd: URL, prefix: String) throws -> Output {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t(), defaults = sigset_t()
        sigemptyset(&none)
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGXFSZ)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        return try spawnThroughShell("cd \"$0\" && \(prefix) && exec \"$@\"", args, cwd: cwd, attributes: &attributes) { pid in
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
            let signal = status & 0x7f
            return signal != 0 ? 128 + signal : (status >> 8) & 0xff
        }
    }

    /// Spawns `/bin/sh -c script cwd huiqi args…`, input from /dev/null and output to temporary
    /// files; `wait` waits for the child and gives its status.
    private static func spawnThroughShell(_ script: String, _ args: [String], cwd: URL, attributes: UnsafePointer<posix_spawnattr_t>?,
                                          wait: (pid_t) -> Int32) throws -> Output {
        let binary = url
        guard FileManager.default.isExecutableFile(atPath: binary.path) else { throw BinaryMissing(path: binary.path) }
        let id = UUID().uuidString
        let tmp = FileManager.default.temporaryDirectory
        let stdoutURL = tmp.appendingPathComponent("huiqi-\(id).out"), stderrURL = tmp.appendingPathComponent("huiqi-\(id).err")
        defer {
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, stderrURL.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        let argv = (["/bin/sh", "-c", script, cwd.path, binary.path] + args).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, "/bin/sh", &actions, attributes, argv, environ)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned) ?? .EINVAL) }
        let status = wait(pid)
        let bytes = (try? Data(contentsOf: stdoutURL)) ?? Data()
        return Output(status: status, stdout: String(decoding: bytes, as: UTF8.self),
                      stderr: (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? "", stdoutBytes: bytes)
    }

    /// A child started by `start`, whose output is collected when it ends.
    public struct Started {
        public let process: Process
        let stdoutURL: URL
        let stderrURL: URL

        /// The exit status and output (call after the process ended).
        public func finish() -> Output {
            let bytes = (try? Data(contentsOf: stdoutURL)) ?? Data()
            let out = (try? String(contentsOf: stdoutURL, encoding: .utf8)) ?? ""
            let err = (try? String(contentsOf: stderrURL, encoding: .utf8)) ?? ""
            try? FileManager.default.removeItem(at: stdoutURL)
            try? FileManager.default.removeItem(at: stderrURL)
            return Output(status: process.terminationStatus, stdout: out, stderr: err, stdoutBytes: bytes)
        }
    }

    /// Starts `huiqi args…` without waiting (for tests that signal or kill it). A `launcher`
    /// (e.g. `setpriv --reuid=…`, see `OtherUser`) runs it as `launcher… huiqi args…`.
    public static func start(_ args: [String], cwd: URL? = nil, launcher: [String] = []) throws -> Started {
        let binary = url
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw BinaryMissing(path: binary.path)
        }
        let id = UUID().uuidString
        let tmp = FileManager.default.temporaryDirectory
        let stdoutURL = tmp.appendingPathComponent("huiqi-\(id).out"), stderrURL = tmp.appendingPathComponent("huiqi-\(id).err")
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        let process = Process()
        if let tool = launcher.first {
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = Array(launcher.dropFirst()) + [binary.path] + args
        } else {
            process.executableURL = binary
            process.arguments = args
        }
        if let cwd { process.currentDirectoryURL = cwd }
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, stdoutURL: stdoutURL, stderrURL: stderrURL)
    }

    public struct BinaryMissing: Error, CustomStringConvertible {
        public var path: String
        public var description: String { "no huiqi binary at \(path): build it first (swift build), or set HUIQI_BIN" }
    }
}
