return {
  {
    name = "个体工商户, 近12个月带动6人就业: 额度60万, 按3.0%参考利率贴息一半",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                dishonest = false, new_hires_12m = 6 },
    expect = { ["FIN-01"] = { outcome = "eligible", amount = 9000 } },
  },
  {
    name = "个体工商户, 未提供带动就业人数: 按30万基础额度测算; 2024年11月参考利率3.1%",
    as_of = "2024-11-15",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual",
                dishonest = false },
    expect = { ["FIN-01"] = { outcome = "eligible", amount = 4650 } },
  },
  {
    name = "失信被执行人不予贴息",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00003J", name = "宝安区沙井老陈蚝庄", subject_type = "individual",
                dishonest = true },
    expect = { ["FIN-01"] = { outcome = "ineligible", reasons = { "未列入失信被执行人名单" } } },
  },
  {
    name = "企业不是个人借款人",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                dishonest = false },
    expect = { ["FIN-01"] = "ineligible" },
  },
  {
    name = "缺少失信信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00004M", name = "宝安区福永星光服装店", subject_type = "individual" },
    expect = { ["FIN-01"] = "undetermined" },
  },
}
