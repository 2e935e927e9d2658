return {
  {
    name = "发展型: 经营5年, 雇员6人, 营收180万元",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual",
                established_on = "2020-03-10", employees = 6, tax_paid_last_year = true, revenue = 180 },
    expect = { ["GRO-03"] = "eligible" },
  },
  {
    name = "成长型: 经营2年, 无雇员但有纳税 (不需营业收入)",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00002F", name = "宝安区西乡顺达五金店", subject_type = "individual",
                established_on = "2023-04-01", employees = 0, tax_paid_last_year = true },
    expect = { ["GRO-03"] = "eligible" },
  },
  {
    name = "生存型: 开业不满1年",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00003J", name = "宝安区沙井老陈蚝庄", subject_type = "individual",
                established_on = "2024-09-01", employees = 2, tax_paid_last_year = false },
    expect = { ["GRO-03"] = "ineligible" },
  },
  {
    name = "企业不适用",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise" },
    expect = { ["GRO-03"] = "ineligible" },
  },
  {
    name = "经营4年、雇员5人, 但缺营业收入: 是否发展型待定",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00004M", name = "宝安区福永星光服装店", subject_type = "individual",
                established_on = "2021-01-05", employees = 5, tax_paid_last_year = true },
    expect = { ["GRO-03"] = "undetermined" },
  },
}
