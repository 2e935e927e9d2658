/// Spellings of a street as inputs hold them and reviewers type them: "新安街道", "新安", " 新安 ".
///
/// The log keeps the street as the input gave it. Filtering (`--street`) and grouping (`huiqi
/// lists`) go by `key`, so "新安" and "新安街道" are one street whichever is typed or stored.
/// Nothing else is guessed: other spellings ("xinan", "Xinan", "新安街道办事处") stay streets of
/// their own. Matching pinyin to the Chinese name needs the district's street table, which lives
/// in the rules bundle (`lib/baoan.lua`), not in the log.
public enum StreetName {
    static let suffix = "街道"

    /// What the spellings of one street share: trimmed, without a trailing "街道" ("新安街道" → "新安";
    /// "街道" alone stays). Also the name its list goes under, so the printed name works as `--street`.
    public static func key(_ street: String) -> String {
        var s = TextTrimming.trim(street)
        if s.hasSuffix(suffix), s.count > suffix.count { s.removeLast(suffix.count) }
        return s
    }

    /// The stored spellings a filter on `street` selects: its key and the key with "街道" (the
    /// typed text, trimmed, is always one of them). Exactly the streets `key` groups.
    public static func spellings(_ street: String) -> [String] {
        let k = key(street)
        return k.isEmpty ? [] : [k, k + suffix]
    }
}
