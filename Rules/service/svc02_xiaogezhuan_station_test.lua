return {
  {
    name = "个体工商户",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00004M", name = "宝安区福永星光服装店", subject_type = "individual" },
    expect = { ["SVC-02"] = "eligible", ["PARTY-01"] = "undetermined" },
  },
  {
    name = "小型物流企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00005U", name = "深圳市宝安海纳物流有限公司", subject_type = "enterprise",
                industry_code = "G5431", employees = 80, revenue = 2500 },
    expect = { ["SVC-02"] = "eligible" },
  },
  {
    name = "中型物流企业(交通运输业从业300人以上、营收3000万元以上)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00005U", name = "深圳市宝安海纳物流有限公司", subject_type = "enterprise",
                industry_code = "G5431", employees = 320, revenue = 3500 },
    expect = { ["SVC-02"] = { outcome = "ineligible", reasons = { "小微企业、个体工商户或专业市场(小个专)" } } },
  },
  {
    name = "企业缺规模数据: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                industry_code = "F5212" },
    expect = { ["SVC-02"] = "undetermined" },
  },
}
