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
    /// The handle holds an exclusive `flock` on the file until it is closed (or the process ends,
    /// however it ends), taken before the file is truncated: a second huiqi process writing the same
    /// file (two runs with one `--out`, a scheduled batch and a manual one) is refused, where both
    /// used to write into it, each exiting 0 with a file that mixed the two (crash-safety review).
    /// Advisory: other programs are not stopped, and a file system without locks (some network
    /// mounts) is written as before.
    public static func create(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let cause = String(cString: strerror(errno))
            throw Diagnostic(file: path, "cannot create the file: \(cause) (无法创建文件)")
        }
        if flock(fd, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK {
            close(fd)
            throw Diagnostic(file: path, "another process is writing this file (另一个进程正在写入此文件): "
                             + "wait for it to finish, or write to another file")
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
}
