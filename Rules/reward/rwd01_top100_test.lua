return {
  {
    name = "首次进入市百强: 100万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                tags = { "首次进入市百强" } },
    expect = { ["RWD-01"] = { outcome = "eligible", amount = 1000000 } },
  },
  {
    name = "同时首次进入省、市百强: 按省百强300万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H000072", name = "深圳市宝安华通电器股份有限公司", subject_type = "enterprise",
                tags = { "首次进入市百强", "首次进入省百强" } },
    expect = { ["RWD-01"] = { outcome = "eligible", amount = 3000000 } },
  },
  {
    name = "小微企业无百强标签",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                tags = { "区引导基金子基金投资" } },
    expect = { ["RWD-01"] = { outcome = "ineligible", reasons = { "未首次进入广东省或深圳市百强企业榜单" } } },
  },
  {
    name = "未填写标签: 没有百强标签, 不符合 (tags 默认空列表)",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise" },
    expect = { ["RWD-01"] = { outcome = "ineligible", reasons = { "未首次进入广东省或深圳市百强企业榜单" } } },
  },
}
