import Foundation

/// Writes bytes to a new file through a large in-memory buffer, so that millions of small
/// appends cost a handful of system calls.
///
/// A struct used as a local `var`, so appends get static exclusivity checking: a class property
/// would pay a dynamic access check on every byte.
struct BufferedFileWriter {
    private let handle: FileHandle
    private let path: String
    private(set) var buffer: [UInt8] = []
    private let capacity: Int

    /// Creates (or truncates) the file at `url`.
    init(url: URL, capacity: Int = 1 << 20) throws {
        handle = try OutputFile.create(url.path)
        path = url.relativePath
        self.capacity = capacity
        buffer.reserveCapacity(capacity + 64 * 1024)
    }

    mutating func append(_ text: String) { buffer.append(contentsOf: text.utf8) }
    mutating func append(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }
    mutating func append(byte: UInt8) { buffer.append(byte) }

    /// Writes the buffer out once it is full; call between records.
    mutating func flushIfFull() throws {
        if buffer.count >= capacity { try flush() }
    }

    mutating func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        do { try handle.write(contentsOf: buffer) } catch { throw Diagnostic.writeFailed(error, file: path) }
    }

    /// Flushes and closes; call once at the end.
    mutating func close() throws {
        try flush()
        try handle.close()
    }
}
