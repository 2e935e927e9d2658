/// Spellings of a street as inputs hold them and reviewers type them: "新安街道", "新安", " 新安 ",
/// "深圳市宝安区新安街道", "新安街道办事处", "新安办".
///
/// The log keeps the street as the input gave it. Filtering (`--street`, through the SQL function
/// `huiqi_street_key`) and grouping (`huiqi lists`) go by `key`, so all those are one street
/// whichever is typed or stored. The spellings are
/// the ones the shipped rules accept (`lib/baoan.lua` `street_of`): a leading 深圳市 and/or 宝安区,
/// the full or short name, a trailing 办事处 or 办. A business the rules place in 新安 is listed
/// under 新安 (before, "新安街道办事处" was judged 新安 by the rules and listed as a street of its
/// own). Nothing else is guessed: "沙井镇" and pinyin ("xinan") stay streets of their own, since
/// matching pinyin to the Chinese name needs the district's street table, which lives in the rules
/// bundle, not in the log.
public enum StreetName {
    static let suffix = "街道"
    /// The page and `--street` value of businesses without a street. In brackets, so that no
    /// spelling of a real street has it as its key ("未填街道" would be the street 未填; review).
    public static let unfilled = "(未填街道)"
    static let prefixes = ["深圳市", "宝安区"]
    static let officeSuffixes = ["办事处", "办"]

    /// What the spellings of one street share: trimmed, without a leading 深圳市/宝安区, a trailing
    /// 办事处/办 and then "街道" ("深圳市宝安区新安街道办事处" → "新安"). A part is removed only when
    /// something is left ("街道" and "宝安区" alone stay). Also the name its list goes under, so the
    /// printed name works as `--street`.
    public static func key(_ street: String) -> String {
        // Trimmed again after each part comes off, as `street_of` does ("深圳市 宝安区 新安街道 办事处").
        var s = TextTrimming.trim(street)
        for prefix in prefixes where s.hasPrefix(prefix) && s.count > prefix.count { s = TextTrimming.trim(String(s.dropFirst(prefix.count))) }
        for office in officeSuffixes where s.hasSuffix(office) && s.count > office.count {
            s = TextTrimming.trim(String(s.dropLast(office.count)))
            break
        }
        if s.hasSuffix(suffix), s.count > suffix.count { s = TextTrimming.trim(String(s.dropLast(suffix.count))) }
        return s.isEmpty ? TextTrimming.trim(street) : s
    }
}
