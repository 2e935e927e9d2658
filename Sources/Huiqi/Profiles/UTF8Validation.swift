/// Finds where UTF-8 stops being valid, eight ASCII bytes at a time.
enum UTF8Validation {
    enum Status: Equatable {
        /// Everything up to the end is valid.
        case valid
        /// The sequence starting at `end` is invalid.
        case invalid
        /// The bytes from `end` start a sequence that the buffer cuts short.
        case incomplete
    }

    /// Validates `bytes[from...]` by Unicode Table 3-7 (no overlongs, surrogates or values past U+10FFFF).
    /// - Returns: the end of the valid prefix and why it stopped.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>, from: Int) -> (end: Int, status: Status) {
        let n = bytes.count
        var i = from
        guard let base = bytes.baseAddress else { return (i, .valid) }
        let raw = UnsafeRawPointer(base)
        while i < n {
            let lead = bytes[i]
            if lead < 0x80 {
                i += 1
                // Long ASCII runs: skip a word at a time.
                while i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                }
                continue
            }
            // Three-byte sequences (all of CJK) first, without a loop.
            if lead >= 0xE1 && lead <= 0xEF && lead != 0xED {
                guard i + 2 < n else { return continuationsValid(bytes, i, n) ? (i, .incomplete) : (i, .invalid) }
                guard bytes[i + 1] & 0xC0 == 0x80, bytes[i + 2] & 0xC0 == 0x80 else { return (i, .invalid) }
                i += 3
                continue
            }
            let length: Int
            var low: UInt8 = 0x80
            var high: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; low = 0xA0
            case 0xED: length = 3; high = 0x9F
            case 0xF0: length = 4; low = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; high = 0x8F
            default: return (i, .invalid)
            }
            for k in 1..<length {
                guard i + k < n else { return (i, .incomplete) }
                let byte = bytes[i + k]
                let (lo, hi) = k == 1 ? (low, high) : (UInt8(0x80), UInt8(0xBF))
                guard byte >= lo && byte <= hi else { return (i, .invalid) }
            }
            i += length
        }
        return (n, .valid)
    }

    /// Whether the bytes after the lead at `i`, up to `n`, are all continuation bytes.
    private static func continuationsValid(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ n: Int) -> Bool {
        var k = i + 1
        while k < n {
            if bytes[k] & 0xC0 != 0x80 { return false }
            k += 1
        }
        return true
    }
}
