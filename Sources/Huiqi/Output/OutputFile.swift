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
    public static func create(_ path: String) throws -> FileHandle {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            let cause = String(cString: strerror(errno))
            throw Diagnostic(file: path, "cannot create the file: \(cause) (无法创建文件)")
        }
        return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
    }
}
