return {
  {
    name = "D级纳税人",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                tax_credit_rating = "D" },
    expect = { ["COM-02"] = "eligible" },
  },
  {
    name = "C级个体户",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual",
                tax_credit_rating = "C" },
    expect = { ["COM-02"] = "eligible" },
  },
  {
    name = "M级(新设立)不需修复",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                tax_credit_rating = "M" },
    expect = { ["COM-02"] = { outcome = "ineligible", reasons = { "纳税信用等级为C级或D级" } } },
  },
  {
    name = "缺纳税信用等级: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise" },
    expect = { ["COM-02"] = "undetermined" },
  },
}
