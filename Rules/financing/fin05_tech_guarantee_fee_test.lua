return {
  {
    name = "科技型中小企业, 担保费8万元: 补贴4万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                sci_tech_sme = true, guarantee_fee_paid = 80000 },
    expect = { ["FIN-05"] = { outcome = "eligible", amount = 40000 } },
  },
  {
    name = "高企担保费100万元: 封顶30万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                high_tech = true, guarantee_fee_paid = 1000000 },
    expect = { ["FIN-05"] = { outcome = "eligible", amount = 300000 } },
  },
  {
    name = "科技型企业但无担保费",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                high_tech = true, guarantee_fee_paid = 0 },
    expect = { ["FIN-05"] = { outcome = "ineligible", reasons = { "上年度有贷款担保费支出" } } },
  },
  {
    name = "非高企且未提供科技型中小企业信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                high_tech = false, guarantee_fee_paid = 20000 },
    expect = { ["FIN-05"] = "undetermined" },
  },
}
