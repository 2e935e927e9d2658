import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where a run will write, checked before the run is recorded: `--out` or `--rejects` naming an
/// input truncated that input before it was read (a JSON Lines input then read as empty and the
/// run exited 0); naming each other, or the log, one output overwrote the other.
public enum OutputPaths {
    /// Throws every clash between `outputs` (option name, path), `inputs` and the log's files, and
    /// every output that is a directory.
    public static func check(outputs: [(option: String, path: String)], inputs: [String], log: String?) throws {
        var problems: [Diagnostic] = []
        var taken: [(what: String, path: String)] = inputs.map { ("the input \($0)", $0) }
        if let log { taken += ["", "-wal", "-shm"].map { ("the decision log \(log)", log + $0) } }
        for (option, path) in outputs {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
                problems.append(Diagnostic(file: path, "\(option) names a directory, not a file (输出路径是目录)"))
                continue
            }
            if let clash = taken.first(where: { sameFile($0.path, path) }) {
                problems.append(Diagnostic(file: path, "\(option) is \(clash.what): writing it would destroy what the run reads or writes "
                                           + "(输出文件与输入或其他输出相同); choose another file"))
            }
            taken.append(("the file given to \(option)", path))
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
    }

    /// Makes the directories `outputs` go in and checks that each file can be opened for writing,
    /// before the run is recorded. Found in review: `--out /proc/x.csv` was recorded, failed at its
    /// first row, and stayed an interrupted run that `--resume` (which cannot change `--out`) could
    /// never complete. Creates no file: one made to try is removed again, an existing one is
    /// opened without truncating it.
    public static func prepare(outputs: [(option: String, path: String)]) throws {
        var problems: [Diagnostic] = []
        for (option, path) in outputs {
            if let cause = makeDirectories(URL(fileURLWithPath: path).deletingLastPathComponent().path) {
                problems.append(Diagnostic(file: path, "\(option): its directory cannot be created: \(cause) (无法创建输出目录)"))
                continue
            }
            if let cause = whyNotWritable(path) {
                problems.append(Diagnostic(file: path, "\(option) cannot be created: \(cause) (无法创建输出文件)"))
            }
        }
        if !problems.isEmpty { throw DiagnosticList(problems) }
    }

    /// `mkdir -p directory`; the cause when it cannot be made (Foundation's said only "The
    /// operation could not be completed").
    private static func makeDirectories(_ directory: String) -> String? {
        var info = stat()
        if stat(directory, &info) == 0 {
            return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "\(directory) is not a directory"
        }
        let parent = (directory as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != directory, let cause = makeDirectories(parent) { return cause }
        if mkdir(directory, 0o777) == 0 || errno == EEXIST { return nil }
        return "\(directory): \(String(cString: strerror(errno)))"
    }

    /// The cause `path` cannot be opened for writing, or nil. A device or named pipe that is there
    /// (`/dev/null`) is left to the writer: opening it to try could block or have effects.
    private static func whyNotWritable(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            let fd = open(path, O_WRONLY | O_CLOEXEC)
            guard fd >= 0 else { return String(cString: strerror(errno)) }
            defer { close(fd) }
            // Another process writing it (`OutputFile.create` holds this lock while it writes):
            // refused here, not after the run is recorded as one to resume.
            if OutputFile.isLockedByAnotherProcess(fd, keepingTheLock: false) { return OutputFile.lockedProblem }
            return nil
        }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard fd >= 0 else { return errno == EEXIST ? nil : String(cString: strerror(errno)) }  // EEXIST: a link to nowhere yet
        close(fd)
        unlink(path)
        return nil
    }

    /// `--out` of a command that exports run `run` of the log at `log`: not one of the run's inputs
    /// (a later resume or `explain --profiles` reads them) and not the log.
    public static func check(out: String, exporting run: RunRecord, log: String) throws {
        try check(outputs: [("--out", out)], inputs: run.provenance.inputs.map(\.absolutePath), log: log)
    }

    /// Whether two paths name one file: the same device and inode when both exist (links,
    /// `./a` and `a`), else the same absolute path with symbolic links resolved.
    public static func sameFile(_ a: String, _ b: String) -> Bool {
        var sa = stat(), sb = stat()
        if stat(a, &sa) == 0, stat(b, &sb) == 0 { return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino }
        return canonical(a) == canonical(b)
    }

    private static func canonical(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
