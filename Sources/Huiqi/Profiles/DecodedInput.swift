import Crypto
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file read in fixed-size chunks and exposed as a sliding window of UTF-8 bytes.
///
/// Readers parse `bytes[start...]` and advance `start`; when a record runs past the end of the
/// window they call `refill()`, which drops the consumed prefix and appends the next decoded
/// chunk. Memory stays at about one chunk plus one record, whatever the file size. The raw
/// bytes are hashed on the way through, so the file's SHA-256 costs no second read.
final class DecodedInput {
    /// The path as the user named it, for messages.
    let path: String
    /// Decoded UTF-8; bytes before `start` are consumed.
    var bytes: [UInt8] = []
    var start = 0
    /// True once the file is read to its end and everything decoded is in `bytes`.
    private(set) var isExhausted = false
    /// Hex SHA-256 of the file's raw bytes, once it has been read to the end.
    private(set) var sha256: String?
    /// Bytes read from the file so far (all of it once `sha256` is set).
    private(set) var bytesRead = 0

    private let descriptor: Int32
    private let transcoder: InputTranscoder
    private let chunk: UnsafeMutableRawBufferPointer
    private var hasher = SHA256()
    private var checkedStart = false

    init(url: URL, path: String, encoding: InputEncoding, chunkSize: Int) throws {
        self.path = path
        self.transcoder = try InputTranscoder(encoding: encoding)
        self.descriptor = try InputFile.openForReading(url.path, shown: path)
        self.chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: max(chunkSize, 4), alignment: 8)
        bytes.reserveCapacity(max(chunkSize, 4) * 2)
    }

    deinit {
        close(descriptor)
        chunk.deallocate()
    }

    /// The encoding in use (nil while `auto` has seen only ASCII).
    var resolvedEncoding: InputEncoding? { transcoder.resolvedEncoding }
    /// How many invalid byte sequences were replaced by U+FFFD so far.
    var replacements: Int { transcoder.replacements }

    /// Drops the consumed bytes and appends the next decoded chunk.
    /// - Returns: false when the input is exhausted and nothing was added; otherwise true and,
    ///   through `firstReplacement`, the index in `bytes` of the first U+FFFD this refill wrote.
    func refill(firstReplacement: inout Int?) throws -> Bool {
        firstReplacement = nil
        if start > 0 {
            bytes.removeSubrange(0..<start)
            start = 0
        }
        let before = bytes.count
        while !isExhausted && bytes.count == before {
            let count = try readChunk()
            if !checkedStart {
                checkedStart = true
                try refuseUTF16(count)
            }
            let isLast = count == 0
            let replaced = transcoder.transcode(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), isLast: isLast, into: &bytes)
            if firstReplacement == nil { firstReplacement = replaced }
            if isLast {
                isExhausted = true
                sha256 = HexEncoding.string(hasher.finalize())
            }
        }
        return bytes.count > before
    }

    /// UTF-16 (Excel's "Unicode text", some exports) read as UTF-8 or GB18030 gave a garbled
    /// "unknown column" (found in review): say what it is. Text files never hold NUL bytes.
    private func refuseUTF16(_ count: Int) throws {
        let head = chunk.prefix(min(count, 256))
        let bom = head.count >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF))
        if bom || head.contains(0) {
            throw Diagnostic(file: path, "is UTF-16 or not text (NUL bytes): not supported; save it as UTF-8 (Excel: \"CSV UTF-8\") "
                             + "or GB18030 (文件为 UTF-16 或非文本, 请另存为 UTF-8 或 GB18030)")
        }
    }

    /// Fills `chunk` as far as the file allows; 0 means end of file.
    private func readChunk() throws -> Int {
        var filled = 0
        while filled < chunk.count {
            guard let base = chunk.baseAddress else { break }
            let n = read(descriptor, base + filled, chunk.count - filled)
            if n < 0 {
                if errno == EINTR { continue }
                throw Diagnostic(file: path, "read error (读取失败): \(String(cString: strerror(errno)))")
            }
            if n == 0 { break }
            filled += n
        }
        hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: chunk[0..<filled]))
        bytesRead += filled
        return filled
    }
}
