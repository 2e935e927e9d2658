import Foundation

/// A catalog param written as text that reads as a number: `min_ratio: 70%`, `cap: 5万`,
/// `cap: "50,000"`, `rate: "0.5"`. YAML makes these strings, and a rule comparing one with a
/// number fails for every business (`attempt to compare string with number`), so the catalog
/// loader warns and says what to write.
///
/// A quoted whole number (`"5211"`) is not flagged: codes (industry, street) are written so.
///
///     NumericParamText.number(in: "70%")      // "0.7"
///     NumericParamText.number(in: "5万")      // "50000"
///     NumericParamText.number(in: "2022-06-01") // nil
public enum NumericParamText {
    /// The number to write instead of `text`, or nil when `text` does not read as one.
    public static func number(in text: String) -> String? {
        var body = ""
        var widened = false
        for scalar in text.trimmingCharacters(in: .whitespaces).unicodeScalars {
            // Full-width digits and signs (０-９, ．, ，, ％), as a Chinese input method types them.
            if (0xFF10...0xFF19).contains(scalar.value) || [0xFF0E, 0xFF0C, 0xFF05].contains(scalar.value) {
                body.unicodeScalars.append(Unicode.Scalar(scalar.value - 0xFEE0)!)
                widened = true
            } else {
                body.unicodeScalars.append(scalar)
            }
        }
        var factor: Double = 1
        var hasUnit = false
        for (suffix, f) in [("%", 0.01), ("万元", 1e4), ("亿元", 1e8), ("万", 1e4), ("亿", 1e8), ("元", 1)] where body.hasSuffix(suffix) {
            body = String(body.dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
            factor = f
            hasUnit = true
            break
        }
        let grouped = body.contains(",")
        if grouped {
            // Thousands separators only: 1,000 or 12,345.6, never 1,2 (a list).
            let parts = body.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
            let groups = parts[0].split(separator: ",", omittingEmptySubsequences: false)
            guard groups.count > 1, (1...3).contains(groups[0].filter(\.isNumber).count),
                  groups.dropFirst().allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else { return nil }
            body.removeAll { $0 == "," }
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || "+-.".contains($0)) }),
              let value = Double(body), value.isFinite else { return nil }
        // A plain quoted whole number may be a code; anything else marked as a number is one.
        guard hasUnit || grouped || widened || body.contains(".") else { return nil }
        let scaled = value * factor
        // Shortest text that reads back as the same number (0.7, not 0.7000000000000001).
        let rounded = (scaled * 1e12).rounded() / 1e12
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int64(rounded)) }
        return "\(rounded)"
    }
}
