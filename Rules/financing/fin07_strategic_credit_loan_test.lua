return {
  {
    name = "战新项目库企业, 利息36万元: 贴息18万元",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00001F", name = "深圳市宝安恒达电子有限公司", subject_type = "enterprise",
                strategic_emerging = true, has_bank_loan = true, loan_interest_paid = 360000 },
    expect = { ["FIN-07"] = { outcome = "eligible", amount = 180000 } },
  },
  {
    name = "未入战新项目库且无贷款: 两条不符",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00004Q", name = "深圳市宝安立新塑胶有限公司", subject_type = "enterprise",
                strategic_emerging = false, has_bank_loan = false, loan_interest_paid = 0 },
    expect = { ["FIN-07"] = { outcome = "ineligible",
                              reasons = { "已入战略性新兴产业项目库", "有银行贷款记录", "上年度有贷款利息支出" } } },
  },
  {
    name = "缺战新入库信息: 待定",
    as_of = "2025-06-01",
    profile = { credit_code = "91440300MA5H00003M", name = "深圳市宝安精密模具有限公司", subject_type = "enterprise",
                has_bank_loan = true, loan_interest_paid = 100000 },
    expect = { ["FIN-07"] = "undetermined" },
  },
}
