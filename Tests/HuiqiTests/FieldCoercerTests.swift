import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct FieldCoercerTests {
    let employees = SchemaField(name: "employees", type: .integer, label: "从业人数")
    let revenue = SchemaField(name: "revenue", type: .decimal, label: "年营业收入")
    let highTech = SchemaField(name: "high_tech", type: .boolean, label: "高新技术企业")
    let established = SchemaField(name: "established_on", type: .date, label: "成立日期")
    let tags = SchemaField(name: "tags", type: .list, label: "标签")
    let street = SchemaField(name: "street", type: .string, label: "街道")
    let subjectType = SchemaField(name: "subject_type", type: .enum, label: "主体类型", values: [
        .init(value: "enterprise", label: "企业", aliases: ["公司", "有限公司"]),
        .init(value: "individual", label: "个体工商户", aliases: ["个体户"]),
        .init(value: "market", label: "专业市场"),
    ])

    private func value(_ text: String, _ field: SchemaField) -> FieldValue?? {
        try? FieldCoercer.coerce(text, as: field).get()
    }

    private func message(_ text: String, _ field: SchemaField) -> String? {
        if case .failure(let error) = FieldCoercer.coerce(text, as: field) { return error.message }
        return nil
    }

    /// Whether `text` is read as absent (`value` gives `.some(nil)` for a failure too: `try?` flattens).
    private func isAbsent(_ text: String, _ field: SchemaField) -> Bool {
        if case .success(nil) = FieldCoercer.coerce(text, as: field) { return true }
        return false
    }

    @Test(arguments: [("12", 12), (" 12 ", 12), ("1,200", 1200), ("12.0", 12), ("-3", -3), ("+7", 7),
                      ("1,234,567.00", 1_234_567), ("\u{3000}5\u{3000}", 5), ("9223372036854775807", Int64.max)])
    func integersAccepted(text: String, expected: Int64) {
        #expect(value(text, employees) == .some(.integer(expected)))
    }

    @Test(arguments: ["12.5", "abc", "1e3", "12,00", "1,2345", ",12", "1.2.3", "--1", "12 3", "0x10"])
    func integersRejected(text: String) {
        #expect(message(text, employees)?.hasSuffix("不是整数") == true, "\(text)")
    }

    @Test func integerMessagesNameTheField() {
        #expect(message("12.5", employees) == "从业人数(employees): '12.5' 不是整数")
        #expect(message("99999999999999999999", employees) == "从业人数(employees): '99999999999999999999' 超出整数范围")
    }

    @Test(arguments: [("1234.5", 1234.5), ("1,234.5", 1234.5), ("-0.5", -0.5), (".5", 0.5), ("3", 3.0),
                      ("1.5e3", 1500.0), ("12,345,678.25", 12_345_678.25)])
    func decimalsAccepted(text: String, expected: Double) {
        #expect(value(text, revenue) == .some(.decimal(expected)))
    }

    @Test(arguments: ["abc", "inf", "nan", "0x1p3", "1,23.5", "12元", "1.2.3", "-1-", "e5"])
    func decimalsRejected(text: String) {
        #expect(message(text, revenue) == "年营业收入(revenue): '\(text)' 不是数字")
    }

    @Test(arguments: [("true", true), ("FALSE", false), ("是", true), ("否", false), ("Y", true), ("n", false),
                      ("y", true), ("N", false), ("1", true), ("0", false), ("Yes", true), ("no", false),
                      ("有", true), ("无", false), (" 是 ", true)])
    func booleansAccepted(text: String, expected: Bool) {
        #expect(value(text, highTech) == .some(.boolean(expected)))
    }

    @Test func booleansRejected() {
        #expect(message("maybe", highTech)?.hasPrefix("高新技术企业(high_tech): 'maybe' 不是布尔值") == true)
        #expect(message("2", highTech) != nil)
    }

    @Test(arguments: [("2024-03-01", "2024-03-01"), ("2024-3-1", "2024-03-01"), ("2024/3/1", "2024-03-01"),
                      ("2024/12/31", "2024-12-31"), ("2024年3月1日", "2024-03-01"), ("2019年10月08日", "2019-10-08"),
                      ("2024.3.1", "2024-03-01"), ("2024-02-29", "2024-02-29"), ("2000-02-29", "2000-02-29")])
    func datesAccepted(text: String, expected: String) {
        #expect(value(text, established) == .some(.date(expected)))
    }

    @Test(arguments: ["2023-02-29", "1900-02-29", "2024-04-31", "2024-01-00"])
    func impossibleDaysRejected(text: String) {
        #expect(message(text, established) == "成立日期(established_on): '\(text)' 不是有效日期(该月没有这一天)")
    }

    /// Found in the robustness review: month 13 was reported as "that month has no such day".
    @Test(arguments: ["2024-13-01", "2024-00-10"])
    func impossibleMonthsRejected(text: String) {
        #expect(message(text, established) == "成立日期(established_on): '\(text)' 不是有效日期(月份应为1-12)")
    }

    /// Found in the robustness review: full-width digits (a Chinese input method) were refused in
    /// numbers, dates and credit codes, while enums accepted full-width letters.
    @Test func fullWidthDigitsAreReadAsDigits() {
        #expect(value("１２", employees) == .some(.integer(12)))
        #expect(value("１，２００", employees) == .some(.integer(1200)))
        #expect(value("１２.５", revenue) == .some(.decimal(12.5)))
        #expect(value("２０２３－０１－０５", established) == .some(.date("2023-01-05")))
        #expect(value("２０２３年１月５日", established) == .some(.date("2023-01-05")))
        #expect(value("１", highTech) == .some(.boolean(true)))
        let code = SchemaField(name: "credit_code", type: .string, label: "统一社会信用代码")
        #expect(value("９１３５０１００Ｍ０００１００Ｙ４３", code) == .some(.string("91350100M000100Y43")))
        // Text stays as written; an error shows the cell as typed.
        #expect(value("１２号", street) == .some(.string("１２号")))
        #expect(message("１２x", employees) == "从业人数(employees): '１２x' 不是整数")
        // The diagnosis is the ASCII form's, shown with the cell as written (second review).
        #expect(message("２０２３－０２－３０", established) == "成立日期(established_on): '２０２３－０２－３０' 不是有效日期(该月没有这一天)")
        #expect(message("１２３４５６７８９０１２３４５６７８９０１", employees)?.hasSuffix("超出整数范围") == true)
        #expect(message("９１３５０１００Ｍ０００１００Ｙ４４", code)?.contains("校验") == true, "\(message("９１３５０１００Ｍ０００１００Ｙ４４", code) ?? "")")
    }

    @Test(arguments: ["2024031", "24-3-1", "2024-3/1", "2024年3月1", "2024-03-01x", "03/01/2024", "0999-01-01", "今天"])
    func malformedDatesRejected(text: String) {
        #expect(message(text, established)?.contains("不是日期") == true, "\(text)")
    }

    @Test func enumsAcceptValueLabelAndAlias() {
        for (text, expected) in [("enterprise", "enterprise"), ("企业", "enterprise"), ("有限公司", "enterprise"),
                                 ("个体户", "individual"), ("个体工商户", "individual"), ("专业市场", "market"),
                                 ("Market", "market"), (" 企业 ", "enterprise")] {
            #expect(value(text, subjectType) == .some(.string(expected)), "\(text)")
        }
    }

    @Test func enumErrorsListTheAllowedValues() {
        #expect(message("社会团体", subjectType)
                == "主体类型(subject_type): '社会团体' 不是允许的值(可选: enterprise(企业), individual(个体工商户), market(专业市场))")
    }

    @Test func listsSplitOnBothSemicolons() {
        #expect(value("a; b ;;c", tags) == .some(.list(["a", "b", "c"])))
        #expect(value("专精特新；高新 ; 出口", tags) == .some(.list(["专精特新", "高新", "出口"])))
        #expect(value(" ; ；", tags) == .some(nil))
    }

    @Test func stringsAreTrimmedAndEmptyIsAbsent() {
        #expect(value("  新安街道\t", street) == .some(.string("新安街道")))
        for empty in ["", "   ", "\u{3000}"] {
            for field in [street, employees, revenue, highTech, established, subjectType, tags] {
                #expect(value(empty, field) == .some(nil), "\(field.name) '\(empty)'")
            }
        }
    }

    // MARK: - JSON values

    private func json(_ value: Any?, _ field: SchemaField) -> Result<FieldValue?, CoercionError> {
        FieldCoercer.coerce(json: value, as: field)
    }

    /// Parses `text` with JSONSerialization, as the JSON Lines reader does.
    private func parsed(_ text: String) throws -> Any {
        let object = try JSONSerialization.jsonObject(with: Data("{\"v\": \(text)}".utf8)) as? [String: Any]
        return try #require(object?["v"])
    }

    @Test func jsonNumbersAndBooleansAreTakenNatively() throws {
        #expect(try json(parsed("12"), employees).get() == .integer(12))
        #expect(try json(parsed("12.0"), employees).get() == .integer(12))
        #expect(try json(parsed("\"1,200\""), employees).get() == .integer(1200))
        #expect(try json(parsed("1234.5"), revenue).get() == .decimal(1234.5))
        #expect(try json(parsed("7"), revenue).get() == .decimal(7))
        #expect(try json(parsed("true"), highTech).get() == .boolean(true))
        #expect(try json(parsed("0"), highTech).get() == .boolean(false))
        #expect(try json(parsed("\"是\""), highTech).get() == .boolean(true))
        #expect(try json(parsed("3981"), street).get() == .string("3981"))
        #expect(try json(parsed("\"2024/3/1\""), established).get() == .date("2024-03-01"))
    }

    @Test func jsonNullIsAbsentAndArraysFillLists() throws {
        #expect(try json(parsed("null"), employees).get() == nil)
        #expect(try json(nil, street).get() == nil)
        #expect(try json(parsed("[\"a\", \" b \", \"\", 3]"), tags).get() == .list(["a", "b", "3"]))
        #expect(try json(parsed("\"a;b\""), tags).get() == .list(["a", "b"]))
        #expect(try json(parsed("[]"), tags).get() == nil)
    }

    @Test func jsonValuesOfTheWrongShapeAreRejected() throws {
        func failure(_ result: Result<FieldValue?, CoercionError>) -> String? {
            if case .failure(let error) = result { return error.message }
            return nil
        }
        #expect(failure(json(try parsed("12.5"), employees)) == "从业人数(employees): '12.5' 不是整数")
        #expect(failure(json(try parsed("true"), employees)) == "从业人数(employees): 'true' 不是整数")
        #expect(failure(json(try parsed("1e19"), employees))?.hasSuffix("超出整数范围") == true)
        #expect(failure(json(try parsed("true"), revenue)) != nil)
        #expect(failure(json(try parsed("[1]"), employees))?.hasSuffix("不应为数组") == true)
        #expect(failure(json(try parsed("{\"a\": 1}"), street))?.hasSuffix("不应为JSON对象") == true)
        #expect(failure(json(try parsed("[[\"a\"]]"), tags))?.hasSuffix("列表元素应为文本") == true)
        #expect(failure(json(try parsed("2"), highTech)) != nil)
    }

    // MARK: - Values as real 市场监管/税务/社保 exports write them (data-administrator review)

    /// Dates as databases export them (compact, or with a time of day) rejected the whole row.
    @Test(arguments: [("20230301", "2023-03-01"), ("2023-03-01 00:00:00", "2023-03-01"), ("2023-03-01T00:00:00", "2023-03-01"),
                      ("2023/03/01 0:00", "2023-03-01"), ("2023/3/1 00:00:00", "2023-03-01"), ("2023-03-01 23:59:59.997", "2023-03-01"),
                      ("2023-3-1 12:05", "2023-03-01"), ("2023年3月1日 8:30", "2023-03-01"), ("20240229", "2024-02-29"),
                      ("20230301 00:00:00", "2023-03-01"), ("２０２３０３０１", "2023-03-01"), ("２０２３－０３－０１　００：００", "2023-03-01")])
    func databaseDatesAccepted(text: String, expected: String) {
        #expect(value(text, established) == .some(.date(expected)))
    }

    /// Still refused: month or day first is ambiguous, an Excel serial number is no date, and a
    /// time zone could move the day.
    @Test(arguments: ["3/1/2023", "03/01/2023", "45000", "2023030", "202303011", "20230301T000000", "2023-03-01 24:00",
                      "2023-03-01 00:60", "2023-03-01 0:0", "2023-03-01 00", "2023-03-01 00:00:", "2023-03-01 00:00:60",
                      "2023-03-01 00:00:00.", "2023-03-01 00:00:00.1234567890", "2023-03-01T00:00:00Z",
                      "2023-03-01 00:00:00+08:00", "2023-03-01 00:00 AM", "2023/03/01T00:00", "2023-03-01  00:00",
                      "2023-03-01T", "2023-03-01 :00"])
    func ambiguousDatesAndStrayTimesRejected(text: String) {
        #expect(message(text, established)?.contains("不是日期") == true, "\(text)")
    }

    /// Usability review: the reject of an Excel serial number or a month/day/year date listed the
    /// accepted forms without saying what the cell was or what to write.
    @Test func excelSerialsAndDayMonthOrderSayWhatToDo() {
        #expect(message("45809", established)?.contains("Excel 的日期序号 (即 2025-06-01)") == true, "\(message("45809", established) ?? "")")
        #expect(message("3/1/2023", established)?.contains("3月1日 还是 1月3日") == true, "\(message("3/1/2023", established) ?? "")")
        #expect(message("2023-03", established)?.hasSuffix("2023-03-01 00:00:00)") == true)
    }

    /// A day/month/year date whose first number is past 12 has one reading: the hint said "25月12日
    /// 还是 12月25日?", a month that does not exist. Excel's usual date-time form, "6/1/2020 0:00",
    /// had no hint at all.
    @Test func aDayMonthYearDateWithOneReadingAndADateTimeSayWhatToWrite() {
        let dmy = message("25/12/2019", established) ?? ""
        #expect(dmy.contains("2019-12-25") && !dmy.contains("25月12日"), "\(dmy)")
        let withTime = message("6/1/2020 0:00", established) ?? ""
        #expect(withTime.contains("6月1日 还是 1月6日"), "\(withTime)")
        let none = message("13/13/2020", established) ?? ""
        #expect(!none.contains("月") || !none.contains("13月"), "\(none)")
    }

    @Test func compactDatesMustBeRealDays() {
        #expect(message("20230229", established) == "成立日期(established_on): '20230229' 不是有效日期(该月没有这一天)")
        #expect(message("20231301", established) == "成立日期(established_on): '20231301' 不是有效日期(月份应为1-12)")
        #expect(message("2023-02-29 00:00:00", established)?.hasSuffix("该月没有这一天)") == true)
    }

    /// Test profiles and --as-of read dates with `ISODate.normalize`: it must accept what a row does.
    @Test func isoDateNormalizeAgreesWithTheInputParser() {
        for text in ["20230301", "2023-03-01 00:00:00", "2023-03-01T00:00:00.5", "2023/3/1 0:00", "2023年3月1日 08:00",
                     "20230229", "3/1/2023", "45000", "2023-03-01T00:00:00Z", "02019/3/7", "2019/003/7"] {
            let input: String? = if case .success(let v) = FieldCoercer.coerce(text, as: established) { v?.displayText } else { nil }
            #expect(ISODate.normalize(text) == input, "\(text)")
        }
        #expect(ISODate.normalize(" 20230301 ") == "2023-03-01")
    }

    /// Placeholders for "no data" rejected the whole row, so the business lost every service. They
    /// are empty now: rules say 待定 (缺少…), a required field is still "缺少必填值".
    @Test(arguments: ["-", "--", "—", "——", "/", "无", "暂无", "NULL", "null", "Null", "N/A", "n/a", "NA", "#N/A", "－", "／", "ＮＵＬＬ", " - "])
    func placeholdersAreEmpty(text: String) {
        let rating = SchemaField(name: "tax_credit_rating", type: .enum, label: "纳税信用等级",
                                 values: ["A", "B", "M", "C", "D"].map { .init(value: $0) })
        let industry = SchemaField(name: "industry_code", type: .string, label: "行业代码")
        let code = SchemaField(name: "credit_code", type: .string, label: "统一社会信用代码")
        let name = SchemaField(name: "name", type: .string, label: "企业名称")
        for field in [employees, revenue, established, subjectType, rating, tags, industry, code, highTech, street, name]
            where text != "无" || field.type != .boolean {
            #expect(isAbsent(text, field), "\(field.name) '\(text)'")
        }
    }

    @Test func placeholdersGiveWayToValuesTheFieldAccepts() {
        // 有/无 is yes/no in a boolean; the other placeholders are empty there too.
        #expect(value("无", highTech) == .some(.boolean(false)))
        #expect(isAbsent("-", highTech))
        #expect(isAbsent("N/A", highTech))
        // An enum that has the value NA keeps it.
        let grade = SchemaField(name: "grade", type: .enum, label: "等级", values: [.init(value: "NA"), .init(value: "A")])
        #expect(value("NA", grade) == .some(.string("NA")))
        #expect(isAbsent("-", grade))
        // Free text is empty only when the whole cell is a placeholder (data review: a name `NULL`
        // passed as filled in, a street `-` got its own list page).
        #expect(isAbsent("无", street))
        #expect(isAbsent("NA", street))
        #expect(value("无锡路", street) == .some(.string("无锡路")))
        // Only the whole cell: these are still wrong.
        #expect(message("-5x", employees)?.hasSuffix("不是整数") == true)
        #expect(message("无数据", revenue)?.hasSuffix("不是数字") == true)
        #expect(message("--1", employees)?.hasSuffix("不是整数") == true)
        #expect(message("null值", established)?.contains("不是日期") == true)
    }

    /// MySQL writes a date that was never set as 0000-00-00.
    @Test func zeroDatesAreEmpty() {
        #expect(isAbsent("0000-00-00", established))
        #expect(isAbsent("0000-00-00 00:00:00", established))
        #expect(message("0000-00-01", established)?.contains("不是日期") == true)
    }

    /// SQL Server's and Excel's "no date" passed for a founding date 125 years back (data review:
    /// GRO-03 said 成长型, 经营125年).
    @Test(arguments: ["1900-01-01", "1900/1/1", "1900-01-01 00:00:00", "1899-12-30", "1899-12-31", "１９００－０１－０１"])
    func nullDatesAreEmpty(text: String) {
        #expect(isAbsent(text, established))
    }

    @Test func datesNextToTheNullDatesAreDates() {
        #expect(value("1900-01-02", established) == .some(.date("1900-01-02")))
        #expect(value("1899-12-29", established) == .some(.date("1899-12-29")))
    }

    /// 主体类型 as 市场监管 exports word it was rejected; it is read by its words.
    @Test(arguments: [("有限责任公司（自然人投资或控股）", "enterprise"), ("有限责任公司(法人独资)", "enterprise"),
                      ("个人独资企业", "enterprise"), ("合伙企业", "enterprise"), ("有限合伙企业", "enterprise"), ("分公司", "enterprise"),
                      ("企业（法人）", "enterprise"), ("股份有限公司（上市）", "enterprise"), ("外商独资企业", "enterprise"),
                      ("非公司企业法人", "enterprise"), ("个体工商户（个人经营）", "individual"), ("个体经营", "individual"),
                      ("农贸市场", "market"), ("专业批发市场", "market")])
    func subjectTypesAreReadByTheirWords(text: String, expected: String) {
        #expect(value(text, subjectType) == .some(.string(expected)))
    }

    @Test func cooperativesAndSocialOrganisationsAreNoEnterprises() {
        let choices = "可选: enterprise(企业), individual(个体工商户), market(专业市场)"
        #expect(message("农民专业合作社", subjectType)
                == "主体类型(subject_type): '农民专业合作社' 不是允许的值(合作社不是企业、个体工商户或专业市场; \(choices))")
        #expect(message("民办非企业单位", subjectType) == "主体类型(subject_type): '民办非企业单位' 不是允许的值(\(choices))")
        #expect(message("事业单位", subjectType) != nil)
        // Final review: these hold 企业 or 公司 but are no enterprise that can claim these services.
        for value in ["外国（地区）企业常驻代表机构", "事业单位（企业化管理）", "外国企业驻华代表处", "社会团体（公司联合会）"] {
            #expect(message(value, subjectType) == "主体类型(subject_type): '\(value)' 不是允许的值(\(choices))", "\(value)")
        }
        // Only subject_type is read by its words; another enum wants its own spellings.
        let kind = SchemaField(name: "kind", type: .enum, label: "类型", values: subjectType.values)
        #expect(message("合伙企业", kind) != nil)
    }

    /// The shipped schema, and 企业类型 names without 公司 or 企业 in them.
    @Test func shippedSchemaReadsOtherEnterpriseTypes() throws {
        let schema = try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml"))
        let field = try #require(schema.fields.first { $0.name == "subject_type" })
        for text in ["全民所有制", "集体所有制", "股份合作制", "联营", "有限责任公司(自然人独资)", "普通合伙企业"] {
            #expect(value(text, field) == .some(.string("enterprise")), "\(text)")
        }
        #expect(value("个体工商户", field) == .some(.string("individual")))
    }

    /// Tags joined with ，、|/ or a line break became one tag, so RWD-01 said 不符合 instead of 符合.
    @Test func listsSplitOnTheSeparatorsExportsUse() {
        #expect(value("首次进入市百强，区引导基金子基金投资", tags) == .some(.list(["首次进入市百强", "区引导基金子基金投资"])))
        for text in ["a、b", "a|b", "a/b", "a\nb", "a\r\nb", "a,b", "a, b", "a，b", " a ； b ", "a、\nb"] {
            #expect(value(text, tags) == .some(.list(["a", "b"])), "\(text.debugDescription)")
        }
        // A comma between digits is a thousands separator.
        #expect(value("年产值1,000万以上,出口", tags) == .some(.list(["年产值1,000万以上", "出口"])))
        #expect(isAbsent("、，|/\n", tags))
    }

    /// A full-width industry code was kept as typed, so rules could not read it (待定, "缺少 industry_section").
    @Test func codesAreReadInHalfWidth() {
        let industry = SchemaField(name: "industry_code", type: .string, label: "行业代码")
        #expect(value("Ｃ３９８１", industry) == .some(.string("C3981")))
        #expect(value("　ｉ６５　", industry) == .some(.string("i65")))
        #expect(value("C3981", industry) == .some(.string("C3981")))
        let license = SchemaField(name: "license_code", type: .string, label: "许可证编号")
        #expect(value("ＳＺ－００１", license) == .some(.string("SZ-001")))
        // The space inside a code, and Excel's text markers, are no part of it (data review: the
        // space in `F 5223` sized a retailer by another industry's standard); case and hyphens stay.
        #expect(value("F 5223", industry) == .some(.string("F5223")))
        #expect(value("Ｆ　５２２３", industry) == .some(.string("F5223")))
        #expect(value("'F5223", industry) == .some(.string("F5223")))
        #expect(value("=\"F5223\"", industry) == .some(.string("F5223")))
        #expect(value("f 52-23", industry) == .some(.string("f52-23")))
        #expect(value("SZ 001", license) == .some(.string("SZ001")))
        #expect(value("零售业", industry) == .some(.string("零售业")))
        #expect(value("C39.81", industry) == .some(.string("C39.81")))
        // Names and streets keep what was typed.
        let name = SchemaField(name: "name", type: .string, label: "企业名称")
        #expect(value("ＡＢＣ（深圳）有限公司", name) == .some(.string("ＡＢＣ（深圳）有限公司")))
        #expect(value("１２号", street) == .some(.string("１２号")))
    }

    /// `35%` in a ratio field said only "不是数字". A per cent sign is read (35% is 0.35); other
    /// malformed ratios say how to write one.
    @Test func ratiosReadAPercentage() {
        var rate = SchemaField(name: "layoff_rate", type: .decimal, label: "上年度裁员率")
        rate.minimum = 0
        rate.maximum = 1
        #expect(value("35%", rate) == .some(.decimal(0.35)))
        #expect(value("12.34%", rate) == .some(.decimal(0.1234)))
        #expect(value("0%", rate) == .some(.decimal(0)))
        #expect(value("100%", rate) == .some(.decimal(1)))
        #expect(value(" 5 % ", rate) == .some(.decimal(0.05)))
        #expect(value("３５％", rate) == .some(.decimal(0.35)))
        #expect(message("135%", rate) == "上年度裁员率(layoff_rate): '135%' 大于最大值 1")
        #expect(message("１３５％", rate) == "上年度裁员率(layoff_rate): '１３５％' 大于最大值 1")
        // A bare percentage is not read as one, but the message says how to write it.
        #expect(message("35", rate) == "上年度裁员率(layoff_rate): '35' 大于最大值 1 (比例写小数; 若是百分之35, 请写 35% 或 0.35)")
        #expect(message("2.5", rate) == "上年度裁员率(layoff_rate): '2.5' 大于最大值 1 (比例写小数; 若是百分之2.5, 请写 2.5% 或 0.025)")
        #expect(message("100", rate) == "上年度裁员率(layoff_rate): '100' 大于最大值 1 (比例写小数; 若是百分之100, 请写 100% 或 1)")
        #expect(message("150", rate) == "上年度裁员率(layoff_rate): '150' 大于最大值 1")
        // The decimal suggested is the one the percentage reads as (56.7 / 100 is 0.5670000000000001).
        #expect(message("56.7", rate) == "上年度裁员率(layoff_rate): '56.7' 大于最大值 1 (比例写小数; 若是百分之56.7, 请写 56.7% 或 0.567)")
        #expect(message("-5%", rate) == "上年度裁员率(layoff_rate): '-5%' 小于最小值 0")
        for text in ["三成", "%", "35%%", "1e1%", "35‰"] {
            #expect(message(text, rate) == "上年度裁员率(layoff_rate): '\(text)' 不是数字(比例请写小数, 如 0.35 表示 35%)", "\(text)")
        }
        // Only ratios: 35% of an amount is no amount.
        #expect(message("35%", revenue) == "年营业收入(revenue): '35%' 不是数字")
    }
}
