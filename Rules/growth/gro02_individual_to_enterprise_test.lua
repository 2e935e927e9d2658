return {
  {
    name = "2025年3月个转企",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                converted_from_individual_on = "2025-03-18", dishonest = false },
    expect = { ["GRO-02"] = { outcome = "eligible", amount = 10000 } },
  },
  {
    name = "2023年转企, 已超过12个月",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000098", name = "深圳市宝安建工装饰有限公司", subject_type = "enterprise",
                converted_from_individual_on = "2023-07-01", dishonest = false },
    expect = { ["GRO-02"] = { outcome = "ineligible", reasons = { "评估日前12个月内由个体工商户转为企业" } } },
  },
  {
    name = "仍是个体工商户",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual" },
    expect = { ["GRO-02"] = "ineligible" },
  },
  {
    name = "企业未提供个转企日期: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                dishonest = false },
    expect = { ["GRO-02"] = "undetermined" },
  },
  {
    name = "边界: 恰好12个月前 (2024-06-01) 转企: 仍在12个月内",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                converted_from_individual_on = "2024-06-01", dishonest = false },
    expect = { ["GRO-02"] = { outcome = "eligible", amount = 10000 } },
  },
  {
    name = "边界: 2024-05-31 转企: 超过12个月",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                converted_from_individual_on = "2024-05-31", dishonest = false },
    expect = { ["GRO-02"] = { outcome = "ineligible", reasons = { "评估日前12个月内由个体工商户转为企业" } } },
  },
}
