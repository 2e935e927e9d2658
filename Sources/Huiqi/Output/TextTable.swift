/// A plain-text table that lines up CJK text (two columns per wide character).
public enum TextTable {
    /// A cell holding a line break (a name typed over two lines in Excel) would break the layout:
    /// breaks show as ⏎ and tabs as spaces; the data itself is unchanged elsewhere.
    public static func render(headers: [String], rows: [[String]]) -> String {
        let rows = rows.map { $0.map(oneLine) }
        var widths = headers.map(displayWidth)
        for row in rows { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], displayWidth(cell)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c + String(repeating: " ", count: max(0, widths[i] - displayWidth(c))) }
                .joined(separator: "  ")
        }
        var out = [line(headers), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        out += rows.map(line)
        return out.map { $0.replacingTrailingSpaces() }.joined(separator: "\n")
    }

    static func oneLine(_ cell: String) -> String {
        let flat = cell.contains(where: { $0.isNewline || $0 == "\t" }) ? String(cell.map { $0.isNewline ? "⏎" : $0 == "\t" ? " " : $0 }) : cell
        return TerminalText.visible(flat)
    }

    /// Terminal columns: East Asian wide characters take two.
    public static func displayWidth(_ s: String) -> Int {
        s.unicodeScalars.reduce(0) { w, u in
            let v = u.value
            let wide = (0x1100...0x115F).contains(v) || (0x2E80...0xA4CF).contains(v) || (0xAC00...0xD7A3).contains(v)
                || (0xF900...0xFAFF).contains(v) || (0xFE30...0xFE4F).contains(v) || (0xFF00...0xFF60).contains(v)
                || (0xFFE0...0xFFE6).contains(v)
            return w + (wide ? 2 : 1)
        }
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
