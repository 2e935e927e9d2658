/// Parsing of integer and decimal cells as people type them in spreadsheets.
///
/// The fast paths hand plain text straight to the standard library (`Int64("12")`); only text
/// with thousands separators or a fraction takes the slower byte-by-byte route.
enum NumberParsing {
    enum IntegerResult: Equatable {
        case value(Int64)
        case outOfRange
        case invalid
    }

    /// 10^n for n ≤ 15, exact in a Double. A switch, not a static table: a table costs a lazy
    /// initialisation check on every cell.
    @inline(__always)
    private static func powerOfTen(_ n: Int) -> Double {
        switch n {
        case 0: return 1
        case 1: return 1e1
        case 2: return 1e2
        case 3: return 1e3
        case 4: return 1e4
        case 5: return 1e5
        case 6: return 1e6
        case 7: return 1e7
        case 8: return 1e8
        case 9: return 1e9
        case 10: return 1e10
        case 11: return 1e11
        case 12: return 1e12
        case 13: return 1e13
        case 14: return 1e14
        default: return 1e15
        }
    }

    /// The fast path for the usual cell, `[+-]digits` of up to 18 digits (cannot overflow);
    /// nil means "not that simple", not "invalid".
    @inline(__always)
    static func plainInteger(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var i = 0
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            i = 1
        }
        let digits = bytes.count - i
        guard digits > 0, digits <= 18 else { return nil }
        var value: Int64 = 0
        while i < bytes.count {
            let d = bytes[i] &- 0x30
            guard d < 10 else { return nil }
            value = value * 10 + Int64(d)
            i += 1
        }
        return negative ? -value : value
    }

    /// The fast path for `[+-]digits[.digits]` with at most 15 significant digits: the digits as
    /// an integer (exact, below 2^53) divided by an exact power of ten is the correctly rounded
    /// result, the same Double `strtod` returns (Clinger's fast path). Nil means "use the slow path".
    @inline(__always)
    static func plainDecimal(_ bytes: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = 0
        var negative = false
        if bytes[0] == 0x2D || bytes[0] == 0x2B {
            negative = bytes[0] == 0x2D
            i = 1
        }
        var mantissa: UInt64 = 0
        var digits = 0
        var fractionDigits = 0
        var sawPoint = false
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x2E {
                guard !sawPoint else { return nil }
                sawPoint = true
            } else {
                let d = byte &- 0x30
                guard d < 10 else { return nil }
                mantissa = mantissa * 10 + UInt64(d)
                digits += 1
                if sawPoint { fractionDigits += 1 }
                guard digits <= 15 else { return nil }
            }
            i += 1
        }
        guard digits > 0 else { return nil }
        let value = Double(mantissa) / powerOfTen(fractionDigits)
        return negative ? -value : value
    }

    /// "12", "+12", "-3", "1,200", "12.0" → an integer; "12.5", "1e3", "1,20" are not integers.
    static func integer(_ text: String) -> IntegerResult {
        if let n = Int64(text) { return .value(n) }
        guard let number = Grammar(text), !number.hasExponent else { return .invalid }
        // A fraction is fine only if it is all zeros ("12.0", "1,200.00").
        guard number.fraction.allSatisfy({ $0 == 0x30 }) else { return .invalid }
        guard !number.integerDigits.isEmpty else { return .invalid }
        let digits = String(decoding: number.integerDigits, as: UTF8.self)
        guard let n = Int64((number.negative ? "-" : "") + digits) else { return .outOfRange }
        return .value(n)
    }

    /// "1234.5", "1,234.5", "-0.5", ".5", "1.5e3" → a finite Double; "abc", "inf", "0x10" → nil.
    static func decimal(_ text: String) -> Double? {
        // Plain digits, sign and point cannot spell inf/nan/hex, so the standard parser is safe.
        if text.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B }),
           let d = Double(text), d.isFinite {
            return d
        }
        guard let number = Grammar(text) else { return nil }
        var cleaned = number.negative ? "-" : ""
        cleaned += String(decoding: number.integerDigits.isEmpty ? [0x30] : number.integerDigits, as: UTF8.self)
        if !number.fraction.isEmpty { cleaned += "." + String(decoding: number.fraction, as: UTF8.self) }
        if number.hasExponent { cleaned += "e" + String(decoding: number.exponent, as: UTF8.self) }
        guard let d = Double(cleaned), d.isFinite else { return nil }
        return d
    }

    /// The accepted number syntax: `[+-] digits-with-optional-thousands-groups [. digits] [e [+-] digits]`,
    /// with at least one digit before or after the point.
    private struct Grammar {
        var negative = false
        var integerDigits: [UInt8] = []
        var fraction: [UInt8] = []
        var hasExponent = false
        /// Exponent digits with their optional sign.
        var exponent: [UInt8] = []

        init?(_ text: String) {
            let bytes = Array(text.utf8)
            var i = 0
            if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D {  // + -
                negative = bytes[i] == 0x2D
                i += 1
            }
            // Integer part; commas must separate groups of exactly three digits after a first
            // group of one to three, so "1,200" is accepted and "12,00" (a typo) is not.
            var groupLength = 0
            var sawComma = false
            while i < bytes.count {
                let b = bytes[i]
                if b >= 0x30 && b <= 0x39 {
                    integerDigits.append(b)
                    groupLength += 1
                } else if b == 0x2C {  // ,
                    guard groupLength >= 1, sawComma ? groupLength == 3 : groupLength <= 3 else { return nil }
                    sawComma = true
                    groupLength = 0
                } else {
                    break
                }
                i += 1
            }
            if sawComma && groupLength != 3 { return nil }
            if i < bytes.count, bytes[i] == 0x2E {  // .
                i += 1
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    fraction.append(bytes[i])
                    i += 1
                }
            }
            guard !integerDigits.isEmpty || !fraction.isEmpty else { return nil }
            if i < bytes.count, bytes[i] == 0x65 || bytes[i] == 0x45 {  // e E
                hasExponent = true
                i += 1
                if i < bytes.count, bytes[i] == 0x2B || bytes[i] == 0x2D {
                    exponent.append(bytes[i])
                    i += 1
                }
                let start = exponent.count
                while i < bytes.count, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                    exponent.append(bytes[i])
                    i += 1
                }
                guard exponent.count > start else { return nil }
            }
            guard i == bytes.count else { return nil }
        }
    }
}
