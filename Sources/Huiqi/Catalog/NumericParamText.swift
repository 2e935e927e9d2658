import Foundation

/// A catalog param written as a number with its unit: `min_ratio: 70%`, `cap: 5万`, `rent: ￥5000`,
/// `min_employees: 100人`. YAML makes these text, and a rule that compares one with a number or
/// computes with it fails for every business (`attempt to compare string with number`), so the
/// catalog loader warns and says what to write.
///
/// Only text with a unit (or ￥) is read as a number: a bare quoted number may be a code
/// (`"5211"`, `"440306"`), a list of codes (`"651,652"`) or a version (`"2024.06"`).
///
///     NumericParamText.number(in: "70%")         // "0.7"
///     NumericParamText.number(in: "1.12万")      // "11200"
///     NumericParamText.number(in: "2022-06-01")  // nil
public enum NumericParamText {
    /// Units an analyst writes after a number, with what they multiply it by (as decimal text:
    /// `Decimal` keeps 1.12 × 10000 exactly 11200). Longer spellings first.
    private static let units: [(suffix: String, factor: String)] = [
        ("%", "0.01"), ("万元", "10000"), ("亿元", "100000000"), ("千元", "1000"), ("万", "10000"), ("亿", "100000000"),
        ("千", "1000"), ("元", "1"), ("人", "1"), ("个月", "1"), ("月", "1"), ("年", "1"), ("天", "1"), ("日", "1"),
        ("户", "1"), ("家", "1"), ("次", "1"),
    ]

    /// The number to write instead of `text`, or nil when `text` is not a number with a unit.
    public static func number(in text: String) -> String? {
        var body = ""
        for scalar in text.trimmingCharacters(in: .whitespaces).unicodeScalars {
            // Full-width digits, signs and marks (０-９ ． ， ％ － ＋), as a Chinese input method types them.
            if (0xFF10...0xFF19).contains(scalar.value) || [0xFF0E, 0xFF0C, 0xFF05, 0xFF0D, 0xFF0B].contains(scalar.value),
               let ascii = Unicode.Scalar(scalar.value - 0xFEE0) {
                body.unicodeScalars.append(ascii)
            } else {
                body.unicodeScalars.append(scalar)
            }
        }
        var marked = false
        for currency in ["￥", "¥"] where body.hasPrefix(currency) {
            body = String(body.dropFirst()).trimmingCharacters(in: .whitespaces)
            marked = true
        }
        var factor = "1"
        for unit in units where body.hasSuffix(unit.suffix) {
            body = String(body.dropLast(unit.suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = unit.factor
            marked = true
            break
        }
        guard marked else { return nil }
        if body.contains(",") {
            // Thousands separators only: 1,200,000 or 12,345.6.
            let whole = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
            let groups = whole.drop { $0 == "-" || $0 == "+" }.split(separator: ",", omittingEmptySubsequences: false)
            guard groups.count > 1, (1...3).contains(groups[0].count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 }) else { return nil }
            body.removeAll { $0 == "," }
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.".contains($0)) }),
              body.contains(where: \.isNumber), body.filter({ $0 == "." }).count <= 1,
              let value = Decimal(string: body), let scale = Decimal(string: factor) else { return nil }
        return "\(value * scale)"
    }
}
