/// Parses one JSON Lines record — an object — straight from its UTF-8 bytes, member by member.
///
/// `ProfileStream` uses this instead of `JSONSerialization`, which on Linux measured about
/// 80 µs per 25-key line (most of it building and dynamically casting Foundation objects):
/// 80 s for a million profiles. Values are handed over as byte ranges and coerced like CSV cells.
///
/// Strict RFC 8259 syntax; a syntax error names the character position and what was expected.
/// Nesting deeper than 64 levels is refused rather than risking the stack.
///
/// An iterator, not a callback API: closures capturing the caller's state cost a reference
/// count per captured value per member, which measured at a third of the time.
///
///     try parser.begin(line)
///     while let (key, value) = try parser.nextMember() { ... }
final class JSONLineParser {
    /// One member's value. Byte buffers are valid until the next call to `nextMember()`.
    enum Value {
        /// A string's content, unescaped.
        case text(UnsafeBufferPointer<UInt8>)
        /// A number as written (`12`, `-1.5e3`).
        case number(UnsafeBufferPointer<UInt8>)
        /// `true` or `false`, with the literal's bytes.
        case boolean(Bool, UnsafeBufferPointer<UInt8>)
        case null
        /// An array: its strings and numbers as text (nulls dropped), or nil when it holds
        /// anything else (booleans, arrays, objects); `raw` is the array as written.
        case array(items: [String]?, raw: UnsafeBufferPointer<UInt8>)
        /// A nested object, as written.
        case object(raw: UnsafeBufferPointer<UInt8>)
    }

    struct SyntaxError: Error {
        /// Byte offset in the line.
        var offset: Int
        var message: String
    }

    // Unchecked exclusivity: these are read and written for every byte, and a class's stored
    // properties otherwise pay a dynamic exclusivity check on each access (measured: a quarter of
    // the parse). The parser is never re-entered.
    @exclusivity(unchecked) private var bytes = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
    @exclusivity(unchecked) private var i = 0
    /// Unescaped content of the current key and of the current value, reused across members;
    /// separate so that an escaped key survives an escaped value.
    private let keyScratch = ScratchBuffer()
    private let valueScratch = ScratchBuffer()
    /// Whether the closing `}` has been read.
    @exclusivity(unchecked) private var finished = false
    private static let maxDepth = 64

    /// Growable bytes at a stable address between growths, so views into them can be returned.
    private final class ScratchBuffer {
        @exclusivity(unchecked) private(set) var pointer = UnsafeMutablePointer<UInt8>.allocate(capacity: 256)
        @exclusivity(unchecked) private(set) var count = 0
        @exclusivity(unchecked) private var capacity = 256

        deinit { pointer.deallocate() }

        func reset() { count = 0 }

        func append(_ byte: UInt8) {
            if count == capacity { grow(to: capacity * 2) }
            pointer[count] = byte
            count += 1
        }

        func append(_ bytes: UnsafeBufferPointer<UInt8>) {
            if count + bytes.count > capacity { grow(to: max(capacity * 2, count + bytes.count)) }
            for (k, byte) in bytes.enumerated() { pointer[count + k] = byte }
            count += bytes.count
        }

        var buffer: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: pointer, count: count) }

        private func grow(to newCapacity: Int) {
            let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            larger.update(from: pointer, count: count)
            pointer.deallocate()
            pointer = larger
            capacity = newCapacity
        }
    }

    /// Starts parsing `line`, which must hold one object.
    func begin(_ line: UnsafeBufferPointer<UInt8>) throws(SyntaxError) {
        bytes = line
        i = 0
        finished = false
        skipBlanks()
        guard i < bytes.count, bytes[i] == UInt8(ascii: "{") else {
            throw SyntaxError(offset: i, message: "不是JSON对象: 每行应是一个 {\"字段\": 值, ...} 对象")
        }
        i += 1
        skipBlanks()
        if peek(UInt8(ascii: "}")) {
            i += 1
            try end()
        }
    }

    /// The next key (unescaped UTF-8) and value, or nil after the closing brace.
    /// - Throws: `SyntaxError` at the first syntax error.
    func nextMember() throws(SyntaxError) -> (key: UnsafeBufferPointer<UInt8>, value: Value)? {
        if finished { return nil }
        skipBlanks()
        guard peek(UInt8(ascii: "\"")) else { throw SyntaxError(offset: i, message: "期望键(带引号的字段名)") }
        let key = try string(into: keyScratch)
        skipBlanks()
        try expect(UInt8(ascii: ":"), "期望':'")
        skipBlanks()
        let value = try value()
        skipBlanks()
        if peek(UInt8(ascii: ",")) {
            i += 1
        } else {
            try expect(UInt8(ascii: "}"), "期望','或'}'")
            try end()
        }
        return (key, value)
    }

    private func end() throws(SyntaxError) {
        finished = true
        skipBlanks()
        if i < bytes.count { throw SyntaxError(offset: i, message: "对象结束后还有多余内容") }
    }

    // MARK: - Values

    private func value() throws(SyntaxError) -> Value {
        guard i < bytes.count else { throw SyntaxError(offset: i, message: "期望一个值") }
        let start = i
        switch bytes[i] {
        case UInt8(ascii: "\""):
            return .text(try string(into: valueScratch))
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            return .number(slice(start, i))
        case UInt8(ascii: "t"):
            try literal("true")
            return .boolean(true, slice(start, i))
        case UInt8(ascii: "f"):
            try literal("false")
            return .boolean(false, slice(start, i))
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        case UInt8(ascii: "["):
            var items: [String]? = []
            i += 1
            skipBlanks()
            if peek(UInt8(ascii: "]")) {
                i += 1
            } else {
                while true {
                    skipBlanks()
                    guard i < bytes.count else { throw SyntaxError(offset: i, message: "数组没有结束") }
                    let elementStart = i
                    switch bytes[i] {
                    case UInt8(ascii: "\""):
                        let text = try string(into: valueScratch)
                        items?.append(String(decoding: text, as: UTF8.self))
                    case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                        try number()
                        items?.append(String(decoding: slice(elementStart, i), as: UTF8.self))
                    case UInt8(ascii: "n"):
                        try literal("null")
                    default:
                        try skipValue(depth: 1)
                        items = nil
                    }
                    skipBlanks()
                    if peek(UInt8(ascii: ",")) { i += 1; continue }
                    try expect(UInt8(ascii: "]"), "期望','或']'")
                    break
                }
            }
            return .array(items: items, raw: slice(start, i))
        case UInt8(ascii: "{"):
            try skipValue(depth: 0)
            return .object(raw: slice(start, i))
        default:
            throw SyntaxError(offset: i, message: "期望一个值(字符串、数字、true、false、null、数组或对象)")
        }
    }

    /// Skips any value, checking its syntax.
    private func skipValue(depth: Int) throws(SyntaxError) {
        guard depth < JSONLineParser.maxDepth else { throw SyntaxError(offset: i, message: "嵌套超过\(JSONLineParser.maxDepth)层") }
        guard i < bytes.count else { throw SyntaxError(offset: i, message: "期望一个值") }
        switch bytes[i] {
        case UInt8(ascii: "\""):
            _ = try string(into: valueScratch)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            let isArray = bytes[i] == UInt8(ascii: "[")
            let close = isArray ? UInt8(ascii: "]") : UInt8(ascii: "}")
            i += 1
            skipBlanks()
            if peek(close) { i += 1; return }
            while true {
                skipBlanks()
                if !isArray {
                    guard peek(UInt8(ascii: "\"")) else { throw SyntaxError(offset: i, message: "期望键(带引号的字段名)") }
                    _ = try string(into: valueScratch)
                    skipBlanks()
                    try expect(UInt8(ascii: ":"), "期望':'")
                    skipBlanks()
                }
                try skipValue(depth: depth + 1)
                skipBlanks()
                if peek(UInt8(ascii: ",")) { i += 1; continue }
                try expect(close, isArray ? "期望','或']'" : "期望','或'}'")
                return
            }
        default:
            throw SyntaxError(offset: i, message: "期望一个值(字符串、数字、true、false、null、数组或对象)")
        }
    }

    /// Reads the string starting at the opening quote at `i`; its unescaped bytes are read in
    /// place, or copied into `scratch` when it has escapes.
    private func string(into scratch: ScratchBuffer) throws(SyntaxError) -> UnsafeBufferPointer<UInt8> {
        let open = i
        i += 1
        let start = i
        // Fast path: no escapes, the content is read in place. Skip eight bytes at a time while
        // none is a quote, a backslash or a control character (SWAR, as in `CSVReader`).
        if let base = bytes.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= bytes.count {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                let quote = word ^ (ones &* 0x22)
                let backslash = word ^ (ones &* 0x5C)
                let found = ((quote &- ones) & ~quote | (backslash &- ones) & ~backslash | (word &- ones &* 0x20) & ~word) & highs
                if found != 0 { break }
                i += 8
            }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                i += 1
                return slice(start, i - 1)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw SyntaxError(offset: i, message: "字符串中有未转义的控制字符") }
            i += 1
        }
        guard i < bytes.count else { throw SyntaxError(offset: open, message: "字符串没有结束引号") }
        scratch.reset()
        scratch.append(slice(start, i))
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                i += 1
                return scratch.buffer
            }
            if byte < 0x20 { throw SyntaxError(offset: i, message: "字符串中有未转义的控制字符") }
            if byte != UInt8(ascii: "\\") {
                scratch.append(byte)
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { break }
            let escape = bytes[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if scalar >= 0xD800 && scalar < 0xDC00 {
                    // A high surrogate must be followed by an escaped low one.
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u") else {
                        throw SyntaxError(offset: i, message: "\\u代理对不完整")
                    }
                    i += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw SyntaxError(offset: i - 6, message: "\\u代理对不完整") }
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar < 0xE000 {
                    throw SyntaxError(offset: i - 6, message: "\\u代理对不完整")
                }
                if let unicode = Unicode.Scalar(scalar) {
                    for byte in String(Character(unicode)).utf8 { scratch.append(byte) }
                }
            default:
                throw SyntaxError(offset: i - 2, message: "无效的转义序列'\\\(Character(Unicode.Scalar(escape)))'")
            }
        }
        throw SyntaxError(offset: open, message: "字符串没有结束引号")
    }

    private func hex4() throws(SyntaxError) -> UInt32 {
        guard i + 4 <= bytes.count else { throw SyntaxError(offset: i, message: "\\u后应有4位十六进制数") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[i]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw SyntaxError(offset: i, message: "\\u后应有4位十六进制数")
            }
            value = value << 4 | UInt32(digit)
            i += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private func number() throws(SyntaxError) {
        let start = i
        if peek(UInt8(ascii: "-")) { i += 1 }
        guard i < bytes.count, isDigit(bytes[i]) else { throw SyntaxError(offset: start, message: "数字格式错误") }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < bytes.count, isDigit(bytes[i]) { throw SyntaxError(offset: start, message: "数字不能以0开头") }
        } else {
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if peek(UInt8(ascii: ".")) {
            i += 1
            guard i < bytes.count, isDigit(bytes[i]) else { throw SyntaxError(offset: start, message: "数字格式错误: 小数点后应有数字") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if peek(UInt8(ascii: "e")) || peek(UInt8(ascii: "E")) {
            i += 1
            if peek(UInt8(ascii: "+")) || peek(UInt8(ascii: "-")) { i += 1 }
            guard i < bytes.count, isDigit(bytes[i]) else { throw SyntaxError(offset: start, message: "数字格式错误: 指数应有数字") }
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
    }

    private func literal(_ word: StaticString) throws(SyntaxError) {
        let count = word.utf8CodeUnitCount
        guard i + count <= bytes.count else { throw SyntaxError(offset: i, message: "期望'\(word)'") }
        for k in 0..<count where bytes[i + k] != word.utf8Start[k] {
            throw SyntaxError(offset: i, message: "期望'\(word)'")
        }
        i += count
    }

    // MARK: - Helpers

    @inline(__always) private func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    @inline(__always) private func peek(_ byte: UInt8) -> Bool { i < bytes.count && bytes[i] == byte }

    private func expect(_ byte: UInt8, _ message: String) throws(SyntaxError) {
        guard peek(byte) else { throw SyntaxError(offset: i, message: message) }
        i += 1
    }

    private func skipBlanks() {
        while i < bytes.count {
            switch bytes[i] {
            case 0x20, 0x09, 0x0A, 0x0D: i += 1
            default: return
            }
        }
    }

    private func slice(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: bytes[start..<end])
    }
}
