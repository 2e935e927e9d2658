return {
  {
    name = "专业市场(不需党组织信息)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00011G", name = "深圳市宝安沙井电子专业市场管理有限公司", subject_type = "market",
                dishonest = false, abnormal_operation = false },
    expect = { ["PARTY-02"] = "eligible" },
  },
  {
    name = "已建党组织的个体户",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                has_party_org = true, dishonest = false, abnormal_operation = false },
    expect = { ["PARTY-02"] = "eligible" },
  },
  {
    name = "列入经营异常名录不参加诚信创建",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                has_party_org = true, dishonest = false, abnormal_operation = true },
    expect = { ["PARTY-02"] = { outcome = "ineligible", reasons = { "未列入经营异常名录" } } },
  },
  {
    name = "未建党组织的企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                has_party_org = false, dishonest = false, abnormal_operation = false },
    expect = { ["PARTY-02"] = { outcome = "ineligible", reasons = { "已建立党组织或为专业市场" } } },
  },
  {
    name = "缺经营异常信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual",
                has_party_org = true, dishonest = false },
    expect = { ["PARTY-02"] = "undetermined" },
  },
}
