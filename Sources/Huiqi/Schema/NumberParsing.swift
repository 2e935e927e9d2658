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
