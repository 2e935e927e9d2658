import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A file written under a temporary name and put in place once complete: an export that is
/// stopped or fails leaves the file already at that path as it was (before, the export removed
/// what it had written, and with it the earlier export: reviewer review).
///
///     let file = try StagedFile("out/run3.jsonl")
///     try file.handle.write(contentsOf: bytes)
///     try file.commit()        // or file.discard() on failure
///
/// How the new file takes the old one's place (code review of the first version):
/// - **Renamed over it** when the target is new, or a file of ours with no other hard link: the
///   temporary file sits beside it, with its mode and group.
/// - **Copied into it** at commit otherwise — a file of another user or group-shared, one with
///   other hard links, one in a sticky or read-only directory: the file keeps its inode, so its
///   owner, group, links and permissions stay, as with a shell's `>`. The temporary file is beside
///   it if it can be, else in the temporary directory. A file we may not write is refused first.
/// - **Written in place**, never removed, for a device, named pipe or `/dev/stdout`.
/// Symbolic links are followed (also to a file not yet there): the link stays. Temporary files
/// are `.NAME.PID-N.HOST.tmp`; those a killed huiqi left on this machine are removed by the next
/// export of that name.
public final class StagedFile {
    /// The path asked for, for messages.
    public let path: String
    public let handle: FileHandle
    private let mode: Mode
    /// The file written in the end: `path` with symbolic links followed.
    private let target: String
    /// A file was at `path` when this one began (for the message).
    private let replaces: Bool
    private var finished = false

    private enum Mode {
        case rename(temporary: String)
        case copy(temporary: String)
        case inPlace
    }

    /// Opens the temporary file (or the device); throws, naming the file, what makes it impossible.
    public init(_ path: String) throws {
        self.path = path
        let (target, special) = StagedFile.followLinks(path)
        self.target = target
        var info = stat()
        let exists = stat(target, &info) == 0
        replaces = exists
        if let descriptor = special {
            // `/dev/stdout` (or /dev/fd/1, /proc/self/fd/1): the descriptor itself, as a shell's
            // redirection set it up (`>> log.txt` appends); reopening it truncated the file.
            let fd = dup(descriptor)
            guard fd >= 0 else { throw Diagnostic(file: path, "cannot write: \(String(cString: strerror(errno))) (无法写入)") }
            (handle, mode) = (FileHandle(fileDescriptor: fd, closeOnDealloc: true), .inPlace)
            return
        }
        if exists && (info.st_mode & S_IFMT) != S_IFREG || target.hasPrefix("/proc/") || target.hasPrefix("/dev/") {
            // A device or a pipe.
            (handle, mode) = (try OutputFile.create(path), .inPlace)
            return
        }
        if exists && access(target, W_OK) != 0 {
            throw Diagnostic(file: path, "cannot create the file: \(String(cString: strerror(errno))) (无法创建文件)")
        }
        let directory = (target as NSString).deletingLastPathComponent
        let ours = !exists || (info.st_uid == geteuid() && info.st_nlink == 1 && !StagedFile.isSticky(directory.isEmpty ? "." : directory))
        StagedFile.removeAbandoned(beside: target)
        if ours, let (fd, temporary) = try StagedFile.openTemporary(in: directory, for: target, required: !exists) {
            if exists {
                // The replacement keeps the group and the mode (group before mode: a chown clears set-id bits).
                _ = fchown(fd, uid_t.max, info.st_gid)
                _ = fchmod(fd, info.st_mode & 0o7777)
            }
            (handle, mode) = (FileHandle(fileDescriptor: fd, closeOnDealloc: true), .rename(temporary: temporary))
            return
        }
        let scratch = CreditCodeRegistry.defaultSpillDirectory()
        guard let (fd, temporary) = try StagedFile.openTemporary(in: directory, for: target, required: false)
                ?? StagedFile.openTemporary(in: scratch, for: target, required: true) else {
            throw Diagnostic(file: path, "cannot create a temporary file (无法创建临时文件)")
        }
        (handle, mode) = (FileHandle(fileDescriptor: fd, closeOnDealloc: true), .copy(temporary: temporary))
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
        switch mode {
        case .inPlace:
            return
        case .rename(let temporary):
            if rename(temporary, target) != 0 {
                let cause = String(cString: strerror(errno))
                unlink(temporary)
                throw Diagnostic(file: path, "cannot replace the file: \(cause) (无法写入文件)")
            }
        case .copy(let temporary):
            defer { unlink(temporary) }
            if let cause = StagedFile.copy(temporary, into: target) {
                throw Diagnostic(file: path, "cannot write: \(cause) (写入失败; 文件可能不完整)")
            }
        }
    }

    /// Closes and removes what was written: the earlier file at `path`, if any, is as it was.
    public func discard() {
        guard !finished else { return }
        finished = true
        try? handle.close()
        if let temporary { unlink(temporary) }
    }

    /// What `discard()` left at `path`, for the message that says the output stopped.
    public var afterDiscard: String {
        guard temporary != nil else { return "what went to \(path) is incomplete (输出不完整)" }
        return replaces ? "\(path) is as it was before, nothing written (原文件未改动)" : "nothing was written to \(path) (未写出)"
    }

    private var temporary: String? {
        switch mode {
        case .rename(let t), .copy(let t): return t
        case .inPlace: return nil
        }
    }

    /// `path` with its symbolic links followed, also to a file that is not there yet (a link's
    /// target is where the file goes). Relative links are read from the link's directory.
    /// `special`: the descriptor when the path names one of this process's (`/dev/stdout`,
    /// `/dev/fd/N`, `/proc/self/fd/N`) on the way.
    static func followLinks(_ path: String) -> (target: String, special: Int32?) {
        var current = path
        for _ in 0..<40 {
            if let fd = descriptorNamed(current) { return (current, fd) }
            var info = stat()
            guard lstat(current, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK else { break }
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n > 0 else { break }
            let link = String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        return (current, nil)
    }

    private static func descriptorNamed(_ path: String) -> Int32? {
        switch path {
        case "/dev/stdout": return 1
        case "/dev/stderr": return 2
        default:
            for prefix in ["/dev/fd/", "/proc/self/fd/"] where path.hasPrefix(prefix) { return Int32(path.dropFirst(prefix.count)) }
            return nil
        }
    }

    private static func isSticky(_ directory: String) -> Bool {
        var info = stat()
        return stat(directory, &info) == 0 && info.st_mode & S_ISVTX != 0
    }

    /// `.NAME.PID-N.HOST.tmp` for `target`; names past 200 bytes are shortened (NAME_MAX is 255
    /// bytes). The host, because a PID says nothing about another machine's processes in a shared
    /// directory (final review: the clean-up could remove another host's export in progress).
    static func temporaryName(for target: String, attempt: Int, pid: Int32 = getpid()) -> String {
        "\(temporaryPrefix(for: target))\(pid)-\(attempt).\(hostTag).tmp"
    }

    private static func temporaryPrefix(for target: String) -> String {
        var name = (target as NSString).lastPathComponent
        while name.utf8.count > 200 { name.removeLast() }
        return ".\(name)."
    }

    /// This machine's name as it can stand in a file name: letters, digits, `-` and `_`, at most 32.
    static let hostTag: String = {
        let kept = ProcessIdentity.currentHost.unicodeScalars.filter { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-" || $0 == "_") }
        let tag = String(String.UnicodeScalarView(kept.prefix(32)))
        return tag.isEmpty ? "host" : tag
    }()

    /// A new file in `directory` named for `target` (0644 less the umask, as the file itself would
    /// be). Nil when none can be made there; with `required`, that is an error naming the cause.
    private static func openTemporary(in directory: String, for target: String, required: Bool) throws -> (Int32, String)? {
        let base = directory.isEmpty ? "." : directory
        for attempt in 0..<100 {
            let candidate = (base as NSString).appendingPathComponent(temporaryName(for: target, attempt: attempt))
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, candidate) }
            if errno == EEXIST { continue }
            // Only a directory we may not write in sends the file elsewhere; a full disk, a quota
            // or too many files is an error now, not a truncated earlier file at commit.
            guard required || ![EACCES, EPERM, EROFS].contains(errno) else { return nil }
            let cause = String(cString: strerror(errno))
            throw Diagnostic(file: target, "cannot create a temporary file in \(base): \(cause) (无法创建临时文件)")
        }
        return nil
    }

    /// Removes this machine's `.NAME.PID-N.HOST.tmp` files for `target` whose process is gone: what
    /// a `kill -9` or a power cut left (they can be as large as the export, and are hidden).
    private static func removeAbandoned(beside target: String) {
        let directory = (target as NSString).deletingLastPathComponent
        let folder = directory.isEmpty ? "." : directory
        let prefix = temporaryPrefix(for: target), suffix = ".\(hostTag).tmp"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(suffix) && name.count > prefix.count + suffix.count {
            let middle = name.dropFirst(prefix.count).dropLast(suffix.count)
            guard let dash = middle.firstIndex(of: "-"), let pid = Int32(middle[..<dash]), Int(middle[middle.index(after: dash)...]) != nil,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            unlink((folder as NSString).appendingPathComponent(name))
        }
    }

    /// Copies `source` over `target` in place (truncating it); the cause when it fails.
    private static func copy(_ source: String, into target: String) -> String? {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { return String(cString: strerror(errno)) }
        defer { close(input) }
        let output = open(target, O_WRONLY | O_TRUNC | O_CREAT | O_CLOEXEC, 0o644)
        guard output >= 0 else { return String(cString: strerror(errno)) }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = read(input, &buffer, buffer.count)
            if n < 0 { if errno == EINTR { continue }; close(output); return String(cString: strerror(errno)) }
            if n == 0 { break }
            var written = 0
            while written < n {
                let w = buffer.withUnsafeBytes { write(output, $0.baseAddress! + written, n - written) }
                if w < 0 { if errno == EINTR { continue }; let cause = String(cString: strerror(errno)); close(output); return cause }
                written += w
            }
        }
        return close(output) == 0 ? nil : String(cString: strerror(errno))
    }
}
