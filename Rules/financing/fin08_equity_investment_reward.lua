-- FIN-08 股权投资奖励 (宝安2018年产业扶持办法, domain F16; 现行有效性待核实)
--   第一档: 新兴、未来产业企业获区引导基金子基金投资, 按投资额5%奖励, 最高1000万元;
--   第二档: 年营业收入超过300万元且获认定机构投资3000万元以上, 按投资额3%奖励, 最高200万元。
-- 用 evaluate: 两档择一, 理由写明适用哪一档。金额单位: 投资额为万元, 奖励为元。
local baoan = require("baoan")

return {
  id = "fin.equity-investment-reward",
  service = "FIN-08",
  subjects = { "enterprise" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    local invest = p.equity_financing_2y
    if invest <= 0 then
      return ineligible("近两年未获得股权投资")
    end
    if baoan.has_tag(p, prm.guided_fund_tag) and p.strategic_emerging then
      local amount = math.min(invest * 10000 * prm.guided_fund_share, prm.guided_fund_cap)
      return eligible(string.format("新兴产业企业获区引导基金子基金投资%.0f万元, 按%g%%奖励", invest, prm.guided_fund_share * 100),
        { amount = baoan.yuan(amount) })
    end
    if p.revenue > prm.min_revenue and invest >= prm.min_investment then
      local amount = math.min(invest * 10000 * prm.investment_share, prm.investment_cap)
      return eligible(string.format("年营业收入%.0f万元, 获机构投资%.0f万元, 按%g%%奖励", p.revenue, invest, prm.investment_share * 100),
        { amount = baoan.yuan(amount) })
    end
    -- 理由写全两档的条件 (第一档须是新兴产业企业; 第二档营收须 **超过** 300万元), 数字取自参数。
    return ineligible(string.format("获股权投资%.0f万元, 未达奖励条件(新兴产业企业获区引导基金子基金投资, 或年营业收入超过%.0f万元且获机构投资不低于%.0f万元)",
      invest, prm.min_revenue, prm.min_investment))
  end,
  score = 8,
}
