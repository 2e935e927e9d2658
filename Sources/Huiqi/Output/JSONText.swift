/// Minimal JSON writing for the hot output paths.
///
/// Foundation's JSONEncoder on Linux cost about 40 µs per decision line (20,000 businesses ×
/// 25 services: 24 s with JSONEncoder, 4.7 s without output), so decision lines are written by
/// hand with these helpers. Keys are emitted in a fixed order, so output is byte-for-byte stable.
public struct JSONText {
    public private(set) var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    public init() { bytes.reserveCapacity(512) }

    // One flag per open object/array: whether the next member needs a comma before it.
    public mutating func beginObject(_ key: String? = nil) {
        if let key { self.key(key) } else { separator() }
        bytes.append(UInt8(ascii: "{")); needsComma.append(false)
    }
    public mutating func endObject() { bytes.append(UInt8(ascii: "}")); needsComma.removeLast(); markValue() }
    public mutating func beginArray(_ key: String? = nil) {
        if let key { self.key(key) } else { separator() }
        bytes.append(UInt8(ascii: "[")); needsComma.append(false)
    }
    public mutating func endArray() { bytes.append(UInt8(ascii: "]")); needsComma.removeLast(); markValue() }

    public mutating func field(_ key: String, _ value: String?) { self.key(key); value.map { appendString($0) } ?? appendRaw("null") }
    public mutating func field(_ key: String, _ value: Double?) { self.key(key); appendRaw(value.map(LuaNumberText.format) ?? "null") }
    public mutating func field(_ key: String, _ value: Int) { self.key(key); appendRaw(String(value)) }
    public mutating func field(_ key: String, _ value: Bool) { self.key(key); appendRaw(value ? "true" : "false") }
    public mutating func element(_ value: String) { separator(); appendString(value) }

    /// Writes `"key":` after a comma if needed; the value that follows marks the member done.
    private mutating func key(_ key: String) {
        separator()
        appendString(key)
        bytes.append(UInt8(ascii: ":"))
        if !needsComma.isEmpty { needsComma[needsComma.count - 1] = false }
    }

    private mutating func separator() {
        if let last = needsComma.last, last { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func markValue() { if !needsComma.isEmpty { needsComma[needsComma.count - 1] = true } }

    private mutating func appendRaw(_ text: String) { bytes.append(contentsOf: text.utf8); markValue() }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [92, 92])
            case 10: bytes.append(contentsOf: [92, UInt8(ascii: "n")])
            case 13: bytes.append(contentsOf: [92, UInt8(ascii: "r")])
            case 9: bytes.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<32:
                bytes.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, JSONText.hex[Int(b >> 4)], JSONText.hex[Int(b & 15)]])
            default: bytes.append(b)
            }
        }
        bytes.append(UInt8(ascii: "\""))
        markValue()
    }
}
