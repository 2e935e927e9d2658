-- FIN-07 战略性新兴产业信用贷款贴息
-- 深圳融资担保基金"政银担" (domain F5): 战略性新兴产业项目库企业的 **信用贷款** 按已付利息50%贴息,
-- 所以按 credit_loan_interest_paid (上年度信用贷款利息) 计算, 不是全部贷款利息。
-- 每年上限资料未找到, 以参数 annual_cap 给出 (待核实)。
-- 与 FIN-04 (科技型企业贷款贴息) 叠加时 FIN-04 优先, 两项合计不超过实付利息 (lib/loan_subsidy.lua):
-- 需要 FIN-04 的金额时金额函数读取 FIN-04 的字段, 缺了就 "无法计算金额" (待定)。
local loan_subsidy = require("loan_subsidy")

return {
  id = "fin.strategic-credit-loan",
  service = "FIN-07",
  subjects = { "enterprise" },
  conditions = {
    { "已入战略性新兴产业项目库", function(p) return p.strategic_emerging end },
    { "有银行贷款记录", function(p) return p.has_bank_loan end },
    { "上年度有信用贷款利息支出", function(p) return p.credit_loan_interest_paid > 0 end },
  },
  amount = function(p, ctx)
    return loan_subsidy.credit_interest(p, ctx.params, ctx.as_of)
  end,
  score = 7,
}
