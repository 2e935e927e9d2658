import Huiqi
import TestSupport
import Testing

@Suite struct HeaderMapTests {
    @Test func headersMatchByNameLabelOrAlias() throws {
        let schema = try ProfileFixtures.schema()
        let map = try HeaderMap(headers: ["\u{FEFF}信用代码", " 企业名称 ", "SUBJECT_TYPE", "年营业收入（万元）", "营业收入x"],
                                schema: schema, file: "a.csv", allowExtra: true)
        #expect(map.fieldIndexByColumn == [schema.index(of: "credit_code"), schema.index(of: "name"),
                                           schema.index(of: "subject_type"), schema.index(of: "revenue"), nil])
        let ignored = map.warnings.filter { $0.message.contains("已忽略") }
        #expect(ignored.count == 1)
        #expect(ignored.first?.severity == .warning)
        #expect(ignored.first?.message.contains("'营业收入x'") == true)
    }

    /// Data-administrator review: the shipped schema took `营业收入` (no unit) as 年营业收入(万元),
    /// while a 税务 export headed so counts in 元: every value 10,000 times off, silently. And
    /// `营业收入(元)` got "did you mean 营业收入(万元)?", which invited renaming it. Both are refused
    /// now with what to do; the right unit is read as before.
    @Test func aMoneyHeaderInAnotherUnitOrWithoutOneIsRefusedWithWhatToDo() throws {
        let schema = try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml"))
        let base = ["统一社会信用代码", "企业名称", "主体类型"]
        func problems(_ header: String) -> [String] {
            do {
                _ = try HeaderMap(headers: base + [header], schema: schema, file: "a.csv")
                return []
            } catch let list as DiagnosticList {
                return list.diagnostics.map(\.message)
            } catch { return ["\(error)"] }
        }
        for header in ["营业收入", "年营业收入", " 资产总额", "研发投入", "首贷金额", "股权融资"] {
            let p = problems(header)
            #expect(p.count == 1 && p[0].contains("没有写明单位") && p[0].contains("以万元计") && p[0].contains("除以 10000"), "\(header): \(p)")
            #expect(!p.joined().contains("是否应为"), "\(header): \(p)")
        }
        for header in ["营业收入(元)", "年营业收入（元）", "资产总额(元)"] {
            let p = problems(header)
            #expect(p.count == 1 && p[0].contains("以元计, 但字段") && p[0].contains("除以 10000"), "\(header): \(p)")
        }
        #expect(problems("月租金(万元)").first?.contains("乘以 10000") == true)
        for header in ["年营业收入(万元)", "营业收入(万元)", "营业收入（万元）", "月租金(元)", "月租金"] {
            #expect(problems(header).isEmpty, "\(header): \(problems(header))")
        }
        // With --allow-extra such a column is left out, and the warning says why.
        let map = try HeaderMap(headers: base + ["营业收入"], schema: schema, file: "a.csv", allowExtra: true)
        #expect(map.fieldIndexByColumn.last == .some(nil))
        #expect(map.warnings.contains { $0.message.contains("单位与字段年营业收入(万元)") }, "\(map.warnings)")
    }

    /// Data review: `上年度裁员率(%)` got "did you mean 上年度裁员率?", and once renamed its `0.8`
    /// (per cent) was read as 80%. It is refused with what to do.
    @Test func aPerCentHeaderForARatioFieldIsRefusedWithWhatToDo() throws {
        let schema = try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml"))
        let base = ["统一社会信用代码", "企业名称", "主体类型"]
        for header in ["上年度裁员率(%)", "上年度裁员率（％）", "上年度裁员率%"] {
            do {
                _ = try HeaderMap(headers: base + [header], schema: schema, file: "a.csv")
                Issue.record("\(header) was accepted")
            } catch let list as DiagnosticList {
                let p = list.diagnostics.map(\.message)
                #expect(p.count == 1 && p[0].contains("以百分数计") && p[0].contains("除以 100") && !p[0].contains("是否应为"), "\(header): \(p)")
            }
        }
        // A per-cent sign on a field that is no ratio is an unknown column as before.
        #expect(throws: DiagnosticList.self) { try HeaderMap(headers: base + ["从业人数(%)"], schema: schema, file: "a.csv") }
    }

    /// Found in the robustness review: these were "unknown column", exit 2.
    @Test func spacesLineBreaksAndATrailingColonInHeadersAreIgnored() throws {
        let schema = try ProfileFixtures.schema()
        let map = try HeaderMap(headers: ["信用代码", "企业名称：", "主体\n类型", "年营业收入 (万元)"], schema: schema, file: "a.csv")
        #expect(map.fieldIndexByColumn == [schema.index(of: "credit_code"), schema.index(of: "name"),
                                           schema.index(of: "subject_type"), schema.index(of: "revenue")])
    }

    /// A field with a default and no column: every row takes the default, which can decide rules
    /// silently, so the operator is told which ones.
    @Test func aDefaultedFieldWithoutAColumnIsAWarning() throws {
        let dir = try TemporaryDirectory()
        // The fixture's last field is `tags`: give it a default, then add one more defaulted field.
        let schema = try Schema.load(from: dir.write("schema.yaml", ProfileFixtures.schemaYAML + """

                default: []
              - { name: dishonest, type: boolean, label: 失信被执行人, default: 否 }
            """))
        #expect(schema.field(named: "tags")?.defaultValue == .list([]))
        let without = try HeaderMap(headers: ["credit_code", "name", "subject_type", "失信被执行人"], schema: schema, file: "a.csv")
        #expect(without.warnings.count == 2, "the defaulted fields, then the optional fields every business lacks")
        let warning = try #require(without.warnings.first)
        #expect(warning.severity == .warning)
        #expect(warning.description.hasPrefix("a.csv:1: "))
        #expect(warning.message.contains("标签(tags) = (空)"))
        #expect(!warning.message.contains("dishonest"))
        let with = try HeaderMap(headers: ["credit_code", "name", "subject_type", "标签", "失信被执行人", "从业人数"],
                                 schema: schema, file: "a.csv")
        #expect(!with.warnings.contains { $0.message.contains("默认值") })
    }

    /// Found in review: an export without a column (租用国有物业) made a rule 待定 for nearly every
    /// business with no word why. Every optional field without a default and without a column is
    /// now named, once per file; a complete header gets no warning.
    @Test func optionalFieldsWithoutAColumnAreNamedOnce() throws {
        let schema = try ProfileFixtures.schema()
        let some = try HeaderMap(headers: ["credit_code", "name", "subject_type", "街道"], schema: schema, file: "a.csv")
        let absent = try #require(some.warnings.first { $0.message.contains("每家企业都缺少") })
        let expected = schema.fields.filter { !$0.required && $0.defaultValue == nil && $0.name != "street" }.map(\.displayName)
        #expect(absent.message.hasSuffix(": " + expected.joined(separator: ", ")), "\(absent.message)")
        #expect(!absent.message.contains("街道(street)") && !absent.message.contains("employees"))
        let all = try HeaderMap(headers: schema.fields.map(\.name), schema: schema, file: "a.csv")
        #expect(all.warnings.isEmpty)
    }

    @Test func unknownColumnIsAnErrorNamingColumnAndFile() throws {
        let schema = try ProfileFixtures.schema()
        let error = #expect(throws: DiagnosticList.self) {
            try HeaderMap(headers: ["credit_code", "name", "subject_type", "从业人员"], schema: schema, file: "Samples/a.csv")
        }
        let problem = try #require(error?.diagnostics.first)
        #expect(error?.diagnostics.count == 1)
        #expect(problem.file == "Samples/a.csv")
        #expect(problem.line == 1)
        #expect(problem.message.contains("未知列'从业人员'(第4列)"))
        #expect(problem.message.contains("是否应为'从业人数'?"))
        #expect(problem.description.hasPrefix("Samples/a.csv:1: "))
    }

    @Test func duplicateColumnsAndMissingRequiredColumns() throws {
        let schema = try ProfileFixtures.schema()
        let error = #expect(throws: DiagnosticList.self) {
            try HeaderMap(headers: ["credit_code", "名称", "", "信用代码"], schema: schema, file: "a.csv")
        }
        let messages = error?.diagnostics.map(\.message) ?? []
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("第1列'credit_code'和第4列'信用代码'都对应字段统一社会信用代码(credit_code)") })
        #expect(messages.contains { $0.contains("第3列的表头为空") })
        #expect(messages.contains { $0.contains("缺少必填列主体类型(subject_type)") })
    }

    /// Data-administrator review: the empty columns Excel leaves after a table were refused unless
    /// --allow-extra (which also lets mistyped headers through); a title row above the table gave
    /// a list of unknown and empty columns without saying what was wrong.
    @Test func trailingEmptyColumnsAreLeftOutAndATitleRowIsNamed() throws {
        let schema = try ProfileFixtures.schema()
        let map = try HeaderMap(headers: ["信用代码", "名称", "主体类型", "", " ", ""], schema: schema, file: "a.csv")
        #expect(map.fieldIndexByColumn.suffix(3) == [nil, nil, nil])
        #expect(map.warnings.contains { $0.message.hasPrefix("第4–6列的表头为空, 已忽略") }, "\(map.warnings)")
        // Final review: data under such a column is not read, and a warning says so (once a file).
        let dir = try TemporaryDirectory()
        let csv = try dir.write("a.csv", "信用代码,名称,主体类型,,\n\(ProfileFixtures.creditCode(1)),甲,企业,,\n\(ProfileFixtures.creditCode(2)),乙,企业,,重要数据\n")
        var stream = try ProfileStream(files: [csv], schema: schema)
        let (profiles, _) = try stream.readAll()
        #expect(profiles.count == 2)
        let unread = stream.warnings.filter { $0.message.contains("没有表头, 这一行在该列的数据") }
        #expect(unread.count == 1 && unread.first?.line == 3 && unread.first?.message.hasPrefix("第5列") == true, "\(stream.warnings)")
        let error = #expect(throws: DiagnosticList.self) {
            try HeaderMap(headers: ["宝安区企业名录 2025年", "", "", "", ""], schema: schema, file: "a.csv")
        }
        #expect(error?.diagnostics.first?.message.hasPrefix("第1行不像表头, 像是表格上方的标题行") == true, "\(error?.diagnostics ?? [])")
    }
}
