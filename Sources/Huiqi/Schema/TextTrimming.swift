/// Whitespace trimming that is cheap on the ingestion hot path.
///
/// Foundation's `trimmingCharacters(in:)` bridges and allocates for every cell; this looks only
/// at the ends and returns the string itself when nothing needs trimming (the common case).
enum TextTrimming {
    /// Whether `scalar` counts as padding around a value: Unicode whitespace (which includes the
    /// full-width space U+3000 and NBSP) and a stray byte-order mark.
    @inline(__always)
    static func isPadding(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v == 0x20 || (v >= 0x09 && v <= 0x0D) }
        return v == 0xFEFF || scalar.properties.isWhitespace
    }

    /// `text` without leading and trailing padding.
    static func trim(_ text: String) -> String {
        let utf8 = text.utf8
        // Fast path: first and last bytes are visible ASCII, so there is nothing to trim.
        if let first = utf8.first, let last = utf8.last,
           first > 0x20, first < 0x80, last > 0x20, last < 0x80 {
            return text
        }
        let scalars = text.unicodeScalars
        guard let start = scalars.firstIndex(where: { !isPadding($0) }),
              let last = scalars.lastIndex(where: { !isPadding($0) }) else { return "" }
        if start == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return text }
        return String(scalars[start...last])
    }
}
