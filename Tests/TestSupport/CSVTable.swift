import Foundation

/// A small RFC 4180 reader for checking the CSV files huiqi writes (quoted cells, doubled quotes,
/// CRLF, an optional UTF-8 byte-order mark). Cells read as a spreadsheet shows them: `="…"` (how
/// long digit codes are kept as text, see `CSVWriter.Cell.identifier`) reads as the text inside.
public struct CSVTable: Equatable {
    public var header: [String]
    public var rows: [[String]]

    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    public init(contentsOf path: String) throws {
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { data.removeFirst(3) }
        self.init(text: String(decoding: data, as: UTF8.self))
    }

    public init(text: String) {
        var records: [[String]] = []
        var record: [String] = [], cell = ""
        var quoted = false, afterQuote = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { cell.unicodeScalars.append(c); chars.removeFirst() } else { quoted = false; afterQuote = true }
                } else {
                    cell.unicodeScalars.append(c)
                }
                continue
            }
            switch c {
            case "\"" where cell.isEmpty && !afterQuote: quoted = true
            case ",": record.append(cell); cell = ""; afterQuote = false
            case "\r" where chars.first == "\n": break
            case "\n": record.append(cell); records.append(record); record = []; cell = ""; afterQuote = false
            default: cell.unicodeScalars.append(c)
            }
        }
        if !cell.isEmpty || !record.isEmpty { record.append(cell); records.append(record) }
        records = records.map { $0.map(CSVTable.shown) }
        header = records.first ?? []
        rows = Array(records.dropFirst())
    }

    /// `="123"` → `123`, as Excel shows it.
    static func shown(_ cell: String) -> String {
        guard cell.hasPrefix("=\""), cell.hasSuffix("\""), cell.count >= 3 else { return cell }
        return String(cell.dropFirst(2).dropLast())
    }

    /// The same table without the named columns.
    public func dropping(_ columns: Set<String>) -> CSVTable {
        let keep = header.indices.filter { !columns.contains(header[$0]) }
        return CSVTable(header: keep.map { header[$0] }, rows: rows.map { row in keep.map { $0 < row.count ? row[$0] : "" } })
    }

    /// The cells of column `name`.
    public func column(_ name: String) -> [String] {
        guard let i = header.firstIndex(of: name) else { return [] }
        return rows.map { i < $0.count ? $0[i] : "" }
    }
}
