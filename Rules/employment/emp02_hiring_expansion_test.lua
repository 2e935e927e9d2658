return {
  {
    name = "2024年招用3名高校毕业生, 参保满2个月: 4500元",
    as_of = "2024-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                youth_hires = 3, youth_min_insured_months = 2 },
    expect = { ["EMP-02"] = { outcome = "eligible", amount = 4500 } },
  },
  {
    name = "2025年仍按全国规定满1个月: 参保2个月符合(不采用外地满3个月的通知)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                youth_hires = 3, youth_min_insured_months = 2 },
    expect = { ["EMP-02"] = { outcome = "eligible", amount = 4500 } },
  },
  {
    name = "已招用但尚未缴满1个月社保",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                youth_hires = 2, youth_min_insured_months = 0 },
    expect = { ["EMP-02"] = { outcome = "ineligible", reasons = { "已为新招用人员缴纳社保满规定月数" } } },
  },
  {
    name = "2025年个体户招用1名登记失业青年, 参保4个月",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                youth_hires = 1, youth_min_insured_months = 4 },
    expect = { ["EMP-02"] = { outcome = "eligible", amount = 1500 } },
  },
  {
    name = "未招用青年",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                youth_hires = 0, youth_min_insured_months = 0 },
    expect = { ["EMP-02"] = "ineligible" },
  },
  {
    name = "有招用但缺参保月数: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                youth_hires = 2 },
    expect = { ["EMP-02"] = "undetermined" },
  },
}
