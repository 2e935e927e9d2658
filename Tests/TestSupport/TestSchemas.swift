import Huiqi

/// Schemas built in code for tests that must not depend on the shipped `Rules/schema.yaml`.
public enum TestSchemas {
    /// Every core field of PRODUCT.md §3 with its type and a Chinese label.
    public static let core = Schema(fields: coreFields, path: "TestSchemas.core")

    public static let streets = ["新安", "西乡", "航城", "福永", "福海", "沙井", "新桥", "松岗", "燕罗", "石岩"]

    public static let coreFields: [SchemaField] = [
        SchemaField(name: "credit_code", type: .string, label: "统一社会信用代码", aliases: ["信用代码"], required: true),
        SchemaField(name: "name", type: .string, label: "名称", aliases: ["企业名称", "主体名称"], required: true),
        SchemaField(name: "subject_type", type: .enum, label: "主体类型", required: true, values: [
            .init(value: "enterprise", label: "企业"),
            .init(value: "individual", label: "个体工商户", aliases: ["个体户"]),
            .init(value: "market", label: "专业市场"),
        ]),
        SchemaField(name: "industry_code", type: .string, label: "行业代码"),
        SchemaField(name: "street", type: .enum, label: "所属街道",
                    values: streets.map { .init(value: $0, aliases: [$0 + "街道"]) }),
        SchemaField(name: "established_on", type: .date, label: "成立日期"),
        SchemaField(name: "employees", type: .integer, label: "从业人数"),
        SchemaField(name: "revenue", type: .decimal, label: "营业收入(万元)"),
        SchemaField(name: "total_assets", type: .decimal, label: "资产总额(万元)"),
        SchemaField(name: "tax_credit_rating", type: .enum, label: "纳税信用等级",
                    values: ["A", "B", "M", "C", "D"].map { .init(value: $0) }),
        SchemaField(name: "insured_employees", type: .integer, label: "参保人数"),
        SchemaField(name: "high_tech", type: .boolean, label: "高新技术企业"),
        SchemaField(name: "specialized", type: .boolean, label: "专精特新企业"),
        SchemaField(name: "has_party_org", type: .boolean, label: "已建党组织"),
        SchemaField(name: "state_owned_premises", type: .boolean, label: "租用国有物业"),
        SchemaField(name: "monthly_rent", type: .decimal, label: "月租金(元)"),
        SchemaField(name: "has_bank_loan", type: .boolean, label: "有银行贷款"),
        SchemaField(name: "rd_expense", type: .decimal, label: "研发费用(万元)"),
        SchemaField(name: "new_hires_12m", type: .integer, label: "近12个月新增就业人数"),
        SchemaField(name: "unemployment_insurance_paid", type: .decimal, label: "上年度失业保险缴费(元)"),
        SchemaField(name: "above_scale", type: .boolean, label: "规上企业"),
        SchemaField(name: "dishonest", type: .boolean, label: "失信被执行人"),
        SchemaField(name: "abnormal_operation", type: .boolean, label: "经营异常名录"),
        SchemaField(name: "tags", type: .list, label: "标签"),
    ]
}
