/// CSV lines for exports written through `BufferedOutput`, encoded by `CSVWriter` (one quoting and
/// formula-defusing rule for every CSV the tool writes).
public enum CSVText {
    /// UTF-8 byte order mark: Excel needs it to read UTF-8 (otherwise Chinese shows as mojibake).
    public static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// One CRLF-terminated row; cells in `numericColumns` are numbers we formatted and are written
    /// as they are, cells in `identifierColumns` are codes kept as text (see `CSVWriter.Cell.identifier`),
    /// the others are text and defused if Excel could read them as a formula.
    public static func row(_ cells: [String], numericColumns: Set<Int> = [], identifierColumns: Set<Int> = []) -> String {
        CSVWriter.encode(cells.enumerated().map { i, cell in
            numericColumns.contains(i) ? .literal(cell) : identifierColumns.contains(i) ? .identifier(cell) : .text(cell)
        }) + "\r\n"
    }
}
