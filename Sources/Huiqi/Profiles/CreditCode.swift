/// 统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol charset, the last a check digit.
public enum CreditCode {
    /// The 31 symbols, each worth its index (no I, O, Z, S, V).
    public static let charset: [Character] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
    /// W_i = 3^(i-1) mod 31.
    public static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]

    private static let valueOf: [Character: Int] = {
        var map: [Character: Int] = [:]
        for (i, c) in charset.enumerated() { map[c] = i }
        return map
    }()

    /// The check character for the first 17 characters, or nil if they are not 17 valid symbols.
    public static func checkCharacter(for first17: some Collection<Character>) -> Character? {
        let chars = Array(first17)
        guard chars.count == 17 else { return nil }
        var sum = 0
        for (i, c) in chars.enumerated() {
            guard let v = valueOf[c] else { return nil }
            sum += v * weights[i]
        }
        let check = (31 - sum % 31) % 31
        return charset[check]
    }

    /// Why `code` is not a valid credit code, or nil when it is. Messages are for the data
    /// administrator who fixes the row: they name the likely cause (an old registration number, a
    /// code Excel turned into a number) but never the check character that would make a wrong code
    /// pass (data-administrator review: "应为'L'" invited changing the last character of a
    /// mistyped or truncated code until it validated).
    public static func problem(with code: String) -> String? {
        let chars = Array(code)
        guard chars.count == 18 else {
            if chars.count == 15 && chars.allSatisfy(\.isASCIIDigitCharacter) {
                return "这是15位的旧工商注册号, 不是统一社会信用代码: 请填18位统一社会信用代码 (a 15-digit registration number, not a credit code)"
            }
            if code.range(of: #"^[0-9]\.[0-9]+E\+?[0-9]+$"#, options: [.regularExpression, .caseInsensitive]) != nil {
                return "代码被 Excel 转成了数字 (\(code)), 后几位已丢失: 请把该列设为“文本”后从原系统重新导出 (Excel turned the code into a number)"
            }
            return "统一社会信用代码应为18位, 实为\(chars.count)位"
        }
        for (i, c) in chars.enumerated() where valueOf[c] == nil {
            return "统一社会信用代码第\(i + 1)位字符'\(c)'不合法(只允许数字和除I、O、Z、S、V外的大写字母)"
        }
        guard let expected = checkCharacter(for: String(chars[0..<17])) else { return "统一社会信用代码无效" }
        if chars[17] != expected {
            let truncated = chars.suffix(3).allSatisfy { $0 == "0" } && chars.allSatisfy(\.isASCIIDigitCharacter)
            return "统一社会信用代码校验位错误, 代码有误: 请按营业执照核对" + (truncated
                ? " (末尾是 000 的纯数字代码多半被 Excel 当成数字截断了, 请把该列设为“文本”后重新导出)" : " (可能录入有误)")
        }
        return nil
    }

    /// `bytes` (upper-case) without what spreadsheets and hand entry put around a code, when what
    /// is left is a valid code: a leading `'` (Excel's text mark), the `="…"` huiqi's own exports
    /// write, spaces, hyphens. Nil otherwise: nothing is guessed beyond what the check digit confirms.
    public static func tidied(_ bytes: [UInt8]) -> String? {
        var b = bytes[...]
        if b.first == UInt8(ascii: "'") { b = b.dropFirst() }
        if b.starts(with: [UInt8(ascii: "="), UInt8(ascii: "\"")]) && b.last == UInt8(ascii: "\"") && b.count > 3 {
            b = b.dropFirst(2).dropLast()
        }
        let kept = b.filter { $0 != 0x20 && $0 != UInt8(ascii: "-") && $0 != 0x09 }
        guard kept.count == 18, kept.count != bytes.count else { return nil }
        return kept.withUnsafeBufferPointer { isValid(utf8: $0) } ? String(decoding: kept, as: UTF8.self) : nil
    }

    public static func isValid(_ code: String) -> Bool { problem(with: code) == nil }

    /// A code a user typed or pasted (`explain CODE`, `--firm CODE`), read as an input cell holding
    /// it is: full-width forms folded (the reader's `CellCoercer.foldingFullWidth`), upper case,
    /// and what `tidied` takes away when a valid code is left; else the text trimmed, upper case,
    /// for the "not found" message (usability review: a code copied as "9144 0306 …" was "not in run 1").
    public static func fromArgument(_ text: String) -> String {
        var bytes = Array(text.utf8)
        if let folded = bytes.withUnsafeBufferPointer(CellCoercer.foldingFullWidth) { bytes = folded }
        let code = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces).uppercased()
        return tidied(Array(code.utf8)) ?? code
    }
}

private extension Character {
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
}
