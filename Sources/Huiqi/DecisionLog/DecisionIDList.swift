import Foundation

/// Decision ids read from a file, for reviewing many decisions at once (`huiqi review --from`):
/// a CSV export cut down in Excel (its 决定编号 column, `="1000000001000"` or the number Excel
/// shows), or a text file of one id per line.
///
///     let ids = try DecisionIDList.read(path: "out/新安-确认.csv")
public enum DecisionIDList {
    /// Column names that hold the id in the tool's own exports (CSV and a JSON key's name).
    static let headers: Set<String> = ["决定编号", "decision_id", "决定编号 id"]

    /// The ids in file order, each once. The id column is the one headed 决定编号 (or
    /// `decision_id`); without such a header, the first column, every record an id. Blank cells are
    /// skipped; anything else that is not an id is an error naming its line (all of them, up to 10).
    public static func read(path: String) throws -> [DecisionID] {
        let reader = try CSVReader(url: URL(fileURLWithPath: path))
        var column = 0, first = true
        var ids: [DecisionID] = [], seen = Set<DecisionID>()
        var problems: [Diagnostic] = []
        while let record = try reader.next() {
            if let problem = record.problem {
                problems.append(Diagnostic(file: path, line: record.line, problem))
                continue
            }
            if first {
                first = false
                if let header = record.cells.firstIndex(where: { headers.contains(TextTrimming.trim($0)) }) {
                    column = header
                    continue
                }
                // A table whose header has no id column (`huiqi run --out`'s decisions, a profile
                // file) gave one "not a decision id" per row, the header's first cell first
                // (usability review): say what the file lacks and where ids come from.
                let first = TextTrimming.trim(record.cells.first ?? "")
                if record.cells.count > 1, DecisionID(text: first) == nil {
                    let shown = record.cells.prefix(6).map(TextTrimming.trim).joined(separator: ",") + (record.cells.count > 6 ? ",…" : "")
                    throw Diagnostic(file: path, line: record.line,
                                     "no 决定编号 column in the header '\(shown)' (表头中没有决定编号列); `huiqi run --out` files have none: "
                                     + "export the decisions with `huiqi log export RUN --out FILE` (or use lists.csv), delete the rows not to review in Excel, "
                                     + "and review from that file, or give one id per line")
                }
            }
            let cell = column < record.cells.count ? TextTrimming.trim(record.cells[column]) : ""
            if cell.isEmpty { continue }
            // (`DecisionID(text:)` takes the leading ' Excel saves with a cell typed as text.)
            guard let id = DecisionID(text: cell) else {
                problems.append(Diagnostic(file: path, line: record.line, "'\(cell)' is not a decision id (不是决定编号)" + scientificHint(cell)))
                continue
            }
            if seen.insert(id).inserted { ids.append(id) }
        }
        if !problems.isEmpty {
            let shown = Array(problems.prefix(10))
            let more = problems.count > 10 ? [Diagnostic(file: path, "… and \(problems.count - 10) more (另有 \(problems.count - 10) 处)")] : []
            throw DiagnosticList(shown + more)
        }
        return ids
    }

    /// A 13-digit id Excel took for a number and showed in scientific notation (`1.00000000100E+12`)
    /// keeps 12 significant digits at most: the id cannot be read back, and the bare "not a
    /// decision id" did not say why.
    static func scientificHint(_ cell: String) -> String {
        guard cell.range(of: #"^[0-9]+(\.[0-9]+)?[Ee]\+?[0-9]+$"#, options: .regularExpression) != nil else { return "" }
        return ": Excel 把编号显示成了科学计数, 末几位已丢失; 请用 huiqi log export 的原文件 (编号列保持文本) "
            + "(Excel turned the id into a number in scientific notation: its last digits are lost)"
    }
}
