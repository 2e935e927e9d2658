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

    /// The canonical comparison form of a header, key or enum spelling.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.value {
            case 0xFEFF:
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
