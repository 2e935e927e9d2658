import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// `.huiqi-lists` in a lists directory: the files the last `huiqi lists` wrote there, so the next
/// one can remove them first and no stale street page is left to print.
///
/// Each name is added as soon as its file is open, so a `lists` that fails part-way (a full disk)
/// still names every file it made, and never one it could not open. Removal takes only what huiqi writes there (street pages
/// `*.html`, `lists.csv`, `lists-未完成.csv`) and only plain files or links, never a directory
/// (found in review: a name in the manifest deleted the decision log, and a directory with it).
struct ListsManifest {
    static let name = ".huiqi-lists"
    private let handle: FileHandle

    /// Starts an empty manifest in `directory`.
    init(directory: URL) throws {
        handle = try OutputFile.create(directory.appendingPathComponent(ListsManifest.name).path)
    }

    /// Records that `path` (in the directory) was opened for writing.
    func add(_ path: String) throws {
        let line = URL(fileURLWithPath: path).lastPathComponent + "\n"
        do { try handle.write(contentsOf: Data(line.utf8)) } catch { throw Diagnostic.writeFailed(error, file: ListsManifest.name) }
    }

    func close() throws { try handle.close() }

    /// Removes the files the manifest in `directory` names, and the manifest; returns how many.
    static func removeListed(in directory: URL) -> Int {
        let manifest = directory.appendingPathComponent(name)
        guard let text = try? String(contentsOf: manifest, encoding: .utf8) else { return 0 }
        var removed = 0
        for entry in text.split(separator: "\n").map(String.init) where isListFile(entry) {
            let path = directory.appendingPathComponent(entry).path
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG || (info.st_mode & S_IFMT) == S_IFLNK else { continue }
            if unlink(path) == 0 { removed += 1 }
        }
        unlink(manifest.path)
        return removed
    }

    /// A name `huiqi lists` writes: one file in the directory, a street page or the CSV (with its
    /// further parts past Excel's row limit, `lists.part2.csv`, …).
    static func isListFile(_ name: String) -> Bool {
        guard !name.contains("/"), !name.hasPrefix("."), !name.unicodeScalars.contains(where: { $0.value < 0x20 }) else { return false }
        if name.hasSuffix(".html") || name == "lists.csv" || name == "lists-未完成.csv" { return true }
        for stem in ["lists.part", "lists-未完成.part"] where name.hasPrefix(stem) && name.hasSuffix(".csv") {
            let n = name.dropFirst(stem.count).dropLast(".csv".count)
            return !n.isEmpty && n.allSatisfy { $0.isASCII && $0.isNumber }
        }
        return false
    }

    /// Where this process writes the lists before moving them into `directory`:
    /// `.huiqi-lists-work-PID.HOST`. The host, as in `StagedFile`'s temporary names, because a PID
    /// says nothing about another machine's processes in a shared directory.
    static func workDirectory(in directory: URL) -> URL {
        directory.appendingPathComponent("\(workPrefix)\(getpid()).\(StagedFile.hostTag)")
    }
    private static let workPrefix = ".huiqi-lists-work-"

    /// Removes work directories a `huiqi lists` on this machine that was killed left behind (its
    /// process gone); also those of earlier versions, named without the host.
    static func removeAbandonedWorkDirectories(in directory: URL) {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        let hostSuffix = "." + StagedFile.hostTag
        for name in names where name.hasPrefix(workPrefix) {
            var rest = name.dropFirst(workPrefix.count)
            if rest.hasSuffix(hostSuffix) { rest = rest.dropLast(hostSuffix.count) }
            guard let pid = Int32(rest), pid > 0 else { continue }  // another host's, or not ours
            if pid != getpid(), kill(pid, 0) == 0 || errno == EPERM { continue }  // still running
            try? FileManager.default.removeItem(at: directory.appendingPathComponent(name))
        }
    }
}
