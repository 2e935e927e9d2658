import Foundation
/// RFC 4180 CSV text for exports that Excel opens correctly.
///
/// Cells with commas, quotes or line breaks are quoted; a text cell starting with `=`, `+`, `-` or
/// `@` gets a leading `'` so Excel does not run it as a formula (numbers we format ourselves, such
/// as `-12.50`, are passed through `row(_:numericColumns:)` untouched).
public enum CSVText {
    /// UTF-8 byte order mark: Excel needs it to read UTF-8 (otherwise Chinese shows as mojibake).
    public static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    public static func row(_ cells: [String], numericColumns: Set<Int> = []) -> String {
        var line = ""
        for (i, cell) in cells.enumerated() {
            if i > 0 { line += "," }
            line += escape(cell, numeric: numericColumns.contains(i))
        }
        return line + "\r\n"
    }

    public static func escape(_ cell: String, numeric: Bool = false) -> String {
        var text = cell
        if !numeric, let first = text.unicodeScalars.first, "=+-@".unicodeScalars.contains(first) {
            text = "'" + text
        }
        if text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
            return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
        return text
    }
}
