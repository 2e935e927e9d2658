#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The byte-level core of `FieldCoercer`: one cell's UTF-8 bytes to a field value.
///
/// This is the hot path of CSV ingestion (25 million cells for a million rows), so it:
/// - never makes a `String` for a number, flag, date or enum cell — `String` operations on
///   Chinese text go through Unicode normalisation and cost more than the whole parse;
/// - reports failure through an `inout` value instead of throwing or returning a `Result` that
///   carries three strings;
/// - keeps enum spellings in flat arrays, so matching one retains nothing;
/// - is a class that `ProfileStream` calls through `Unmanaged`, so a cell costs no reference count.
///
/// The accepted spellings are documented on `FieldCoercer`.
final class CellCoercer: Sendable {
    let field: SchemaField
    private let type: FieldType
    private let isCreditCode: Bool
    /// A string field named `…_code` (credit_code, industry_code): a code, not free text. By the
    /// name, as `credit_code` is, so an analyst's new `…_code` field is read the same way.
    private let isCode: Bool
    /// The field has a `min` or `max` (checked only then: the hot path pays one branch), and
    /// the bounds as plain numbers (±infinity where none).
    private let hasBounds: Bool
    private let low: Double, high: Double
    /// A decimal field within 0–1 (layoff_rate, high_tech_income_ratio): a ratio, which the
    /// schema writes as a decimal, though exports often write a percentage.
    private let isRatio: Bool
    /// Every accepted enum spelling, as written and normalised → canonical value (slow path).
    private let enumCanonical: [String: String]
    /// The spellings as written, back to back, with `(start, end)` pairs and their values.
    private let spellingBytes: [UInt8]
    private let spellingBounds: [Int]
    private let spellingValues: [FieldValue]
    /// "enterprise(企业), individual(个体工商户)": how enum errors list the choices.
    private let allowedValuesText: String
    /// For `subject_type`: the canonical values that 企业, 个体工商户 and 专业市场 wording maps to.
    private let subjectValues: SubjectValues?

    struct SubjectValues {
        let enterprise: String, individual: String, market: String?
    }

    init(field: SchemaField) {
        self.field = field
        self.hasBounds = field.minimum != nil || field.maximum != nil
        self.low = field.minimum ?? -.infinity
        self.high = field.maximum ?? .infinity
        self.type = field.type
        self.isRatio = field.isRatio
        self.isCreditCode = field.name == Schema.creditCodeField
        self.isCode = field.type == .string && (isCreditCode || field.name.hasSuffix("_code"))
        var map: [String: String] = [:]
        var bytes: [UInt8] = []
        var bounds: [Int] = []
        var values: [FieldValue] = []
        for value in field.values {
            for spelling in [value.value] + (value.label.map { [$0] } ?? []) + value.aliases {
                bounds.append(bytes.count)
                bytes.append(contentsOf: spelling.utf8)
                bounds.append(bytes.count)
                values.append(.string(value.value))
                if map[spelling] == nil { map[spelling] = value.value }
                let normalized = FieldLookup.normalize(spelling)
                if map[normalized] == nil { map[normalized] = value.value }
            }
        }
        self.enumCanonical = map
        self.spellingBytes = bytes
        self.spellingBounds = bounds
        self.spellingValues = values
        self.allowedValuesText = field.values.map { v in v.label.map { "\(v.value)(\($0))" } ?? v.value }
            .joined(separator: ", ")
        func value(_ name: String, _ label: String) -> String? {
            field.values.first { $0.value == name || $0.label == label }?.value
        }
        if field.name == Schema.subjectTypeField, let enterprise = value("enterprise", "企业"),
           let individual = value("individual", "个体工商户") {
            subjectValues = SubjectValues(enterprise: enterprise, individual: individual, market: value("market", "专业市场"))
        } else {
            subjectValues = nil
        }
    }

    /// The value of one cell: nil when absent (blank) or invalid; when invalid `failure` is set.
    func value(utf8 cell: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        let range = TextTrimming.trimmed(cell, 0..<cell.count)
        if range.isEmpty { return nil }
        let bytes = UnsafeBufferPointer(rebasing: cell[range])
        switch type {
        case .string:
            // A placeholder is no text either: a name `NULL` passed as filled in and a street `-`
            // got its own list page (data review). The shipped free-text fields are the name and
            // the street, where `无` or `NA` is never the data.
            if bytes.count <= 12, CellCoercer.isPlaceholder(bytes) { return nil }
            if !isCode { return .string(CellCoercer.string(bytes)) }
            if !isCreditCode { return CellCoercer.code(bytes) }
            if let code = creditCode(bytes, failure: &failure) { return code }
        case .integer:
            if let n = NumberParsing.plainInteger(bytes) { return hasBounds ? bounded(.integer(n), bytes, &failure) : .integer(n) }
            let value = CellCoercer.string(bytes)
            switch NumberParsing.integer(value) {
            case .value(let n): return hasBounds ? bounded(.integer(n), bytes, &failure) : .integer(n)
            case .outOfRange: failure = error(value, "超出整数范围")
            case .invalid: failure = error(value, "不是整数")
            }
        case .decimal:
            if let d = NumberParsing.plainDecimal(bytes) { return hasBounds ? bounded(.decimal(d), bytes, &failure) : .decimal(d) }
            if let d = decimal(bytes, failure: &failure) { return d }
        case .boolean:
            if let b = CellCoercer.boolean(bytes) { return .boolean(b) }
            failure = error(CellCoercer.string(bytes), "不是布尔值(可用: 是/否, true/false, Y/N, yes/no, 1/0, 有/无)")
        case .date:
            switch DateParsing.isoDate(bytes) {
            case .value(let iso): return CellCoercer.isNullDate(iso) ? nil : .date(iso)
            case .notADay: failure = error(CellCoercer.string(bytes), "不是有效日期(该月没有这一天)")
            case .notAMonth: failure = error(CellCoercer.string(bytes), "不是有效日期(月份应为1-12)")
            case .invalid:
                let value = CellCoercer.string(bytes)
                failure = error(value, "不是日期(可用: YYYY-MM-DD, YYYY/M/D, YYYY年M月D日, YYYYMMDD, 可带时间如 2023-03-01 00:00:00)"
                                + CellCoercer.dateHint(value))
            }
        case .enum:
            if let value = enumValue(bytes) { return value }
            if let value = enumValue(spelledOtherwise: bytes, failure: &failure) { return value }
        case .list:
            if bytes.count <= 12, CellCoercer.isPlaceholder(bytes) { return nil }
            let items = CellCoercer.listItems(bytes)
            return items.isEmpty ? nil : .list(items)
        }
        return failure == nil ? nil : failed(bytes, failure: &failure)
    }

    /// A cell that did not parse: a placeholder is empty, else it is read again with full-width
    /// forms folded. Only a cell that failed can be a placeholder, so a value the field accepts
    /// (`无` in a boolean, an enum value `NA`) stays that value and a well-formed cell pays nothing.
    /// Out of line, like all the slow paths, to keep `value` small.
    @inline(never)
    private func failed(_ bytes: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        if CellCoercer.isPlaceholder(bytes) || (type == .date && CellCoercer.isZeroDate(bytes)) {
            failure = nil
            return nil
        }
        return folded(bytes, failure: &failure)
    }

    /// A code field's value: codes are ASCII, so Ｃ３９８１ typed with a Chinese input method is
    /// C3981, which rules can read (industry_in, scale_of said 待定, "missing" industry_section).
    /// A cell of letters, digits and hyphens only (the usual one) is taken as it is; anything else
    /// goes through `tidiedCode`.
    private static func code(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldValue? {
        for b in bytes where !isCodeByte(b) { return tidiedCode(bytes) }
        return .string(string(bytes))
    }

    @inline(__always)
    private static func isCodeByte(_ b: UInt8) -> Bool {
        (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == UInt8(ascii: "-")
    }

    /// A code as exports and hand-edited sheets write it, as the code it stands for: full-width
    /// forms folded, Excel's text markers (`'F5223`, `="F5223"`) and the spaces inside taken away,
    /// as a credit code is tidied (`CreditCode.tidied`): `F 5223`, `Ｆ　５２２３` and `="F5223"` are
    /// F5223. The space left in `F 5223` made lib/sme_scale.lua miss the 2-digit group and size a
    /// retailer by another industry's standard, with no warning (data review). Case and hyphens
    /// stay: they can be part of a code (a licence number `SZ-001`); lib/industry.lua takes them
    /// out of an industry code. Text that is more than that (`零售业`, `C39.81`) is kept as written,
    /// trimmed: rules decide what it means. Only spaces (`- -` is a placeholder before this) are
    /// no code: nil, as a blank cell.
    @inline(never)
    static func tidiedCode(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldValue? {
        var cell = foldingFullWidth(bytes) ?? Array(bytes)
        if cell.first == UInt8(ascii: "'") { cell.removeFirst() }
        if cell.count > 3, cell.starts(with: [UInt8(ascii: "="), UInt8(ascii: "\"")]), cell.last == UInt8(ascii: "\"") {
            cell = Array(cell.dropFirst(2).dropLast())
        }
        var kept: [UInt8] = []
        kept.reserveCapacity(cell.count)
        for b in cell {
            if isCodeByte(b) {
                kept.append(b)
            } else if b != 0x20 && b != 0x09 {
                let trimmed = cell.withUnsafeBufferPointer { TextTrimming.trimmed($0, 0..<$0.count) }
                return .string(String(decoding: cell[trimmed], as: UTF8.self))
            }
        }
        return kept.isEmpty ? nil : .string(String(decoding: kept, as: UTF8.self))
    }

    /// A decimal cell the fast path could not read: thousands separators, exponents, a ratio's
    /// per cent; nil with `failure` set when it is none.
    @inline(never)
    private func decimal(_ bytes: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        let value = CellCoercer.string(bytes)
        if let d = NumberParsing.decimal(value) { return hasBounds ? bounded(.decimal(d), bytes, &failure) : .decimal(d) }
        if isRatio, let d = CellCoercer.percentage(value) { return bounded(.decimal(d), bytes, &failure) }
        failure = error(value, isRatio ? "不是数字(比例请写小数, 如 0.35 表示 35%)" : "不是数字")
        return nil
    }

    /// An enum cell that is not spelt exactly: another case or full-width forms (normalised and
    /// looked up), or a 主体类型 read by its words; nil with `failure` set when it is none.
    @inline(never)
    private func enumValue(spelledOtherwise bytes: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        let value = CellCoercer.string(bytes)
        if let canonical = enumCanonical[FieldLookup.normalize(value)] { return .string(canonical) }
        if subjectValues != nil, let subject = subjectType(worded: value, failure: &failure) { return subject }
        if failure == nil { failure = error(value, "不是允许的值(可选: \(allowedValuesText))") }
        return nil
    }

    /// A 主体类型 that is no value, label or alias, read by its words (`subjectKind`); nil when the
    /// words say nothing, or with `failure` set for a cooperative.
    @inline(never)
    private func subjectType(worded value: String, failure: inout CoercionError?) -> FieldValue? {
        guard let subjectValues else { return nil }
        switch CellCoercer.subjectKind(worded: value) {
        case .enterprise?: return .string(subjectValues.enterprise)
        case .individual?: return .string(subjectValues.individual)
        case .market?: return subjectValues.market.map { .string($0) }
        case .cooperative?:
            failure = error(value, "不是允许的值(合作社不是企业、个体工商户或专业市场; 可选: \(allowedValuesText))")
            return nil
        case nil: return nil
        }
    }

    /// Whether the whole cell is a placeholder exports write for "no data": `-` `--` `—` `——` `/`
    /// `无` `暂无` `NULL` `N/A` `#N/A` `NA` (ASCII in any case; full-width forms fold to these).
    /// Such a cell is empty, so rules say 待定 (缺少…) instead of the row being rejected and the
    /// business losing every service. `-` too in a number field, although Excel's accounting
    /// format shows 0 as `-`: a missing value gives 待定, a wrong 0 a wrong decision.
    static func isPlaceholder(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        // At most four full-width characters (ＮＵＬＬ), each three bytes led by EF.
        guard bytes.count <= 12 else { return false }
        if bytes[0] == 0xEF, let ascii = foldingFullWidth(bytes) {
            return ascii.withUnsafeBufferPointer { isPlaceholder($0) }
        }
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == bytes.count else { return false }
            let pointer = word.utf8Start
            for i in 0..<bytes.count {
                let b = bytes[i]
                if (b >= 0x41 && b <= 0x5A ? b + 0x20 : b) != pointer[i] { return false }
            }
            return true
        }
        switch bytes.count {
        case 1: return bytes[0] == 0x2D || bytes[0] == 0x2F  // - /
        case 2: return matches("--") || matches("na")
        case 3: return matches("n/a") || matches("无") || matches("—")
        case 4: return matches("null") || matches("#n/a")
        case 6: return matches("——") || matches("暂无")
        default: return false
        }
    }

    /// The dates systems write for "no date": 1900-01-01 (SQL Server's and Excel's first day),
    /// 1899-12-30 and 1899-12-31 (Excel's and OLE's day 0). Read as dates, an empty 成立日期
    /// became a business 125 years old and passed GRO-03's years in business (data review).
    /// Like `0000-00-00` (`isZeroDate`), they are empty.
    static func isNullDate(_ iso: String) -> Bool {
        iso.utf8.first == UInt8(ascii: "1") && (iso == "1900-01-01" || iso == "1899-12-30" || iso == "1899-12-31")
    }

    /// `0000-00-00`, with or without a time: how MySQL exports a date that was never set.
    static func isZeroDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count >= 10, bytes.count == 10 || bytes[10] == 0x20 || bytes[10] == 0x54 else { return false }
        for i in 0..<10 where bytes[i] != (i == 4 || i == 7 ? 0x2D : 0x30) { return false }
        return bytes[10...].allSatisfy { $0 == 0x30 || $0 == 0x3A || $0 == 0x2E || $0 == 0x20 || $0 == 0x54 }
    }

    /// A failed cell read again with its full-width digits and letters (１２, ２０２３－０１－０５,
    /// ９１４４…, typed with a Chinese input method) as ASCII (robustness review: enums accepted
    /// them, numbers, dates and credit codes did not). Out of line: only failed cells get here. An
    /// error still shows the cell as written.
    @inline(never)
    private func folded(_ bytes: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        guard let ascii = CellCoercer.foldingFullWidth(bytes) else { return nil }
        var retry: CoercionError?
        let value = ascii.withUnsafeBufferPointer { self.value(utf8: $0, failure: &retry) }
        guard let retry else {
            failure = nil
            return value
        }
        // What is wrong with the ASCII form is the diagnosis (a check digit, a day the month lacks,
        // a bound), shown with the cell as written (second review: the first attempt's "不是日期"
        // or "第1位字符'９'不合法" was kept, which was false).
        failure = error(CellCoercer.string(bytes), retry.problem)
        return nil
    }

    /// `value` if inside the field's bounds, else nil with `failure` set.
    @inline(__always)
    private func bounded(_ value: FieldValue, _ bytes: UnsafeBufferPointer<UInt8>, _ failure: inout CoercionError?) -> FieldValue? {
        // The comparison inline, the message out of line: nearly every number is in bounds.
        switch value {
        case .integer(let n) where Double(n) >= low && Double(n) <= high: return value
        case .decimal(let d) where d >= low && d <= high: return value
        default: break
        }
        guard let problem = outOfBounds(value, written: bytes) else { return value }
        failure = problem
        return nil
    }

    /// Why a number is outside the field's `min`/`max`, or nil.
    func outOfBounds(_ value: FieldValue, written bytes: UnsafeBufferPointer<UInt8>? = nil) -> CoercionError? {
        let number: Double
        switch value {
        case .integer(let n): number = Double(n)
        case .decimal(let d): number = d
        default: return nil
        }
        // The cell as written only for an error: making it for every numeric cell cost ~3k
        // instructions a row (callgrind).
        func shown() -> String { bytes.map { CellCoercer.string($0) } ?? value.displayText }
        if number < low { return error(shown(), "小于最小值 \(SchemaField.boundText(low))") }
        if number > high {
            var why = "大于最大值 \(SchemaField.boundText(high))"
            // A ratio written as a bare percentage (`35` for 35%): said, not guessed, since `35`
            // may be a mistake of another kind (data-administrator review).
            let written = shown()
            if isRatio, number <= 100, !written.hasSuffix("%"), !written.hasSuffix("％") {
                // Scaled by the exponent, as `percentage` reads 56.7%: 56.7 / 100 is 0.5670000000000001.
                let decimal = NumberParsing.decimal("\(number)e-2") ?? number / 100
                why += " (比例写小数; 若是百分之\(written), 请写 \(written)% 或 \(CellCoercer.decimalText(decimal)))"
                var failure = error(written, why)
                failure.isBarePercentage = true
                return failure
            }
            return error(written, why)
        }
        return nil
    }

    enum SubjectKind { case enterprise, individual, market, cooperative }

    /// What a 主体类型 as 市场监管 registers word it is: their 企业类型 names are open-ended
    /// (有限责任公司（自然人投资或控股）, 个人独资企业, 合伙企业, 分公司, 股份有限公司（上市）, 外商独资企业…),
    /// so they are read by their words rather than listed as aliases (which would also change what
    /// the sample generator writes). Nil: none of these.
    static func subjectKind(worded text: String) -> SubjectKind? {
        if text.contains("个体") { return .individual }
        // 农民专业合作社 (code 93) is none of the schema's subject types; a 合作社 that is a company is one.
        if text.contains("合作社") && !text.contains("公司") { return .cooperative }
        // 民办非企业单位 is a social organisation (code 52), not an enterprise; nor are a foreign
        // enterprise's representative office, an institution under enterprise management
        // (事业单位（企业化管理）), a social group or a government organ (final review).
        for word in ["非企业", "代表机构", "代表处", "事业单位", "社会团体", "基金会", "机关"] where text.contains(word) { return nil }
        // 全民所有制, 集体所有制, 股份合作制, 联营: 企业类型 names without 公司 or 企业 in them.
        for word in ["公司", "企业", "所有制", "联营", "股份合作"] where text.contains(word) { return .enterprise }
        if text.hasSuffix("市场") { return .market }
        return nil
    }

    /// `0.35` for a message: the shortest text that reads back as `value` (no exponent below 1e-4).
    static func decimalText(_ value: Double) -> String {
        var text = String(value)
        if text.contains("e") { text = String(format: "%.10f", value) }
        while text.contains("."), text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// `35%` → 0.35, for a ratio field. Read, not refused: the per cent sign says what the number
    /// means, so nothing is guessed, and a refused row loses every service. `35` stays 35 (over
    /// the field's max 1): without the sign it may be a mistake of another kind.
    static func percentage(_ text: String) -> Double? {
        guard text.utf8.last == 0x25 else { return nil }  // %
        guard let digits = String(text.utf8.dropLast()) else { return nil }
        let number = TextTrimming.trim(digits)
        // Scaled by the exponent, so 12.34% is the double nearest 0.1234, as if written so.
        guard !number.isEmpty, !number.utf8.contains(where: { $0 == 0x65 || $0 == 0x45 }),
              let d = NumberParsing.decimal(number + "e-2") else { return nil }
        return d
    }

    /// `bytes` with full-width ASCII forms (U+FF01–U+FF5E, EF BC 81 – EF BD 9E) and the ideographic
    /// space as ASCII, or nil when there are none.
    static func foldingFullWidth(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard bytes.contains(0xEF) || bytes.contains(0xE3) else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0, changed = false
        while i < bytes.count {
            if i + 2 < bytes.count, bytes[i] == 0xEF, bytes[i + 1] == 0xBC || bytes[i + 1] == 0xBD {
                // U+FF00 + x: EF BC 80+x for x < 0x40, EF BD 80+(x-0x40) above; ASCII is x + 0x20.
                let x = Int(bytes[i + 2]) - 0x80 + (bytes[i + 1] == 0xBD ? 0x40 : 0)
                if x >= 1, x <= 0x5E {
                    out.append(UInt8(x + 0x20))
                    i += 3
                    changed = true
                    continue
                }
            }
            if i + 2 < bytes.count, bytes[i] == 0xE3, bytes[i + 1] == 0x80, bytes[i + 2] == 0x80 {  // U+3000
                out.append(0x20)
                i += 3
                changed = true
                continue
            }
            out.append(bytes[i])
            i += 1
        }
        return changed ? out : nil
    }

    /// What to do about the two non-dates exports give most (usability review: the reject listed
    /// the accepted forms, which do not say what 45809 is or which order 6/1/2020 meant): a
    /// five-digit Excel serial number, with the day it stands for, and a month/day/year date.
    /// "" for other text.
    static func dateHint(_ value: String) -> String {
        let text = TextTrimming.trim(value)
        if text.utf8.count == 5, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let serial = Int(text),
           let day = ISODate(dayNumber: serial - 25_569) {  // Excel's day 1 is 1900-01-01; past 1900-02-28, 1899-12-30 + serial
            return "; 这是 Excel 的日期序号 (即 \(day)): 请在 Excel 中把该列设为日期格式, 再另存为 CSV (an Excel date serial number)"
        }
        // The date without a time of day: Excel writes a date-time cell "6/1/2020 0:00".
        let day = text.split(separator: " ", maxSplits: 1).first.map(String.init) ?? text
        let parts = day.split(separator: "/", omittingEmptySubsequences: false)
        if parts.count == 3, parts[2].count == 4, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
           parts[0].count <= 2, parts[1].count <= 2, let a = Int(parts[0]), let b = Int(parts[1]), let year = Int(parts[2]) {
            // Only the readings that are days: "25/12/2019" is day/month/year, with one.
            let monthFirst = ISODate(year: year, month: a, day: b), dayFirst = ISODate(year: year, month: b, day: a)
            switch (monthFirst, dayFirst) {
            case let (m?, d?) where m != d:
                return "; 年份在后, 月日顺序不明 (\(a)月\(b)日 还是 \(b)月\(a)日?): 请写成 \(parts[2])-MM-DD "
                    + "(month and day order unknown: write YYYY-MM-DD)"
            case let (only?, _), let (nil, only?):
                return "; 年份在后: 请写成 \(only) (write YYYY-MM-DD)"
            default:
                return ""
            }
        }
        return ""
    }

    private func error(_ value: String, _ problem: String) -> CoercionError {
        CoercionError(field: field, value: value, problem: problem)
    }

    @inline(__always)
    private static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// The enum value `bytes` spell exactly.
    private func enumValue(_ bytes: UnsafeBufferPointer<UInt8>) -> FieldValue? {
        spellingBytes.withUnsafeBufferPointer { all in
            spellingBounds.withUnsafeBufferPointer { bounds in
                guard let base = all.baseAddress, let target = bytes.baseAddress else { return nil }
                for k in 0..<(bounds.count / 2) where bounds[2 * k + 1] - bounds[2 * k] == bytes.count {
                    if memcmp(base + bounds[2 * k], target, bytes.count) == 0 { return spellingValues[k] }
                }
                return nil
            }
        }
    }

    private func creditCode(_ bytes: UnsafeBufferPointer<UInt8>, failure: inout CoercionError?) -> FieldValue? {
        if CreditCode.isValid(utf8: bytes) { return .string(CellCoercer.string(bytes)) }
        // Lower-case input: upper-case the ASCII letters (codes are ASCII) and check again.
        let upper = bytes.map { $0 >= 0x61 && $0 <= 0x7A ? $0 - 0x20 : $0 }
        let normalized = String(decoding: upper, as: UTF8.self)
        if upper.withUnsafeBufferPointer({ CreditCode.isValid(utf8: $0) }) { return .string(normalized) }
        if let tidied = CreditCode.tidied(upper) { return .string(tidied) }
        failure = error(CellCoercer.string(bytes), CreditCode.problem(with: normalized) ?? "统一社会信用代码无效")
        return nil
    }

    /// Items separated by `;` `；` `,` `，` `、` `|` `/` or a line break, trimmed, empty ones dropped.
    /// Exports join tags with any of these; reading `a，b` as one tag silently lost both
    /// (data-administrator review). A comma between digits (`1,000`) is not a break.
    static func listItems(_ bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        var items: [String] = []
        var start = 0
        var i = 0
        while i <= bytes.count {
            var separator = 0
            if i < bytes.count {
                separator = separatorLength(bytes, at: i)
                if separator == 0 {
                    i += 1
                    continue
                }
            }
            let item = TextTrimming.trimmed(bytes, start..<i)
            if !item.isEmpty { items.append(string(UnsafeBufferPointer(rebasing: bytes[item]))) }
            if separator == 0 { break }
            i += separator
            start = i
        }
        return items
    }

    /// The byte length of the list separator at `i`, or 0.
    @inline(__always)
    private static func separatorLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        switch bytes[i] {
        case 0x3B, 0x7C, 0x2F, 0x0A, 0x0D: return 1  // ; | / LF CR
        case 0x2C:  // ,
            let betweenDigits = i > 0 && i + 1 < bytes.count && bytes[i - 1] &- 0x30 < 10 && bytes[i + 1] &- 0x30 < 10
            return betweenDigits ? 0 : 1
        case 0xEF:  // ；(EF BC 9B) ，(EF BC 8C)
            guard i + 2 < bytes.count, bytes[i + 1] == 0xBC else { return 0 }
            return bytes[i + 2] == 0x9B || bytes[i + 2] == 0x8C ? 3 : 0
        case 0xE3:  // 、(E3 80 81)
            return i + 2 < bytes.count && bytes[i + 1] == 0x80 && bytes[i + 2] == 0x81 ? 3 : 0
        default: return 0
        }
    }

    /// true/false, 是/否, Y/N, yes/no, 1/0, 有/无, ASCII case-insensitive.
    static func boolean(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        @inline(__always) func lower(_ i: Int) -> UInt8 {
            let b = bytes[i]
            return b >= 0x41 && b <= 0x5A ? b + 0x20 : b
        }
        func matches(_ word: StaticString) -> Bool {
            guard word.utf8CodeUnitCount == bytes.count else { return false }
            let pointer = word.utf8Start
            for i in 0..<bytes.count where lower(i) != pointer[i] { return false }
            return true
        }
        switch bytes.count {
        case 1:
            switch lower(0) {
            case 0x31, 0x79: return true   // 1 y
            case 0x30, 0x6E: return false  // 0 n
            default: return nil
            }
        case 2: return matches("no") ? false : nil
        case 3:
            if matches("是") || matches("有") || matches("yes") { return true }
            if matches("否") || matches("无") { return false }
            return nil
        case 4: return matches("true") ? true : nil
        case 5: return matches("false") ? false : nil
        default: return nil
        }
    }
}
