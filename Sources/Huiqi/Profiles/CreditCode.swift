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
    public static func checkCharacter(for first17: some StringProtocol) -> Character? {
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

    /// Why `code` is not a valid credit code, or nil when it is. Messages are for reviewers.
    public static func problem(with code: String) -> String? {
        let chars = Array(code)
        guard chars.count == 18 else { return "统一社会信用代码应为18位, 实为\(chars.count)位" }
        for (i, c) in chars.enumerated() where valueOf[c] == nil {
            return "统一社会信用代码第\(i + 1)位字符'\(c)'不合法(只允许数字和除I、O、Z、S、V外的大写字母)"
        }
        guard let expected = checkCharacter(for: String(chars[0..<17])) else { return "统一社会信用代码无效" }
        if chars[17] != expected { return "统一社会信用代码校验位错误: 应为'\(expected)', 实为'\(chars[17])'" }
        return nil
    }

    public static func isValid(_ code: String) -> Bool { problem(with: code) == nil }
}
