import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Opens an output file for writing, created or truncated in place, as a shell's `>` does.
///
/// `FileManager.createFile` writes a temporary file and renames it over the path: that replaced a
/// symbolic link with a plain file instead of writing where it points.
public enum OutputFile {
    /// A handle on `path`, created (0644 less the umask) or truncated; errors name the file and cause.
    ///
    /// The process holds a write lock on the file (`fcntl`) while it writes, taken before the file
    /// is truncated: a second huiqi process writing the same file (two runs with one `--out`, a
    /// scheduled batch and a manual one) is refused, where both used to write into it, each
    /// exiting 0 with a file that mixed the two (crash-safety review). A POSIX record lock, not
    /// `flock`: it belongs to the process, so the same process opening the file again (a resume
    /// rewriting its outputs while an earlier handle is not yet released) is not refused.
    /// Advisory: other programs are not stopped, and a file system without locks (some network
    /// mounts) is written as before.
    public static func create(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let cause = String(cString: strerror(errno))
            throw Diagnostic(file: path, "cannot create the file: \(cause) (无法创建文件)")
        }
        if isLockedByAnotherProcess(fd, keepingTheLock: true) {
            close(fd)
            throw Diagnostic(file: path, lockedProblem)
        }
        // Truncated as O_TRUNC would: a regular file only (`--out /dev/stdout` is written as is).
        var info = stat()
        let isRegular = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
        guard !isRegular || ftruncate(fd, 0) == 0 else {
            let cause = String(cString: strerror(errno))
            close(fd)
            throw Diagnostic(file: path, "cannot create the file: \(cause) (无法创建文件)")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }

    /// What to say of a file another process is writing.
    public static let lockedProblem = "another process is writing this file (另一个进程正在写入此文件): wait for it to finish, or write to another file"

    /// Whether another process holds a write lock on the open file `fd`. Else, with
    /// `keepingTheLock`, this process takes it (released when the process closes any handle on
    /// the file, or ends).
    public static func isLockedByAnotherProcess(_ fd: Int32, keepingTheLock: Bool) -> Bool {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        if keepingTheLock {
            return fcntl(fd, F_SETLK, &lock) != 0 && (errno == EACCES || errno == EAGAIN)
        }
        return fcntl(fd, F_GETLK, &lock) == 0 && lock.l_type != Int16(F_UNLCK)
    }
}
