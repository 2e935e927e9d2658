return {
  {
    name = "小型电子企业: 成立6年, 营收3000万元, 研发150万元(5%)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "C3981", employees = 120, revenue = 3000, rd_expense = 150,
                established_on = "2019-05-20" },
    expect = { ["QUA-01"] = "eligible" },
  },
  {
    name = "营收800万元但近2年股权融资2500万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "I6513", employees = 60, revenue = 800, rd_expense = 120,
                established_on = "2021-08-01", equity_financing_2y = 2500 },
    expect = { ["QUA-01"] = "eligible" },
  },
  {
    name = "研发投入不足, 营收不足且无融资",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "C2929", employees = 40, revenue = 900, rd_expense = 20,
                established_on = "2015-01-01", equity_financing_2y = 0 },
    expect = { ["QUA-01"] = { outcome = "ineligible", reasons = {
      "上年度研发费用不低于100万元且占营业收入不低于3%",
      "上年度营业收入不低于1000万元, 或近2年股权融资不低于2000万元" } } },
  },
  {
    name = "已认定专精特新",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                specialized = true, industry_code = "C3525", employees = 280, revenue = 9000, rd_expense = 500,
                established_on = "2012-06-01" },
    expect = { ["QUA-01"] = { outcome = "ineligible", reasons = { "尚未认定为专精特新中小企业" } } },
  },
  {
    name = "缺研发费用: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000085", name = "深圳市宝安启航科技有限公司", subject_type = "enterprise",
                specialized = false, industry_code = "M7320", employees = 50, revenue = 2000,
                established_on = "2018-01-01" },
    expect = { ["QUA-01"] = "undetermined" },
  },
}
