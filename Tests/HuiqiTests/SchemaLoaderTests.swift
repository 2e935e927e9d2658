import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct SchemaLoaderTests {
    /// The diagnostics `Schema.load` throws for `yaml`, or none when it loads.
    private func problems(_ yaml: String) throws -> [Diagnostic] {
        let dir = try TemporaryDirectory()
        let url = try dir.write("schema.yaml", yaml)
        do {
            _ = try Schema.load(from: url)
            return []
        } catch let list as DiagnosticList {
            return list.diagnostics
        }
    }

    /// The mandatory core fields, to which tests append the field under test.
    private let core = """
        fields:
          - { name: credit_code, type: string, label: 统一社会信用代码, required: true }
          - { name: name, type: string, label: 企业名称, required: true }
          - name: subject_type
            type: enum
            label: 主体类型
            required: true
            values: [enterprise, individual, market]

        """

    /// `min`/`max` bound numbers (robustness review: negative rents and absurd counts were decided).
    @Test func numericFieldsTakeBoundsAndValuesOutsideThemAreRefused() throws {
        let dir = try TemporaryDirectory()
        let schema = try Schema.load(from: dir.write("schema.yaml", core + """
              - { name: employees, type: integer, label: 从业人数, min: 0, max: 1000000 }
              - { name: layoff_rate, type: decimal, label: 裁员率, min: 0, max: 1 }
            """))
        let employees = try #require(schema.field(named: "employees"))
        #expect(employees.minimum == 0 && employees.maximum == 1_000_000)
        func message(_ text: String, _ field: SchemaField) -> String? {
            if case .failure(let e) = FieldCoercer.coerce(text, as: field) { return e.message }
            return nil
        }
        #expect(message("-5", employees) == "从业人数(employees): '-5' 小于最小值 0")
        #expect(message("9223372036854775807", employees) == "从业人数(employees): '9223372036854775807' 大于最大值 1000000")
        #expect(message("1000000", employees) == nil && message("0", employees) == nil)
        #expect(message("－５", employees) == "从业人数(employees): '－５' 小于最小值 0", "full-width, still bounded")
        let rate = try #require(schema.field(named: "layoff_rate"))
        #expect(message("1.5", rate) == "裁员率(layoff_rate): '1.5' 大于最大值 1 (比例写小数; 若是百分之1.5, 请写 1.5% 或 0.015)")
        if case .success = FieldCoercer.coerce(json: NSNumber(value: -1), as: rate) { Issue.record("a JSON number below min was accepted") }
        let bad = try problems(core + """
              - { name: street, type: string, label: 街道, min: 0 }
              - { name: employees, type: integer, label: 从业人数, min: 10, max: 1 }
              - { name: revenue, type: decimal, label: 营业收入, max: 很多 }
            """)
        let messages = bad.map(\.description)
        #expect(messages.contains { $0.contains("only integer and decimal fields have 'min'") }, "\(messages)")
        #expect(messages.contains { $0.contains("min 10 is above max 1") }, "\(messages)")
        #expect(messages.contains { $0.contains(".max: expected a number") }, "\(messages)")
    }

    @Test func loadsTheFixtureSchema() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("schema.yaml", ProfileFixtures.schemaYAML)
        let schema = try Schema.load(from: url)
        #expect(schema.version == "2024.1")
        #expect(schema.fields.map(\.name) == ["credit_code", "name", "subject_type", "street", "established_on",
                                              "employees", "revenue", "high_tech", "tax_credit_rating", "tags"])
        let subjectType = try #require(schema.field(named: "subject_type"))
        #expect(subjectType.type == .enum)
        #expect(subjectType.required)
        #expect(subjectType.values[1] == SchemaField.EnumValue(value: "individual", label: "个体工商户", aliases: ["个体户"]))
        #expect(schema.field(named: "credit_code")?.aliases == ["信用代码", "社会信用代码"])
        #expect(schema.field(named: "employees")?.defaultValue == .integer(0))
        #expect(schema.field(named: "tax_credit_rating")?.values.map(\.value) == ["A", "B", "M", "C", "D"])
        #expect(schema.path == url.relativePath)
    }

    @Test func aByteOrderMarkIsAccepted() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("schema.yaml", bytes: [0xEF, 0xBB, 0xBF] + Array(ProfileFixtures.schemaYAML.utf8))
        #expect(try Schema.load(from: url).fields.count == 10)
    }

    @Test func sha256IsTheDigestOfTheFileBytes() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("schema.yaml", ProfileFixtures.schemaYAML)
        let schema = try Schema.load(from: url)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [url.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(schema.sha256 == String(output.prefix(64)))

        let changed = try Schema.load(from: dir.write("other.yaml", ProfileFixtures.schemaYAML + "\n"))
        #expect(changed.sha256 != schema.sha256)
    }

    @Test func unknownTypeNamesThePathAndSuggests() throws {
        let found = try problems(core + """
              - { name: employees, type: int, label: 从业人数 }
            """)
        let problem = try #require(found.first)
        #expect(found.count == 1)
        #expect(problem.path == "fields[3].type")
        #expect(problem.file?.hasSuffix("schema.yaml") == true)
        #expect(problem.line == 9)
        #expect(problem.message.contains("unknown type 'int'"))
        #expect(problem.message.contains("did you mean 'integer'?"))
        #expect(problem.message.contains("expected one of string, integer, decimal, boolean, date, enum, list"))
    }

    @Test func reportsEveryProblemWithItsPath() throws {
        let found = try problems(core + """
              - { name: EmployeeCount, type: integer, label: 从业人数 }
              - { name: revenue, type: decimal, label: 营业收入, values: [a] }
              - { name: rating, type: enum, label: 等级 }
              - { name: revenue, type: decimal, label: 收入 }
              - { name: end, type: boolean, label: 结束 }
              - { name: staff, type: integer, label: 人数, default: "12.5" }
              - { name: rent, type: decimal, label: 月租金, requried: true }
              - { name: opened, type: date, label: 开业日期, default: 2023-02-29 }
            """)
        let byPath = Dictionary(grouping: found, by: { $0.path ?? "" })
        #expect(byPath["fields[3].name"]?.first?.message.contains("'EmployeeCount' is not snake_case") == true)
        #expect(byPath["fields[4].values"]?.first?.message.contains("only enum fields have 'values'") == true)
        #expect(byPath["fields[5].values"]?.first?.message.contains("an enum field needs 'values'") == true)
        #expect(byPath["fields[6].name"]?.first?.message.contains("duplicate field name 'revenue' (first declared at fields[4])") == true)
        #expect(byPath["fields[7].name"]?.first?.message.contains("Lua keyword") == true)
        #expect(byPath["fields[8].default"]?.first?.message.contains("人数(staff): '12.5' 不是整数") == true)
        #expect(byPath["fields[9].requried"]?.first?.message.contains("did you mean 'required'?") == true)
        #expect(byPath["fields[10].default"]?.first?.message.contains("不是有效日期") == true)
        #expect(found.count == 8)
        #expect(found.allSatisfy { $0.line != nil && $0.severity == .error })
    }

    @Test func labelsAndAliasesMustNotCollideBetweenFields() throws {
        let found = try problems(core + """
              - { name: revenue, type: decimal, label: 营业收入 }
              - { name: income, type: decimal, label: 收入, aliases: [ 营业收入 ] }
              - { name: staff, type: integer, label: "Name" }
            """)
        #expect(found.count == 2)
        let alias = try #require(found.first { $0.path == "fields[4].aliases[0]" })
        #expect(alias.message.contains("'营业收入' is already used by field 'revenue' (fields[3].label)"))
        // Matching ignores ASCII case, so the label "Name" would shadow the field `name`.
        let label = try #require(found.first { $0.path == "fields[5].label" })
        #expect(label.message.contains("already used by field 'name'"))
    }

    @Test func enumValueSpellingsMustBeUnambiguous() throws {
        let found = try problems(core + """
              - name: rating
                type: enum
                label: 等级
                values:
                  - { value: A, label: 甲 }
                  - { value: B, aliases: [甲] }
                  - A
            """)
        #expect(found.map(\.path) == ["fields[3].values[1]", "fields[3].values[2].value"])
        #expect(found[0].message.contains("'甲' already stands for the value 'A'"))
        #expect(found[1].message.contains("duplicate value 'A'"))
    }

    @Test func coreFieldsArePresentWithTheirTypes() throws {
        let found = try problems("""
            fields:
              - { name: credit_code, type: integer, label: 信用代码, required: true }
              - name: subject_type
                type: enum
                label: 主体类型
                values: [enterprise, individual]
              - { name: employees, type: string, label: 从业人数 }
            """)
        let messages = found.map { "\($0.path ?? ""): \($0.message)" }
        #expect(messages.contains("fields[0].type: core field 'credit_code' must have type string, not integer"))
        #expect(messages.contains("fields: missing core field 'name' (type string, required: true)"))
        #expect(messages.contains("fields[1].required: core field 'subject_type' must be required: true"))
        #expect(messages.contains { $0.hasPrefix("fields[1].values: core field 'subject_type' must allow market") })
        #expect(found.count == 4)
    }

    /// Only the fields the engine itself relies on have fixed types: a bundle may keep `street` as an
    /// enum of its streets, or type another §3 field its own way.
    @Test func streetMayBeAnEnumAndOtherCoreFieldsAreTheBundlesChoice() throws {
        let found = try problems("""
            fields:
              - { name: credit_code, type: string, label: 信用代码, required: true }
              - { name: name, type: string, label: 名称, required: true }
              - { name: subject_type, type: enum, label: 主体类型, required: true, values: [enterprise, individual, market] }
              - { name: street, type: enum, label: 街道, values: [新安街道, 西乡街道] }
              - { name: employees, type: decimal, label: 从业人数 }
            """)
        #expect(found.isEmpty, "\(found)")
        let wrong = try problems("""
            fields:
              - { name: credit_code, type: string, label: 信用代码, required: true }
              - { name: name, type: string, label: 名称, required: true }
              - { name: subject_type, type: enum, label: 主体类型, required: true, values: [enterprise, individual, market] }
              - { name: street, type: integer, label: 街道 }
            """)
        #expect(wrong.map(\.message) == ["core field 'street' must have type string or enum, not integer"])
    }

    @Test func requiredFieldsCannotHaveDefaults() throws {
        let found = try problems(core + """
              - { name: street, type: string, label: 街道, required: true, default: 新安街道 }
            """)
        #expect(found.map(\.path) == ["fields[3].default"])
    }

    @Test func defaultsAreCoercedToTheFieldType() throws {
        let dir = try TemporaryDirectory()
        let schema = try Schema.load(from: dir.write("schema.yaml", core + """
              - { name: high_tech, type: boolean, label: 高新, default: 否 }
              - { name: opened, type: date, label: 开业, default: 2020/1/5 }
              - { name: tags, type: list, label: 标签, default: [a, b] }
              - { name: kind, type: enum, label: 类别, values: [{ value: x, label: 甲 }], default: 甲 }
              - { name: note, type: string, label: 备注, default: ~ }
            """))
        #expect(schema.field(named: "high_tech")?.defaultValue == .boolean(false))
        #expect(schema.field(named: "opened")?.defaultValue == .date("2020-01-05"))
        #expect(schema.field(named: "tags")?.defaultValue == .list(["a", "b"]))
        #expect(schema.field(named: "kind")?.defaultValue == .string("x"))
        #expect(schema.field(named: "note")?.defaultValue == nil)
    }

    /// `default: []` on a list: a profile without the field has no items (it used to mean no
    /// default at all, silently).
    @Test func anEmptyListDefaultIsAnEmptyList() throws {
        let dir = try TemporaryDirectory()
        let schema = try Schema.load(from: dir.write("schema.yaml", core + """
              - { name: tags, type: list, label: 标签, default: [] }
            """))
        #expect(schema.field(named: "tags")?.defaultValue == .list([]))
    }

    @Test func yamlSyntaxErrorsCarryTheLine() throws {
        let found = try problems("fields:\n  - { name: a, type: string\n  - b\n")
        #expect(found.count == 1)
        #expect(found.first?.line != nil)
        #expect(found.first?.message.contains("YAML syntax error") == true)
    }

    @Test func duplicateKeysAndUnknownTopLevelKeysAreErrors() throws {
        let duplicate = try problems(core + """
              - { name: street, type: string, label: 街道, label: 街 }
            """)
        #expect(duplicate.first?.message.contains("duplicate key(s) 'label'") == true)

        let unknown = try problems("version: 1\nfeilds: []\n")
        #expect(unknown.contains { $0.path == "feilds" && $0.message.contains("did you mean 'fields'?") })
        #expect(unknown.contains { $0.message.contains("missing 'fields'") })
    }

    @Test func missingFileIsADiagnostic() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: DiagnosticList.self) { try Schema.load(from: dir.file("absent.yaml")) }
        #expect(error?.diagnostics.first?.file?.hasSuffix("absent.yaml") == true)
    }
}
