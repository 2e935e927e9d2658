import Foundation

/// A file written through a large buffer (one syscall per 256 KiB, not per line).
final class BufferedOutput {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let capacity = 256 * 1024
    let path: String

    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw Diagnostic(file: path, "cannot create the file (无法创建文件)")
        }
        guard let h = FileHandle(forWritingAtPath: path) else {
            throw Diagnostic(file: path, "cannot open the file for writing (无法写入文件)")
        }
        handle = h
        buffer.reserveCapacity(capacity)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= capacity { flush() }
    }

    func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= capacity { flush() }
    }

    func write(_ data: Data) {
        buffer.append(contentsOf: data)
        if buffer.count >= capacity { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}
