-- FIN-05 科技型企业担保费补贴
-- 深圳科技型企业贷款贴息贴保 (domain F3): 担保费补贴50%, 每家每年最高30万元;
-- 贴息、贴保合计每家每年最高100万元: 贷款贴息 (FIN-04) 优先, 本项只得 FIN-04 用剩的合计额度
-- (lib/loan_subsidy.lua, 与 FIN-04 同一算法、同一组参数)。FIN-04 的贴息额要读贷款记录、利息、首贷日期,
-- 缺了本项待定。
local baoan = require("baoan")
local loan_subsidy = require("loan_subsidy")

return {
  id = "fin.tech-guarantee-fee",
  service = "FIN-05",
  subjects = { "enterprise" },
  conditions = {
    { "国家高新技术企业或入库科技型中小企业", function(p) return baoan.is_sci_tech(p) end },
    { "上年度有贷款担保费支出", function(p) return p.guarantee_fee_paid > 0 end },
    { "贷款贴息(FIN-04)未用满贴息贴保每年合计上限100万元", function(p, ctx)
        return loan_subsidy.guarantee_room(p, ctx.params, ctx.as_of) > 0
      end },
  },
  amount = function(p, ctx)
    local prm = ctx.params
    local room = loan_subsidy.guarantee_room(p, prm, ctx.as_of)
    return baoan.yuan(math.min(p.guarantee_fee_paid * prm.subsidy_share, prm.annual_cap, room))
  end,
  score = 6,
}
