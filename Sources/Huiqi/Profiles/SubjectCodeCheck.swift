/// Whether a business's subject type agrees with its 统一社会信用代码.
///
/// The code's first two characters are the registering authority and the kind of entity (GB
/// 32100-2015, domain.md §4.2): 91 an enterprise registered by 工商/市场监管, 92 a 个体工商户. A
/// row saying 企业 with a 92 code (or 个体工商户 with a 91 code) contradicts itself, and every
/// service limited to one of the two would be decided on the wrong one (domain review: a 个体工商户
/// labelled 企业 got an enterprise-only loan subsidy). Such a row is rejected. Other prefixes (93
/// cooperatives, 5x social organisations…) are not checked, and neither is a schema without a
/// `subject_type` value for 个体工商户.
///
/// The same prefix fills a 主体类型 left empty (`fillSubject`, called by `ProfileStream` before
/// required fields are checked): 91 is 企业, 92 个体工商户.
struct SubjectCodeCheck: Sendable {
    let subjectIndex: Int
    /// The canonical values that mean 个体工商户 and 企业 (nil if the schema has none), and how
    /// each value is shown.
    private let individual: String
    private let enterprise: String?
    private let labels: [String: String]

    init?(schema: Schema) {
        guard let index = schema.index(of: Schema.subjectTypeField), schema.index(of: Schema.creditCodeField) != nil else { return nil }
        let field = schema.fields[index]
        guard let value = field.values.first(where: {
            $0.value == "individual" || $0.label == "个体工商户" || $0.aliases.contains("个体工商户")
        }) else { return nil }
        subjectIndex = index
        individual = value.value
        enterprise = field.values.first(where: { $0.value == "enterprise" || $0.label == "企业" })?.value
        labels = Dictionary(field.values.map { ($0.value, $0.displayName) }, uniquingKeysWith: { a, _ in a })
    }

    /// Why `code` and the row's subject type disagree, or nil.
    /// Runs for every row: the code's two bytes first, the subject only for 91/92 codes, and the
    /// label only for a row that fails.
    func problem(code: String, values: [FieldValue?]) -> String? {
        var kind: UInt8 = 0
        var utf8 = code.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "9"), let second = utf8.next() else { return nil }
        kind = second
        guard kind == UInt8(ascii: "1") || kind == UInt8(ascii: "2") else { return nil }
        guard case .string(let subject)? = values[subjectIndex] else { return nil }
        let isIndividual = subject == individual
        if kind == UInt8(ascii: "2"), !isIndividual {
            return "主体类型与统一社会信用代码不符: 代码以92开头, 是个体工商户, 本行主体类型为\(labels[subject] ?? subject) (subject type disagrees with the credit code)"
        }
        if kind == UInt8(ascii: "1"), isIndividual {
            return "主体类型与统一社会信用代码不符: 代码以91开头, 是企业, 本行主体类型为\(labels[subject] ?? subject) (subject type disagrees with the credit code)"
        }
        return nil
    }

    /// The subject type a 91 (企业) or 92 (个体工商户) code implies, for a row whose 主体类型 is
    /// empty: the code decides it anyway, and a row rejected for it lost every service (data-
    /// administrator review). Nil for other prefixes, which imply none of the schema's types.
    func subjectImplied(by code: String) -> FieldValue? {
        var utf8 = code.utf8.makeIterator()
        guard utf8.next() == UInt8(ascii: "9") else { return nil }
        switch utf8.next() {
        case UInt8(ascii: "1"): return enterprise.map { .string($0) }
        case UInt8(ascii: "2"): return .string(individual)
        default: return nil
        }
    }

    /// Fills an empty subject type in `values` from `code` (see `subjectImplied(by:)`).
    func fillSubject(_ values: inout [FieldValue?], code: String) {
        if values[subjectIndex] == nil { values[subjectIndex] = subjectImplied(by: code) }
    }
}
