/// Spellings of a street as inputs hold them and reviewers type them: "新安街道", "新安", " 新安 ",
/// "深圳市宝安区新安街道", "新安街道办事处", "新安办", "宝安区 新安 街道", "xinan".
///
/// The log keeps the street as the input gave it. Filtering (`--street`, through the SQL function
/// `huiqi_street_key`) and grouping (`huiqi lists`) go by `key`, so all those are one street
/// whichever is typed or stored. The spellings are the ones the shipped rules accept
/// (`lib/baoan.lua` `street_of`): spaces anywhere removed, the pinyin of one of Bao'an's ten streets
/// in any case, or a leading 深圳市 and/or 宝安区, the full or short name, a trailing 办事处 or 办. A
/// business the rules place in 新安 is listed under 新安 (street-cadre review: "xinan" was judged
/// 新安 by the rules but listed on a page of its own, which `--street 新安` left out).
public enum StreetName {
    static let suffix = "街道"
    /// The page and `--street` value of businesses without a street. In brackets, so that no
    /// spelling of a real street has it as its key ("未填街道" would be the street 未填; review).
    public static let unfilled = "(未填街道)"
    static let prefixes = ["深圳市", "宝安区"]
    static let officeSuffixes = ["办事处", "办"]

    /// Bao'an's ten streets (domain.md §4.1), in the district's own order: the same table as
    /// `M.STREETS` in the shipped `lib/baoan.lua` (a test keeps the two identical).
    public static let baoan: [(name: String, short: String, pinyin: String)] = [
        ("新安街道", "新安", "xinan"), ("西乡街道", "西乡", "xixiang"), ("航城街道", "航城", "hangcheng"),
        ("福永街道", "福永", "fuyong"), ("福海街道", "福海", "fuhai"), ("沙井街道", "沙井", "shajing"),
        ("新桥街道", "新桥", "xinqiao"), ("松岗街道", "松岗", "songgang"), ("燕罗街道", "燕罗", "yanluo"),
        ("石岩街道", "石岩", "shiyan"),
    ]

    /// What the spellings of one street share: without any space, a leading 深圳市/宝安区, a trailing
    /// 办事处/办 and then "街道" ("深圳市宝安区新安街道办事处" → "新安"); a Bao'an street's pinyin gives
    /// its short name ("XinAn" → "新安"). A part is removed only when something is left ("街道" and
    /// "宝安区" alone stay). Also the name its list goes under, so the printed name works as `--street`.
    public static func key(_ street: String) -> String {
        var s = String(street.unicodeScalars.filter { !$0.properties.isWhitespace })
        // Lowered once, not for each of the ten streets compared: `log show --street` works out
        // the key of each of the log's texts (29k at 1M businesses: 0.8 s, most of such a query).
        let lowered = s.lowercased()
        if let known = baoan.first(where: { $0.pinyin == lowered }) { return known.short }
        for prefix in prefixes where s.hasPrefix(prefix) && s.count > prefix.count { s = String(s.dropFirst(prefix.count)) }
        for office in officeSuffixes where s.hasSuffix(office) && s.count > office.count {
            s = String(s.dropLast(office.count))
            break
        }
        if s.hasSuffix(suffix), s.count > suffix.count { s = String(s.dropLast(suffix.count)) }
        return s
    }

    /// Whether `key` (from `key(_:)`) is one of Bao'an's ten streets.
    public static func isBaoan(key: String) -> Bool { baoan.contains { $0.short == key } }

    /// The order lists and street lists go in: Bao'an's streets in the district's order, then any
    /// other spelling by its text, then businesses without a street.
    public static func ordered(_ key: String, before other: String) -> Bool {
        func rank(_ k: String) -> Int { k == unfilled ? Int.max : baoan.firstIndex { $0.short == k } ?? baoan.count }
        let (a, b) = (rank(key), rank(other))
        return a != b ? a < b : key < other
    }

    /// The heading of a street's list: the full name of a Bao'an street ("新安街道"), else the key.
    public static func heading(key: String) -> String { baoan.first { $0.short == key }?.name ?? key }
}
