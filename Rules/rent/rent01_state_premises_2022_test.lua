return {
  {
    name = "个体户租用国有物业, 月租8000元: 减免4.5个月即36000元",
    as_of = "2022-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                state_owned_premises = true, monthly_rent = 8000, dishonest = false },
    expect = { ["RENT-01"] = { outcome = "eligible", amount = 36000 } },
  },
  {
    name = "小型服务业企业(软件)",
    as_of = "2022-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise",
                industry_code = "I6513", employees = 35, revenue = 600, state_owned_premises = true,
                monthly_rent = 20000, dishonest = false },
    expect = { ["RENT-01"] = { outcome = "eligible", amount = 90000 } },
  },
  {
    name = "小型建筑企业既非制造业也非服务业",
    as_of = "2022-06-01",
    profile = { credit_code = "91440300MA5H000098", name = "深圳市宝安建工装饰有限公司", subject_type = "enterprise",
                industry_code = "E5011", revenue = 2000, total_assets = 1500, state_owned_premises = true,
                monthly_rent = 15000, dishonest = false },
    expect = { ["RENT-01"] = { outcome = "ineligible", reasons = { "个体工商户, 或制造业、服务业小微企业" } } },
  },
  {
    name = "租用私人物业",
    as_of = "2022-06-01",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual",
                state_owned_premises = false, dishonest = false },
    expect = { ["RENT-01"] = { outcome = "ineligible", reasons = { "承租国有物业(最终承租人)" } } },
  },
  {
    name = "缺是否租用国有物业: 待定",
    as_of = "2022-06-01",
    profile = { credit_code = "92440300MA5H00003J", name = "宝安区沙井老陈蚝庄", subject_type = "individual",
                dishonest = false },
    expect = { ["RENT-01"] = "undetermined" },
  },
}
