/// A path written into a command huiqi suggests ("huiqi log show 1 --db …", "huiqi run --resume 3
/// --db …"), quoted for a POSIX shell where it would be split or expanded: copied as it was, a log
/// under `日志 目录/` gave a command that looked for `日志` (first-day review).
public enum ShellWord {
    /// `word` as it is when a shell reads it back unchanged (letters of any script, digits and
    /// `_-./:=@%+,`), else in single quotes, a `'` inside written `'\''`.
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.unicodeScalars.allSatisfy { scalar in
            scalar.value >= 0x80 ? !scalar.properties.isWhitespace : safe.contains(scalar)
        }
        if plain { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./:=@%+,".unicodeScalars)
}
