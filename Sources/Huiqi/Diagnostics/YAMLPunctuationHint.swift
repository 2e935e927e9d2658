/// A plain-words hint for a YAML syntax error that punctuation typed with a Chinese input method
/// caused: a full-width colon after a key (`cap：100000`), a dash typed as `–`, `—` or `－` before
/// a list item. libyaml names neither ("could not find expected ':'", two lines further down;
/// analyst review), and the line it gives is not always the one to fix.
enum YAMLPunctuationHint {
    /// The hint for the first of `lines` (1-based, as libyaml counts them) holding such punctuation
    /// outside quotes and comments; nil when none does.
    static func hint(in text: String, lines: [Int]) -> String? {
        let all = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for n in lines where n >= 1 && n <= all.count {
            let code = unquoted(all[n - 1])
            // After a key (ASCII, as every key of the bundle is), not in a description's text.
            if let colon = code.range(of: "：") {
                var key = code[..<colon.lowerBound].trimmingCharacters(in: .whitespaces)
                if key.hasPrefix("- ") { key = key.dropFirst(2).trimmingCharacters(in: .whitespaces) }
                guard !key.isEmpty, key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) else { continue }
                return "(提示: 第\(n)行有全角冒号 '：': 键后须用半角冒号加空格 ': ', 切换到英文输入法; a full-width colon on line \(n): write ': ')"
            }
            if let first = code.trimmingCharacters(in: .whitespaces).first, ["–", "—", "－"].contains(first) {
                return "(提示: 第\(n)行的列表项以 '\(first)' 开头: 须为半角 '-'; line \(n) starts a list item with '\(first)': write '-')"
            }
        }
        return nil
    }

    /// The lines to look at for libyaml's error: its context's (where the key or item began), the
    /// problem's and the one before it.
    static func lines(context: Int?, problem: Int) -> [Int] {
        var out: [Int] = []
        for n in [context, problem - 1, problem].compactMap({ $0 }) where !out.contains(n) { out.append(n) }
        return out
    }

    /// `line` without its quoted texts and its comment: there a full-width colon is data.
    private static func unquoted(_ line: Substring) -> String {
        var out = ""
        var quote: Character?
        var previous: Character = " "
        for c in line {
            if let q = quote {
                if c == q { quote = nil }
            } else if c == "\"" || c == "'" {
                quote = c
            } else if c == "#" && previous.isWhitespace {
                break
            } else {
                out.append(c)
            }
            previous = c
        }
        return out
    }
}
