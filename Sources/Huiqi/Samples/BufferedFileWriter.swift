import Foundation

/// Writes bytes to a new file through a large in-memory buffer, so that millions of small
/// appends cost a handful of system calls.
///
/// The file is written under a temporary name and put in place by `close()` (`StagedFile`): a
/// generation that fails (a full disk) leaves no file cut short that a later run would read as a
/// smaller sample, and an earlier file at the path as it was.
///
/// A struct used as a local `var`, so appends get static exclusivity checking: a class property
/// would pay a dynamic access check on every byte.
struct BufferedFileWriter {
    private let file: StagedFile
    private let path: String
    private(set) var buffer: [UInt8] = []
    private let capacity: Int

    /// Starts the file for `url` (a writer dropped without `close()` leaves the path as it was).
    init(url: URL, capacity: Int = 1 << 20) throws {
        file = try StagedFile(url.relativePath)
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
        do { try file.handle.write(contentsOf: buffer) } catch { throw Diagnostic.writeFailed(error, file: path) }
    }

    /// Flushes and puts the file in place; call once at the end.
    mutating func close() throws {
        do { try flush() } catch { file.discard(); throw error }
        try file.commit()
    }
}
