import Foundation

/// A file written through a large buffer (one syscall per 256 KiB, not per line). A failed write
/// (a full disk) throws a `Diagnostic` naming the file; FileHandle's non-throwing `write` trapped.
final class BufferedOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let capacity = 256 * 1024
    let path: String

    init(path: String) throws {
        self.path = path
        handle = try OutputFile.create(path)
        buffer.reserveCapacity(capacity)
    }

    func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { try flush() }
    }

    func write(_ bytes: [UInt8]) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { try flush() }
    }

    /// Writes what `encode` appends to the buffer: no string or array is built for it.
    func write(_ encode: (inout [UInt8]) -> Void) throws {
        encode(&buffer)
        if buffer.count >= capacity { try flush() }
    }

    func write(_ data: Data) throws {
        buffer.append(contentsOf: data)
        if buffer.count >= capacity { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        do {
            try handle.write(contentsOf: buffer)
        } catch {
            buffer.removeAll(keepingCapacity: true)
            throw Diagnostic.writeFailed(error, file: path)
        }
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        try flush()
        do { try handle.close() } catch { throw Diagnostic.writeFailed(error, file: path) }
    }
}
