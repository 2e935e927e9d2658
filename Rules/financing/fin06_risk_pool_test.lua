return {
  {
    name = "个体工商户可经合作银行申请",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                dishonest = false, has_bank_loan = false },
    expect = { ["FIN-06"] = "eligible" },
  },
  {
    name = "小型零售企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                industry_code = "F5212", employees = 25, revenue = 800, dishonest = false },
    expect = { ["FIN-06"] = "eligible" },
  },
  {
    name = "大型工业企业不属中小微",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                industry_code = "C3851", employees = 2600, revenue = 120000, dishonest = false },
    expect = { ["FIN-06"] = { outcome = "ineligible", reasons = { "中小微企业或个体工商户" } } },
  },
  {
    name = "失信被执行人",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                industry_code = "F5212", employees = 25, revenue = 800, dishonest = true },
    expect = { ["FIN-06"] = { outcome = "ineligible", reasons = { "未列入失信被执行人名单" } } },
  },
  {
    name = "缺行业代码无法划型: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                employees = 30, revenue = 900, dishonest = false },
    expect = { ["FIN-06"] = "undetermined" },
  },
}
