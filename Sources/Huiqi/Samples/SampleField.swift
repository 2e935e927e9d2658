/// How the sample generator fills one schema field: which fact of the firm it shows (for the
/// core fields and the bundle's known optional ones) and how that fact is spelled for the field's
/// declared type.
///
/// A class so the per-cell loop shares it instead of copying its tables.
final class SampleField: Sendable {
    /// The core fields (PRODUCT.md §3) the generator knows how to make realistic.
    enum Role: String, CaseIterable {
        case creditCode = "credit_code", name, subjectType = "subject_type", industryCode = "industry_code", street
        case establishedOn = "established_on", employees, revenue, totalAssets = "total_assets"
        case taxCreditRating = "tax_credit_rating", insuredEmployees = "insured_employees", highTech = "high_tech"
        case specialized, hasPartyOrg = "has_party_org", stateOwnedPremises = "state_owned_premises"
        case monthlyRent = "monthly_rent", hasBankLoan = "has_bank_loan", rdExpense = "rd_expense"
        case newHires12m = "new_hires_12m", unemploymentInsurancePaid = "unemployment_insurance_paid"
        case aboveScale = "above_scale", dishonest, abnormalOperation = "abnormal_operation", tags
    }

    /// A fact before it is spelled. `ratio` is a decimal share, written with up to 4 decimals.
    enum Value {
        case int(Int), dec(Double), ratio(Double), bool(Bool), date(ISODate), text(String), key(String), list([String])
    }

    let name: String
    let type: FieldType
    /// Never left empty in a valid row (schema-required, or one of the identity fields).
    let required: Bool
    let role: Role?
    /// One of the bundle's optional fields the generator knows (when `role` is nil).
    let extra: SampleExtras.Field?
    /// Chance that the cell is left empty in a valid row when the fact exists: the optional
    /// fields of the shipped bundle are less often filled in than the core ones.
    let emptyShare: Double
    /// Enum fields: every accepted spelling of each allowed value, preferred (label) first.
    let choices: [[String]]
    /// Enum fields: a semantic key (canonical value, label, alias, or a street without 街道) → its choice.
    let choiceByKey: [String: Int]
    /// Enum fields: every accepted spelling, lowercased, to make sure a bad value really is bad.
    let accepted: Set<String>
    /// `"name":` as UTF-8, for JSON Lines.
    let jsonKey: [UInt8]

    /// Chance that an optional core (or unknown) field's cell is empty.
    static let coreEmptyShare = 0.08
    /// Chance that a known optional field's cell is empty although the fact exists.
    static let extraEmptyShare = 0.12

    /// Chinese spellings of the subject types, for schemas whose enum values are Chinese.
    private static let synonyms: [String: [String]] = [
        "enterprise": ["企业"], "individual": ["个体工商户", "个体户"], "market": ["专业市场", "市场"],
    ]

    init(_ field: SchemaField) {
        name = field.name
        type = field.type
        role = Role(rawValue: field.name)
        extra = role == nil ? SampleExtras.Field(rawValue: field.name) : nil
        required = field.required || role == .creditCode || role == .name || role == .subjectType
        emptyShare = required ? 0 : (extra == nil ? SampleField.coreEmptyShare : SampleField.extraEmptyShare)
        var choices: [[String]] = []
        var byKey: [String: Int] = [:]
        var accepted: Set<String> = []
        for value in field.values {
            var spellings = [value.displayName]
            for s in [value.value] + value.aliases where !spellings.contains(s) { spellings.append(s) }
            for s in spellings {
                accepted.insert(s.lowercased())
                if byKey[s] == nil { byKey[s] = choices.count }
                if s.hasSuffix("街道") {
                    let bare = String(s.dropLast(2))
                    if byKey[bare] == nil { byKey[bare] = choices.count }
                }
            }
            choices.append(spellings)
        }
        for (key, names) in SampleField.synonyms where byKey[key] == nil {
            if let match = names.lazy.compactMap({ byKey[$0] }).first { byKey[key] = match }
        }
        self.choices = choices
        self.choiceByKey = byKey
        self.accepted = accepted
        jsonKey = Array("\"\(field.name)\":".utf8)
    }

    // MARK: - Spelling

    /// The cell text for `value` as this field's type expects it.
    func render(_ value: Value, _ rng: inout SplitMix64) -> String {
        switch (type, value) {
        case (.boolean, .bool(let b)): return SampleField.spell(b, &rng)
        case (.date, .date(let d)): return SampleField.spell(d, &rng)
        case (.enum, .key(let key)), (.enum, .text(let key)):
            if let choice = choiceByKey[key] { return pick(choices[choice], &rng) }
            return genericEnum(&rng)
        case (.enum, _): return genericEnum(&rng)
        case (.integer, .dec(let d)), (.integer, .ratio(let d)): return String(Int(d.rounded()))
        case (.decimal, .ratio(let r)): return SampleField.decimalText(r, places: 4)
        case (.integer, .bool(let b)), (.decimal, .bool(let b)): return b ? "1" : "0"
        case (.list, .list(let items)): return items.joined(separator: ";")
        default: return SampleField.plainText(value)
        }
    }

    /// Whether `value` can be spelled as this field's type without making the row invalid
    /// (a schema may declare a known name with another type).
    func fits(_ value: Value) -> Bool {
        switch (type, value) {
        case (.string, _), (.list, _), (.enum, _): return true
        case (.boolean, .bool), (.date, .date): return true
        case (.integer, .int), (.integer, .dec), (.integer, .ratio), (.integer, .bool): return true
        case (.decimal, .int), (.decimal, .dec), (.decimal, .ratio), (.decimal, .bool): return true
        default: return false
        }
    }

    /// A value for a field the generator knows nothing about, by type.
    func generic(_ rng: inout SplitMix64) -> String {
        switch type {
        case .string: return "样例" + String(rng.nextInt(in: 1000...9999))
        case .integer: return String(rng.nextInt(in: 0...100))
        case .decimal: return SampleField.decimalText(Double(rng.nextInt(in: 0...1_000_000)) / 100)
        case .boolean: return SampleField.spell(rng.chance(0.3), &rng)
        case .date: return SampleField.spell(ISODate(clampingDayNumber: rng.nextInt(in: 10_957...20_269)), &rng)
        case .enum: return genericEnum(&rng)
        case .list:
            let items = ["甲类", "乙类", "丙类", "丁类"]
            let count = rng.nextInt(in: required ? 1...2 : 0...2)
            return (0..<count).map { _ in items[rng.nextInt(below: items.count)] }.joined(separator: ";")
        }
    }

    /// Mostly the label, sometimes the canonical value or an alias: ingestion must accept them all.
    private func pick(_ spellings: [String], _ rng: inout SplitMix64) -> String {
        guard spellings.count > 1, !rng.chance(0.85) else { return spellings[0] }
        return spellings[1 + rng.nextInt(below: spellings.count - 1)]
    }

    private func genericEnum(_ rng: inout SplitMix64) -> String {
        guard !choices.isEmpty else { return "" }
        return pick(choices[rng.nextInt(below: choices.count)], &rng)
    }

    /// 是/否 mostly, some true/false and 1/0, as exports from different systems spell them.
    static func spell(_ value: Bool, _ rng: inout SplitMix64) -> String {
        let roll = rng.nextUnit()
        if roll < 0.80 { return value ? "是" : "否" }
        if roll < 0.92 { return value ? "true" : "false" }
        return value ? "1" : "0"
    }

    /// ISO mostly, some `2019/3/7`, some `2018年5月1日`.
    static func spell(_ date: ISODate, _ rng: inout SplitMix64) -> String {
        let roll = rng.nextUnit()
        if roll < 0.85 { return date.description }
        if roll < 0.95 { return "\(date.year)/\(date.month)/\(date.day)" }
        return "\(date.year)年\(date.month)月\(date.day)日"
    }

    static func plainText(_ value: Value) -> String {
        switch value {
        case .int(let i): return String(i)
        case .dec(let d): return decimalText(d)
        case .ratio(let r): return decimalText(r, places: 4)
        case .bool(let b): return b ? "是" : "否"
        case .date(let d): return d.description
        case .text(let s), .key(let s): return s
        case .list(let items): return items.joined(separator: ";")
        }
    }

    /// At most `places` (default two) decimals, no trailing zeros, no exponent: `356.7`, `12800`, `0.05`.
    static func decimalText(_ value: Double, places: Int = 2) -> String {
        var scale: Int64 = 1
        for _ in 0..<places { scale *= 10 }
        let cents = Int64((value * Double(scale)).rounded())
        let whole = cents.magnitude / UInt64(scale)
        var fraction = Int(cents.magnitude % UInt64(scale))
        var fractionDigits = fraction == 0 ? 0 : places
        while fractionDigits > 0 && fraction % 10 == 0 { fraction /= 10; fractionDigits -= 1 }
        var wholeDigits = 1
        var rest = whole
        while rest >= 10 { rest /= 10; wholeDigits += 1 }
        let length = (cents < 0 ? 1 : 0) + wholeDigits + (fractionDigits > 0 ? 1 + fractionDigits : 0)
        // Filled from the end; short results stay small strings (no allocation).
        return String(unsafeUninitializedCapacity: length) { buffer in
            var i = length - 1
            for _ in 0..<fractionDigits {
                buffer[i] = UInt8(ascii: "0") + UInt8(fraction % 10)
                fraction /= 10
                i -= 1
            }
            if fractionDigits > 0 { buffer[i] = UInt8(ascii: "."); i -= 1 }
            var number = whole
            for _ in 0..<wholeDigits {
                buffer[i] = UInt8(ascii: "0") + UInt8(number % 10)
                number /= 10
                i -= 1
            }
            if cents < 0 { buffer[0] = UInt8(ascii: "-") }
            return length
        }
    }
}
