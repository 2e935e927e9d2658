/// Resolves a CSV header or JSON key to a schema field by its name, label or alias.
///
/// Matching ignores what people change by accident when they edit a spreadsheet: spaces and line
/// breaks anywhere (also the full-width U+3000), a trailing colon, a byte-order mark, ASCII case,
/// and full-width forms of ASCII characters (`年营业收入（万元）` matches `年营业收入(万元)`). The schema loader rejects
/// schemas in which two fields share a key under this normalisation, so a header never maps
/// to two fields.
///
///     let lookup = FieldLookup(schema: schema)
///     lookup.fieldIndex(for: " 从业人数 ")   // index of `employees`
public struct FieldLookup: Sendable {
    private var indexByKey: [String: Int] = [:]
    /// Every accepted spelling (names, labels, aliases) as written in the schema, for suggestions.
    public private(set) var spellings: [String] = []

    public init(schema: Schema) {
        for (index, field) in schema.fields.enumerated() {
            for key in [field.name, field.label] + field.aliases where !key.isEmpty {
                spellings.append(key)
                // First claim wins; the loader has already reported any collision.
                if indexByKey[key] == nil { indexByKey[key] = index }
                let normalized = FieldLookup.normalize(key)
                if indexByKey[normalized] == nil { indexByKey[normalized] = index }
            }
        }
    }

    /// The index in `Schema.fields` of the field a header or key names, or nil.
    public func fieldIndex(for header: String) -> Int? {
        // Exact spelling first: the common case needs no normalisation work.
        if let index = indexByKey[header] { return index }
        return indexByKey[FieldLookup.normalize(header)]
    }

    /// For a header that names no field: the money field it means but in another unit, or with no
    /// unit at all where the field's label gives one — `营业收入(元)` or `营业收入` for
    /// `年营业收入(万元)`. Such a header is refused with what to do: read as the field, every value
    /// would be 10,000 times off, and a "did you mean" with the other unit invited exactly that
    /// (data-administrator review: a 税务 export headed 营业收入 is in 元).
    public func unitMismatch(for header: String, in schema: Schema) -> (field: Int, headerUnit: String?, fieldUnit: String)? {
        let (stem, unit) = FieldLookup.stemAndUnit(FieldLookup.normalize(header))
        guard !stem.isEmpty else { return nil }
        for (index, field) in schema.fields.enumerated() {
            guard case let (_, fieldUnit?) = FieldLookup.stemAndUnit(FieldLookup.normalize(field.label)) else { continue }
            let stems = ([field.name, field.label] + field.aliases).map { FieldLookup.stemAndUnit(FieldLookup.normalize($0)).stem }
            // Only where the unit decides the meaning: a header without one is refused for 万元
            // fields (exports count money in 元), accepted as an alias says for 元 fields.
            if stems.contains(stem), unit != fieldUnit, unit != nil || fieldUnit != "元" { return (index, unit, fieldUnit) }
        }
        return nil
    }

    /// For a header that names no field: the ratio field (a decimal within 0–1) it names with a
    /// per-cent unit, `上年度裁员率(%)` for `上年度裁员率`. Refused with what to do: "did you mean
    /// 上年度裁员率" led to renaming the column, and its `0.8` (per cent) was then read as 80%
    /// (data review).
    public func percentUnit(for header: String, in schema: Schema) -> Int? {
        let text = FieldLookup.normalize(header)
        for suffix in ["(%)", "%"] where text.hasSuffix(suffix) && text.count > suffix.count {
            if let index = fieldIndex(for: String(text.dropLast(suffix.count))), schema.fields[index].isRatio { return index }
        }
        return nil
    }

    /// Units of money a header may end in, `(万元)`.
    static let moneyUnits = ["元", "万元", "千元", "亿元"]

    /// `年营业收入(万元)` → (`年营业收入`, `万元`); a text without a money unit → (text, nil).
    /// `text` is normalised (half-width parentheses, no spaces).
    static func stemAndUnit(_ text: String) -> (stem: String, unit: String?) {
        func stem(_ s: Substring) -> String { s.hasPrefix("年") && s.count > 2 ? String(s.dropFirst()) : String(s) }  // 年营业收入 = 营业收入
        guard text.hasSuffix(")"), let open = text.lastIndex(of: "(") else { return (stem(text[...]), nil) }
        let unit = String(text[text.index(after: open)..<text.index(before: text.endIndex)])
        guard moneyUnits.contains(unit) else { return (stem(text[...]), nil) }
        return (stem(text[..<open]), unit)
    }

    /// The canonical comparison form of a header, key or enum spelling.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFEFF, 0x200B...0x200D, 0x2060, 0xAD, 0x180E:
                // A byte-order mark, and the invisible characters pasted text carries (operator
                // review: `从业人数` with a zero-width space was an unknown column).
                continue
            case 0xFF01...0xFF5E:
                // Full-width ASCII variants sit at a fixed offset from ASCII.
                if let ascii = Unicode.Scalar(scalar.value - 0xFEE0) { scalars.append(ascii) }
            case 0x3000, 0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0xA0:
                // Spaces and line breaks anywhere: "年营业收入 (万元)", a header typed over two lines in
                // Excel (Alt+Enter) (robustness review: both were "unknown column").
                continue
            default:
                scalars.append(scalar)
            }
        }
        var text = String(scalars)
        // A trailing colon ("企业名称：", folded to ":" above), as some exports label their columns.
        while text.count > 1, text.hasSuffix(":") { text.removeLast() }
        return text.lowercased()
    }
}
