/// Whitespace trimming that is cheap on the ingestion hot path.
///
/// Works on UTF-8 bytes: `String`'s Character and scalar views, and Foundation's
/// `trimmingCharacters(in:)`, cost more per cell than all the rest of its coercion. Returns the
/// string itself when nothing needs trimming (the common case).
enum TextTrimming {
    /// Whether `value` counts as padding around a value: Unicode whitespace (the White_Space
    /// property, which includes the full-width space U+3000 and NBSP), a stray byte-order mark, and
    /// the invisible characters text copied from web pages and chat apps carries: zero-width space,
    /// non-joiner and joiner (U+200B–U+200D), word joiner (U+2060), soft hyphen (U+00AD), Mongolian
    /// vowel separator (U+180E). (Operator review: `新桥` with a U+200B after it was not a Bao'an
    /// street, `1` with one not an integer, and a lists page of its own for the street.)
    @inline(__always)
    static func isPadding(_ value: UInt32) -> Bool {
        // Plain comparisons: a `switch` over ranges here compiled to a generic call per cell.
        if value < 0x80 { return value == 0x20 || (value &- 0x09) < 5 }
        if value < 0x2000 { return value == 0x85 || value == 0xA0 || value == 0xAD || value == 0x1680 || value == 0x180E }
        if value <= 0x200D { return true }
        return value == 0x2028 || value == 0x2029 || value == 0x202F || value == 0x205F || value == 0x2060 || value == 0x3000
            || value == 0xFEFF
    }

    /// `text` without leading and trailing padding.
    static func trim(_ text: String) -> String {
        var copy = text  // withUTF8 is mutating; a native string is not copied
        let (start, end, count) = copy.withUTF8 { bytes -> (Int, Int, Int) in
            let range = trimmed(bytes, 0..<bytes.count)
            return (range.lowerBound, range.upperBound, bytes.count)
        }
        if start == 0 && end == count { return text }
        if start == end { return "" }
        return copy.withUTF8 { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<end]), as: UTF8.self) }
    }

    /// `range` of `bytes` without leading and trailing padding.
    @inline(__always)
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Range<Int> {
        var start = range.lowerBound
        var end = range.upperBound
        guard start < end else { return range }
        // Fast path: a visible ASCII character or a Han lead byte (E4–E9) at the start, and a visible
        // ASCII character or the end of a Han character at the end. Nearly every cell.
        let first = bytes[start]
        let last = bytes[end - 1]
        let cleanStart = (first > 0x20 && first < 0x80) || (first >= 0xE4 && first <= 0xE9)
        let cleanEnd = (last > 0x20 && last < 0x80)
            || (last & 0xC0 == 0x80 && end - start >= 3 && bytes[end - 3] >= 0xE4 && bytes[end - 3] <= 0xE9)
        if cleanStart && cleanEnd { return range }
        while start < end, let length = paddingLength(bytes, startingAt: start) { start += length }
        while end > start, let length = paddingLength(bytes, endingAt: end) { end -= length }
        return start..<end
    }

    /// The byte length of the padding scalar starting at `i`, or nil if it is not padding.
    @inline(__always)
    static func paddingLength(_ bytes: UnsafeBufferPointer<UInt8>, startingAt i: Int) -> Int? {
        let lead = bytes[i]
        if lead < 0x80 { return isPadding(UInt32(lead)) ? 1 : nil }
        // Only scalars led by C2, E1, E2, E3 or EF can be padding; Han characters (E4–E9) never are.
        switch lead {
        case 0xC2:
            guard i + 1 < bytes.count else { return nil }
            return isPadding(UInt32(lead & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)) ? 2 : nil
        case 0xE1, 0xE2, 0xE3, 0xEF:
            guard i + 2 < bytes.count else { return nil }
            let value = UInt32(lead & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
            return isPadding(value) ? 3 : nil
        default:
            return nil
        }
    }

    /// The byte length of the padding scalar ending just before `end`, or nil if it is not padding.
    @inline(__always)
    static func paddingLength(_ bytes: UnsafeBufferPointer<UInt8>, endingAt end: Int) -> Int? {
        let last = bytes[end - 1]
        if last < 0x80 { return isPadding(UInt32(last)) ? 1 : nil }
        // Step back over continuation bytes to the scalar's lead byte.
        var start = end - 1
        while start > 0, end - start < 4, bytes[start] & 0xC0 == 0x80 { start -= 1 }
        guard let length = paddingLength(bytes, startingAt: start), start + length == end else { return nil }
        return length
    }
}
