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
    /// A read-only descriptor on `path` (the caller closes it); errors name `shown`, the path as
    /// the user gave it.
    static func openForReading(_ path: String, shown: String) throws -> Int32 {
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            throw Diagnostic(file: shown, "cannot open (无法打开文件): \(String(cString: strerror(errno)))")
        }
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
            throw Diagnostic(file: shown, "is a directory, not a profile file (这是目录, 不是文件)")
        default:
            close(fd)
            throw Diagnostic(file: shown, "is not a regular file (a named pipe, device or socket): give the exported file itself "
                             + "(不是普通文件, 如命名管道或设备; 请给出导出的文件本身)")
        }
    }
}
