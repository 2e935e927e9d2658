return {
  {
    name = "专业市场尚未建党组织",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00011G", name = "深圳市宝安沙井电子专业市场管理有限公司", subject_type = "market",
                has_party_org = false },
    expect = { ["PARTY-01"] = "eligible" },
  },
  {
    name = "微型企业尚未建党组织",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                industry_code = "M7320", employees = 8, has_party_org = false },
    expect = { ["PARTY-01"] = "eligible" },
  },
  {
    name = "个体户已建党组织",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                has_party_org = true },
    expect = { ["PARTY-01"] = { outcome = "ineligible", reasons = { "尚未建立党组织" } } },
  },
  {
    name = "中型企业不属小个专",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                industry_code = "C3525", employees = 400, revenue = 9000, has_party_org = false },
    expect = { ["PARTY-01"] = { outcome = "ineligible", reasons = { "小微企业、个体工商户或专业市场(小个专)" } } },
  },
  {
    name = "缺党组织信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual" },
    expect = { ["PARTY-01"] = "undetermined" },
  },
}
