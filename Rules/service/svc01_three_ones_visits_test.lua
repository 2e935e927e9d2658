return {
  {
    name = "规上企业纳入挂点走访",
    as_of = "2026-11-22",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                above_scale = true, street = "沙井街道" },
    expect = { ["SVC-01"] = "eligible" },
  },
  {
    name = "非规上企业",
    as_of = "2026-11-22",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                above_scale = false },
    expect = { ["SVC-01"] = { outcome = "ineligible", reasons = { "四上(规上)企业" } } },
  },
  {
    name = "个体工商户不在挂点四上名单",
    as_of = "2026-11-22",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual" },
    expect = { ["SVC-01"] = "ineligible" },
  },
  {
    name = "缺规上信息: 待定",
    as_of = "2026-11-22",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise" },
    expect = { ["SVC-01"] = "undetermined" },
  },
}
