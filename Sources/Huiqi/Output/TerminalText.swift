/// Text from the data (names, streets, reasons) made safe to print on a terminal.
///
/// A business name holding `ESC [1A ESC [2K` erased the line above it in `log show`, so a reviewer
/// never saw that decision; `ESC [2J` in a street cleared the screen (reviewer review). Control
/// characters become visible: C0 controls and DEL as their Unicode pictures (␛, ␡), C1 controls
/// and the bidirectional overrides that reorder what follows as `<U+202E>`. Files (CSV, JSON
/// Lines, HTML) keep the data as it is: each format escapes what it must.
public enum TerminalText {
    /// `text` with every control character visible; newlines and tabs kept when `keepLines`.
    public static func visible(_ text: String, keepLines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: { needsEscape($0, keepLines: keepLines) }) else { return text }
        var out = String.UnicodeScalarView()
        for u in text.unicodeScalars {
            guard needsEscape(u, keepLines: keepLines) else { out.append(u); continue }
            switch u.value {
            case 0x00...0x1F: out.append(Unicode.Scalar(0x2400 + u.value) ?? "\u{FFFD}")  // (always a scalar: U+2400…U+241F)
            case 0x7F: out.append("\u{2421}")
            default: out.append(contentsOf: "<U+\(String(u.value, radix: 16, uppercase: true))>".unicodeScalars)
            }
        }
        return String(out)
    }

    static func needsEscape(_ u: Unicode.Scalar, keepLines: Bool) -> Bool {
        switch u.value {
        case 0x0A, 0x09: return !keepLines
        case 0x00...0x1F, 0x7F, 0x80...0x9F: return true
        case 0x061C, 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069: return true  // bidi marks, embeddings, overrides, isolates
        default: return false
        }
    }
}
