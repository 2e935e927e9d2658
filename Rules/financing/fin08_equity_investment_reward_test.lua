return {
  {
    name = "战新企业获区引导基金子基金投资5000万元: 5%即250万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                equity_financing_2y = 5000, tags = { "区引导基金子基金投资" }, strategic_emerging = true },
    expect = { ["FIN-08"] = { outcome = "eligible", amount = 2500000 } },
  },
  {
    name = "营收800万元, 获机构投资1亿元: 3%封顶200万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                equity_financing_2y = 10000, tags = { "出口企业" }, revenue = 800 },
    expect = { ["FIN-08"] = { outcome = "eligible", amount = 2000000 } },
  },
  {
    name = "投资额不足3000万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                equity_financing_2y = 1200, tags = { "出口企业" }, revenue = 5000 },
    expect = { ["FIN-08"] = "ineligible" },
  },
  {
    name = "未获股权投资",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                equity_financing_2y = 0 },
    expect = { ["FIN-08"] = { outcome = "ineligible", reasons = { "近两年未获得股权投资" } } },
  },
  {
    name = "获投资4000万元, 未填写标签 (视为没有引导基金标签): 按第二档3%即120万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00005U", name = "深圳市宝安海纳物流有限公司", subject_type = "enterprise",
                equity_financing_2y = 4000, revenue = 600 },
    expect = { ["FIN-08"] = { outcome = "eligible", amount = 1200000 } },
  },
}
