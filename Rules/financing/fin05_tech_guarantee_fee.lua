-- FIN-05 科技型企业担保费补贴
-- 深圳科技型企业贷款贴息贴保 (domain F3): 担保费补贴50%, 每家每年最高30万元。
local baoan = require("baoan")

return {
  id = "fin.tech-guarantee-fee",
  service = "FIN-05",
  subjects = { "enterprise" },
  conditions = {
    { "国家高新技术企业或入库科技型中小企业", function(p) return baoan.is_sci_tech(p) end },
    { "上年度有贷款担保费支出", function(p) return p.guarantee_fee_paid > 0 end },
  },
  amount = function(p, ctx)
    return baoan.yuan(math.min(p.guarantee_fee_paid * ctx.params.subsidy_share, ctx.params.annual_cap))
  end,
  score = 6,
}
