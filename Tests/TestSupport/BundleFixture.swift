import Foundation
import Huiqi

/// Writes small rules bundles and input files to a temporary directory for tests. The directory
/// is removed when the last copy of the fixture is released.
public struct BundleFixture {
    private let directory: TemporaryDirectory
    public var root: URL { directory.url }
    public var rulesDirectory: String { root.appendingPathComponent("Rules").path }

    /// A minimal schema with the core fields rules in tests use.
    public static let schemaYAML = """
    version: "test"
    fields:
      - { name: credit_code, type: string, label: 统一社会信用代码, required: true }
      - { name: name, type: string, label: 企业名称, required: true }
      - name: subject_type
        type: enum
        label: 主体类型
        required: true
        values:
          - { value: enterprise, label: 企业 }
          - { value: individual, label: 个体工商户, aliases: [个体户] }
          - { value: market, label: 专业市场 }
      - { name: street, type: string, label: 所属街道 }
      - { name: industry_code, type: string, label: 行业代码 }
      - { name: established_on, type: date, label: 成立日期 }
      - { name: employees, type: integer, label: 从业人数 }
      - { name: revenue, type: decimal, label: 年营业收入(万元) }
      - { name: total_assets, type: decimal, label: 资产总额(万元) }
      - { name: monthly_rent, type: decimal, label: 月租金(元) }
      - { name: state_owned_premises, type: boolean, label: 租用国有物业 }
      - { name: dishonest, type: boolean, label: 失信被执行人, default: false }
      - { name: tags, type: list, label: 标签 }
    """

    /// One service per id, always active, with a cap that changes on 2024-07-01.
    public static func catalogYAML(services: [String]) -> String {
        var text = "version: \"test-1\"\nservices:\n"
        for id in services {
            text += """
              - id: \(id)
                name: 服务\(id)
                category: rent
                mode: 免申即享
                params:
                  cap: { "2023-01-01": 50000, "2024-07-01": 80000 }
                  rate: 0.5

            """
        }
        return text
    }

    /// Creates `Rules/` with the schema, a catalog for `services`, and `files` (path → text).
    public init(services: [String] = ["SVC-01"], files: [String: String], schema: String = BundleFixture.schemaYAML) throws {
        directory = try TemporaryDirectory()
        let rules = root.appendingPathComponent("Rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try write("Rules/schema.yaml", schema)
        try write("Rules/catalog.yaml", BundleFixture.catalogYAML(services: services))
        for (path, text) in files { try write("Rules/" + path, text) }
    }

    /// Writes a file under the fixture root (creating folders) and returns its path.
    @discardableResult
    public func write(_ relative: String, _ text: String) throws -> String {
        let url = root.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    public func load() throws -> LoadedBundle { try LoadedBundle.load(directory: rulesDirectory) }

    /// A profile with the given values (by field name); other fields absent unless defaulted.
    public static func profile(_ schema: Schema, _ values: [String: FieldValue]) -> Profile {
        var row = schema.fields.map(\.defaultValue)
        row[schema.index(of: "credit_code") ?? 0] = .string("91350100M000100Y43")
        row[schema.index(of: "name") ?? 1] = .string("测试企业")
        row[schema.index(of: "subject_type") ?? 2] = .string("enterprise")
        for (k, v) in values { if let i = schema.index(of: k) { row[i] = v } }
        return Profile(values: row, source: "test", line: 1)
    }
}
