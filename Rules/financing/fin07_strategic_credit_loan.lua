-- FIN-07 战略性新兴产业信用贷款贴息
-- 深圳融资担保基金"政银担" (domain F5): 战略性新兴产业项目库企业的信用贷款按已付利息50%贴息。
-- 每年上限资料未找到, 以参数 annual_cap 给出 (待核实)。
local baoan = require("baoan")

return {
  id = "fin.strategic-credit-loan",
  service = "FIN-07",
  subjects = { "enterprise" },
  conditions = {
    { "已入战略性新兴产业项目库", function(p) return p.strategic_emerging end },
    { "有银行贷款记录", function(p) return p.has_bank_loan end },
    { "上年度有贷款利息支出", function(p) return p.loan_interest_paid > 0 end },
  },
  amount = function(p, ctx)
    return baoan.yuan(math.min(p.loan_interest_paid * ctx.params.subsidy_share, ctx.params.annual_cap))
  end,
  score = 7,
}
