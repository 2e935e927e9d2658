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
        #expect(map.warnings.count == 1)
        #expect(map.warnings.first?.severity == .warning)
        #expect(map.warnings.first?.message.contains("'营业收入x'") == true)
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
            try HeaderMap(headers: ["credit_code", "名称", "信用代码", ""], schema: schema, file: "a.csv")
        }
        let messages = error?.diagnostics.map(\.message) ?? []
        #expect(messages.count == 3)
        #expect(messages.contains { $0.contains("第1列'credit_code'和第3列'信用代码'都对应字段统一社会信用代码(credit_code)") })
        #expect(messages.contains { $0.contains("第4列的表头为空") })
        #expect(messages.contains { $0.contains("缺少必填列主体类型(subject_type)") })
    }
}
