return {
  {
    name = "列入经营异常名录的个体户",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00003J", name = "宝安区沙井老陈蚝庄", subject_type = "individual",
                abnormal_operation = true },
    expect = { ["COM-01"] = "eligible" },
  },
  {
    name = "经营正常",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                abnormal_operation = false },
    expect = { ["COM-01"] = { outcome = "ineligible", reasons = { "已列入经营异常名录" } } },
  },
  {
    name = "缺经营异常信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise" },
    expect = { ["COM-01"] = "undetermined" },
  },
}
