import Crypto
import Foundation

/// SHA-256 of a file's bytes, read in 1 MiB pieces so memory stays small whatever the size.
public enum FileDigest {
    /// The hex digest and the size in bytes.
    public static func sha256(path: String) throws -> (hex: String, size: Int64) {
        // Not FileHandle(forReadingAtPath:): it waited for ever on a named pipe.
        let handle = FileHandle(fileDescriptor: try InputFile.openForReading(path, shown: path), closeOnDealloc: true)
        defer { try? handle.close() }
        var hasher = SHA256()
        var size: Int64 = 0
        while true {
            let data: Data?
            do {
                data = try handle.read(upToCount: 1 << 20)
            } catch {
                throw Diagnostic(file: path, "cannot read the file (无法读取文件): \(error.localizedDescription)")
            }
            guard let data, !data.isEmpty else { break }
            hasher.update(data: data)
            size += Int64(data.count)
        }
        return (hasher.finalize().hex, size)
    }
}
