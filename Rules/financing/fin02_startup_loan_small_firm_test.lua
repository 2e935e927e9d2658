return {
  {
    name = "小型制造企业, 新招用8人: 额度500万",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                industry_code = "C3981", employees = 45, revenue = 1800, dishonest = false, new_hires_12m = 8 },
    expect = { ["FIN-02"] = { outcome = "eligible", amount = 75000 } },
  },
  {
    name = "微型软件企业(营收低于50万元即微型, 不需从业人数): 额度400万",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                industry_code = "I6513", revenue = 30, dishonest = false },
    expect = { ["FIN-02"] = { outcome = "eligible", amount = 60000 } },
  },
  {
    name = "中型工业企业不属小微",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                industry_code = "C3525", employees = 400, revenue = 9000, dishonest = false },
    expect = { ["FIN-02"] = { outcome = "ineligible", reasons = { "小型或微型企业" } } },
  },
  {
    name = "工业企业缺从业人数, 营收达小型标准: 无法划型, 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                industry_code = "C2929", revenue = 1500, dishonest = false },
    expect = { ["FIN-02"] = "undetermined" },
  },
  {
    name = "边界: 新招用恰好5人(5人以上含5人): 额度500万",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                industry_code = "C3981", employees = 45, revenue = 1800, dishonest = false, new_hires_12m = 5 },
    expect = { ["FIN-02"] = { outcome = "eligible", amount = 75000 } },
  },
  {
    name = "边界: 新招用4人, 不足5人: 额度400万",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                industry_code = "C3981", employees = 45, revenue = 1800, dishonest = false, new_hires_12m = 4 },
    expect = { ["FIN-02"] = { outcome = "eligible", amount = 60000 } },
  },
}
