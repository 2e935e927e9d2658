import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name beside its target and renamed over it once complete:
/// an export that is stopped or fails leaves the file already at that path as it was (before,
/// the export removed what it had written, and with it the earlier export: reviewer review).
///
///     let file = try StagedFile("out/run3.jsonl")
///     try file.handle.write(contentsOf: bytes)
///     try file.commit()        // or file.discard() on failure
///
/// Written in place instead, as a shell's `>` does (`OutputFile.create`), where a rename would not
/// do what the user means: a device or named pipe (`/dev/stdout`, a FIFO a program reads), a file
/// with other hard links (a rename would part them), a link to nowhere, or a directory no file can
/// be made in. A symbolic link is followed: the file it points to is replaced, the link stays.
public final class StagedFile {
    /// The path asked for, for messages.
    public let path: String
    public let handle: FileHandle
    /// Where the data goes until `commit` (nil: written in place).
    private let temporary: String?
    /// The file the temporary one replaces: `path` with symbolic links resolved.
    private let target: String
    /// In place over a regular file: `discard` removes what was written (a file cut short must not
    /// pass for a whole export).
    private let removeOnDiscard: Bool
    /// A file was at `path` when this one began (for the message).
    private let replaces: Bool
    private var finished = false

    /// Opens a temporary file beside `path`'s target, with the mode of the file it will replace.
    public init(_ path: String) throws {
        self.path = path
        var info = stat()
        let exists = stat(path, &info) == 0
        let regular = exists && (info.st_mode & S_IFMT) == S_IFREG
        var link = stat()
        let dangling = !exists && lstat(path, &link) == 0
        replaces = exists
        if (exists && !regular) || (regular && info.st_nlink > 1) || dangling {
            (handle, temporary, target, removeOnDiscard) = (try OutputFile.create(path), nil, path, regular)
            return
        }
        let target = regular ? (StagedFile.resolved(path) ?? path) : path
        guard let (fd, temporary) = StagedFile.openTemporary(beside: target) else {
            (handle, self.temporary, self.target, removeOnDiscard) = (try OutputFile.create(path), nil, path, true)
            return
        }
        if regular {
            // The replacement keeps the earlier file's permissions and, where we may, its owner.
            _ = fchmod(fd, info.st_mode & 0o7777)
            _ = fchown(fd, info.st_uid, info.st_gid)
        }
        (handle, self.temporary, self.target, removeOnDiscard) = (FileHandle(fileDescriptor: fd, closeOnDealloc: true), temporary, target, false)
    }

    deinit {
        // Dropped without commit (an error thrown past the writer): the earlier file stays.
        if !finished { discard() }
    }

    /// Closes the file and puts it in place of the earlier one; errors name the file and cause.
    public func commit() throws {
        guard !finished else { return }
        finished = true
        do { try handle.close() } catch {
            if let temporary { unlink(temporary) }
            throw Diagnostic.writeFailed(error, file: path)
        }
        guard let temporary else { return }
        if rename(temporary, target) != 0 {
            let cause = String(cString: strerror(errno))
            unlink(temporary)
            throw Diagnostic(file: path, "cannot replace the file: \(cause) (无法写入文件)")
        }
    }

    /// Closes and removes what was written: the earlier file at `path`, if any, is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? handle.close()
        if let temporary { unlink(temporary) } else if removeOnDiscard { unlink(path) }
    }

    /// Whether the data goes to the path only at `commit` (false: written in place).
    public var isStaged: Bool { temporary != nil }

    /// What `discard()` left at `path`, for the message that says the output stopped.
    public var afterDiscard: String {
        if temporary != nil {
            return replaces ? "\(path) is as it was before, nothing written (原文件未改动)" : "nothing was written to \(path) (未写出)"
        }
        if removeOnDiscard { return "\(path) is removed, it was incomplete (不完整, 已删除)" }
        return "what went to \(path) is incomplete (输出不完整)"
    }

    /// `path` with every symbolic link resolved, or nil.
    private static func resolved(_ path: String) -> String? {
        guard let real = realpath(path, nil) else { return nil }
        defer { free(real) }
        return String(cString: real)
    }

    /// A new file `.name.<pid>-<n>.tmp` in `target`'s directory (0644 less the umask, as the file
    /// itself would be), or nil when none can be made there.
    private static func openTemporary(beside target: String) -> (Int32, String)? {
        let url = URL(fileURLWithPath: target)
        let directory = url.deletingLastPathComponent().path
        for attempt in 0..<100 {
            let name = ".\(url.lastPathComponent).\(getpid())-\(attempt).tmp"
            let candidate = (directory as NSString).appendingPathComponent(name)
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, candidate) }
            if errno != EEXIST { return nil }
        }
        return nil
    }
}
