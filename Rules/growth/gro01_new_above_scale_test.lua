return {
  {
    name = "2025年1月新入库规上工业: 符合, 金额资料未找到不测算",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                above_scale = true, above_scale_since = "2025-01-15", dishonest = false },
    expect = { ["GRO-01"] = { outcome = "eligible",
                              reasons = { "已纳入四上(规上)统计", "评估日前12个月内新纳入四上统计", "未列入失信被执行人名单" } } },
  },
  {
    name = "2019年入库的老规上企业",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                above_scale = true, above_scale_since = "2019-03-01", dishonest = false },
    expect = { ["GRO-01"] = { outcome = "ineligible", reasons = { "评估日前12个月内新纳入四上统计" } } },
  },
  {
    name = "未入库: 入库日期缺失也已可判定不符",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                above_scale = false, dishonest = false },
    expect = { ["GRO-01"] = "ineligible" },
  },
  {
    name = "已入库但缺入库日期: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                above_scale = true, dishonest = false },
    expect = { ["GRO-01"] = "undetermined" },
  },
}
