import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Opens a profile file for reading, refusing anything that is not a regular file.
///
/// A named pipe (FIFO) given as an input blocked `open` for ever with no message (found in
/// review). The file is opened non-blocking, so a FIFO opens at once and is refused by its type;
/// a pipe, device or socket could not serve a run anyway, which reads each input twice (hashed
/// when the run starts, then read row by row).
enum InputFile {
    /// Why `path` did not open, in both languages (first-day review: "No such file or directory",
    /// English only, and not said where a relative path was looked for).
    static func cannotOpen(_ path: String, errno code: Int32) -> String {
        switch code {
        case ENOENT:
            let place = path.hasPrefix("/") ? "" : " in \(FileManager.default.currentDirectoryPath) (相对路径从当前目录算起; 请核对文件名和所在目录)"
            return "cannot open (无法打开文件): no such file (文件不存在)" + place
        case EACCES:
            return "cannot open (无法打开文件): permission denied (没有读取权限)"
        default:
            return "cannot open (无法打开文件): \(String(cString: strerror(code)))"
        }
    }

    /// A read-only descriptor on `path` (the caller closes it); errors name `shown`, the path as
    /// the user gave it.
    static func openForReading(_ path: String, shown: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { throw Diagnostic(file: shown, cannotOpen(shown, errno: errno)) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let cause = String(cString: strerror(errno))
            close(fd)
            throw Diagnostic(file: shown, "cannot open (无法打开文件): \(cause)")
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG:
            // Reads block as usual (O_NONBLOCK means nothing for a regular file; cleared all the same).
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
            return fd
        case S_IFDIR:
            close(fd)
            throw Diagnostic(file: shown, "is a directory, not a file (这是目录, 不是文件)")
        default:
            close(fd)
            throw Diagnostic(file: shown, "is not a regular file (a named pipe, device or socket): give the exported file itself "
                             + "(不是普通文件, 如命名管道或设备; 请给出导出的文件本身)")
        }
    }
}
