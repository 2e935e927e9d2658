return {
  {
    name = "科技型中小企业直通(不需研发数据)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "I6513", employees = 60, revenue = 800, sci_tech_sme = true },
    expect = { ["QUA-03"] = "eligible" },
  },
  {
    name = "研发占比4%的小型制造企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "C2929", employees = 40, revenue = 900, rd_expense = 36 },
    expect = { ["QUA-03"] = "eligible" },
  },
  {
    name = "大型企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "C3851", employees = 2600, revenue = 120000, high_tech = true },
    expect = { ["QUA-03"] = { outcome = "ineligible", reasons = { "中小企业(非大型)" } } },
  },
  {
    name = "无研发投入",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "F5212", employees = 25, revenue = 800, rd_expense = 0 },
    expect = { ["QUA-03"] = { outcome = "ineligible",
                              reasons = { "高新技术企业、科技型中小企业, 或研发费用占营业收入不低于3%" } } },
  },
  {
    name = "缺专精特新信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                industry_code = "M7320", employees = 50, revenue = 2000, high_tech = true },
    expect = { ["QUA-03"] = "undetermined" },
  },
}
