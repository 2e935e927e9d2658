import Foundation
import Huiqi

/// Schemas and credit codes for ingestion tests.
public enum ProfileFixtures {
    /// A small but complete schema: the three mandatory core fields plus one field of every type.
    public static let schemaYAML = """
        version: "2024.1"
        fields:
          - name: credit_code
            type: string
            label: 统一社会信用代码
            aliases: [信用代码, 社会信用代码]
            required: true
          - name: name
            type: string
            label: 企业名称
            aliases: [名称]
            required: true
          - name: subject_type
            type: enum
            label: 主体类型
            required: true
            values:
              - { value: enterprise, label: 企业, aliases: [公司, 有限公司] }
              - { value: individual, label: 个体工商户, aliases: [个体户] }
              - { value: market, label: 专业市场 }
          - name: street
            type: string
            label: 街道
          - name: established_on
            type: date
            label: 成立日期
          - name: employees
            type: integer
            label: 从业人数
            default: 0
          - name: revenue
            type: decimal
            label: 年营业收入(万元)
            aliases: [营业收入]
          - name: high_tech
            type: boolean
            label: 高新技术企业
          - name: tax_credit_rating
            type: enum
            label: 纳税信用等级
            values: [A, B, M, C, D]
          - name: tags
            type: list
            label: 标签
        """

    /// The parsed `schemaYAML`.
    public static func schema() throws -> Schema {
        let dir = try TemporaryDirectory()
        return try Schema.load(from: dir.write("schema.yaml", schemaYAML))
    }

    /// A valid credit code derived from `seed` (distinct seeds give distinct codes).
    public static func creditCode(_ seed: Int) -> String {
        let symbols = CreditCode.charset
        var body = Array("91440300")  // 工商 / 企业 / 深圳 region prefix
        var n = seed
        for _ in 0..<9 {
            body.append(symbols[n % 31])
            n /= 31
        }
        let first17 = String(body)
        guard let check = CreditCode.checkCharacter(for: first17) else { return first17 + "0" }
        return first17 + String(check)
    }
}
