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
