import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams a JSON Lines file: one JSON object per line, blank lines skipped.
///
/// A line that is not valid JSON, or not an object, comes back with a `problem` naming the
/// parser's cause; the next line is read normally. Lines longer than `maxRecordBytes` (1 MiB)
/// are skipped with a problem instead of being buffered. Decoding as in `CSVReader`. A JSON
/// document (an array, or objects printed over several lines) is refused by `refuseJSONDocument`.
///
///     let reader = try JSONLinesReader(url: url)
///     while let line = try reader.next() { print(line.line, line.object ?? [:]) }
public final class JSONLinesReader {
    /// One line of the file.
    public struct Line {
        /// 1-based line number.
        public var line: Int
        /// The object (values as produced by `JSONSerialization`), nil when `problem` is set.
        public var object: [String: Any]?
        /// Why the line is not a JSON object, in Chinese with the parser's cause.
        public var problem: String?
    }

    public var path: String { input.path }
    public var encoding: InputEncoding? { input.resolvedEncoding }
    /// Hex SHA-256 of the file's bytes, available once `next()` has returned nil.
    public var sha256: String? { input.sha256 }
    /// Bytes of the file read so far.
    public var bytesRead: Int { input.bytesRead }
    public var replacements: Int { input.replacements }
    public private(set) var firstReplacementLine: Int?

    private let input: DecodedInput
    private let maxRecordBytes: Int
    /// Line number of `input.bytes[input.start]`.
    private var line = 1
    /// Bytes of the line last returned, valid until the next call to `next()`.
    private var lastRange: Range<Int>?
    private var lastOverride: String?

    public convenience init(url: URL, encoding: InputEncoding = .auto) throws {
        try self.init(url: url, path: url.relativePath, encoding: encoding)
    }

    init(url: URL, path: String, encoding: InputEncoding, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20) throws {
        self.input = try DecodedInput(url: url, path: path, encoding: encoding, chunkSize: chunkSize)
        self.maxRecordBytes = maxRecordBytes
    }

    /// The text of the line last returned, cut to `limit` characters.
    public func lastRecordText(limit: Int = 500) -> String {
        let text: String
        if let override = lastOverride {
            text = override
        } else if let range = lastRange, range.upperBound <= input.bytes.count {
            text = String(decoding: input.bytes[range], as: UTF8.self)
        } else {
            return ""
        }
        return text.count > limit ? String(text.prefix(limit)) : text
    }

    /// The next non-blank line, parsed with `JSONSerialization`, or nil at the end of the file.
    /// Throws only on I/O errors.
    public func next() throws -> Line? {
        guard let (number, problem) = try nextRaw() else { return nil }
        if let problem { return Line(line: number, object: nil, problem: problem) }
        return withLine { bytes in
            do {
                let value = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
                guard let object = value as? [String: Any] else {
                    return Line(line: number, object: nil, problem: "不是JSON对象: 每行应是一个 {\"字段\": 值, ...} 对象")
                }
                return Line(line: number, object: object, problem: nil)
            } catch {
                let cause = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? error.localizedDescription
                return Line(line: number, object: nil, problem: "JSON格式错误: \(cause)")
            }
        }
    }

    /// Advances to the next non-blank line without parsing it: read its bytes with `withLine`.
    /// - Returns: the line number and, for a line too long to hold, the problem; nil at the end.
    func nextRaw() throws -> (line: Int, problem: String?)? {
        lastRange = nil
        lastOverride = nil
        while true {
            let window = input.bytes[input.start...]
            guard let newline = JSONLinesReader.firstNewline(in: input.bytes, from: input.start) else {
                if !input.isExhausted {
                    if window.count >= maxRecordBytes { return try skipLongLine() }
                    try refill()
                    continue
                }
                if window.isEmpty { return nil }
                // The last line has no line break.
                input.start = input.bytes.count
                if let content = JSONLinesReader.content(of: window) {
                    lastRange = content
                    return (line, nil)
                }
                return nil
            }
            let number = line
            input.start = newline + 1
            line += 1
            if let content = JSONLinesReader.content(of: window[..<newline]) {
                lastRange = content
                return (number, nil)
            }
        }
    }

    /// Throws when the file is one JSON document, an array or objects printed over several lines,
    /// not one object per line: read line by line, it gave a reject per physical line (114 for
    /// three objects; data-administrator review). Call on a new reader. Reads the first non-blank
    /// line; only if it opens an object it does not close is the whole file parsed (up to 64 MiB).
    func refuseJSONDocument(url: URL) throws {
        guard let (number, problem) = try nextRaw(), problem == nil else { return }
        let first = withLine { Array($0) }
        var isArray = first.first == UInt8(ascii: "[")
        var isDocument = isArray || first == [UInt8(ascii: "{")]
        if !isDocument, first.first == UInt8(ascii: "{"), (try? JSONSerialization.jsonObject(with: Data(first))) == nil,
           let document = JSONLinesReader.wholeDocument(url) {
            isDocument = true
            isArray = document is [Any]
        }
        guard isDocument else { return }
        let output = (path as NSString).deletingPathExtension + ".lines.jsonl"
        let command = isArray ? "jq -c '.[]' \(path) > \(output)" : "jq -c . \(path) > \(output)"
        throw Diagnostic(file: path, line: number,
                         "is a JSON document, not JSON Lines (one object per line) (这是 JSON 文件, 不是每行一个对象的 JSON Lines); "
                         + "convert it (转换方法): \(command)")
    }

    /// The file parsed as one JSON value, if it is one and not larger than 64 MiB.
    private static func wholeDocument(_ url: URL) -> Any? {
        guard let size = try? url.resourceValues(forKeys: [.fileSizeKey]).fileSize, size <= 64 << 20,
              let data = try? Data(contentsOf: url) else { return nil }
        return try? JSONSerialization.jsonObject(with: data)
    }

    /// Whether the line last returned holds a NUL: a raw byte, or the escape `\u0000`.
    var lastLineHasNUL: Bool {
        withLine { line in
            guard let base = line.baseAddress, !line.isEmpty else { return false }
            if memchr(base, 0, line.count) != nil { return true }
            // Each backslash (few in a line), then "u0000" after it.
            var i = 0
            while i < line.count, let found = memchr(base + i, 0x5C, line.count - i) {
                let k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                if k + 5 < line.count, line[k + 1] == 0x75, line[k + 2] == 0x30, line[k + 3] == 0x30, line[k + 4] == 0x30, line[k + 5] == 0x30 {
                    return true
                }
                i = k + 2  // past an escaped character (`\\` included)
            }
            return false
        }
    }

    /// Calls `body` with the bytes of the line `nextRaw()` last returned (without surrounding
    /// blanks); valid only inside `body` and until the next call to `nextRaw()`.
    func withLine<R>(_ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        let range = lastRange ?? 0..<0
        return try input.bytes.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[range])) }
    }

    /// The index of the first LF at or after `from` (`memchr`: a generic search costs a few
    /// instructions per byte).
    private static func firstNewline(in bytes: [UInt8], from: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress, from < buffer.count,
                  let found = memchr(base + from, 0x0A, buffer.count - from) else { return nil }
            return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// The range of `bytes` without surrounding blanks (and the CR of a CRLF); nil for a blank line.
    private static func content(of bytes: ArraySlice<UInt8>) -> Range<Int>? {
        var content = bytes
        while let last = content.last, last == 0x0D || last == 0x20 || last == 0x09 { content = content.dropLast() }
        while let first = content.first, first == 0x20 || first == 0x09 { content = content.dropFirst() }
        return content.isEmpty ? nil : content.startIndex..<content.endIndex
    }

    private func skipLongLine() throws -> (line: Int, problem: String?) {
        let number = line
        lastOverride = String(decoding: input.bytes[input.start...].prefix(2048), as: UTF8.self)
        while true {
            if let newline = input.bytes[input.start...].firstIndex(of: 0x0A) {
                input.start = newline + 1
                break
            }
            input.start = input.bytes.count
            if input.isExhausted { break }
            try refill()
        }
        line += 1
        return (number, "行超过\(maxRecordBytes / 1024) KiB, 已跳过")
    }

    private func refill() throws {
        var replacementIndex: Int?
        _ = try input.refill(firstReplacement: &replacementIndex)
        if firstReplacementLine == nil, let index = replacementIndex {
            let newlines = input.bytes[input.start..<index].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            firstReplacementLine = line + newlines
        }
        if input.isExhausted { CSVReader.dropEndOfFileMark(input) }
    }
}
