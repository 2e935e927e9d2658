return {
  {
    name = "沙井街道的规上企业纳入走访",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                above_scale = true, street = "沙井街道" },
    expect = { ["SVC-01"] = "eligible" },
  },
  {
    name = "非四上企业同样纳入走访 (四上挂点是2020年计划的做法)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安小微电子有限公司", subject_type = "enterprise",
                above_scale = false, street = "航城街道" },
    expect = { ["SVC-01"] = { outcome = "eligible", reasons = { "所属街道为宝安区10个街道之一" } } },
  },
  {
    name = "街道写作简称或拼音也能识别",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                street = "xinan" },
    expect = { ["SVC-01"] = "eligible" },
  },
  {
    name = "所属街道不在宝安区",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00006Y", name = "深圳市宝安百川贸易有限公司", subject_type = "enterprise",
                street = "粤海街道" },
    expect = { ["SVC-01"] = { outcome = "ineligible", reasons = { "所属街道为宝安区10个街道之一" } } },
  },
  {
    name = "个体工商户不在企业走访范围",
    as_of = "2025-06-01",
    profile = { credit_code = "92440300MA5H00001C", name = "宝安区新安美味餐馆", subject_type = "individual", street = "新安" },
    expect = { ["SVC-01"] = "ineligible" },
  },
  {
    name = "缺街道: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00002J", name = "深圳市宝安云启软件有限公司", subject_type = "enterprise" },
    expect = { ["SVC-01"] = "undetermined" },
  },
}
