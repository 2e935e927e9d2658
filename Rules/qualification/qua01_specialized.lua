-- QUA-01 专精特新中小企业认定辅导
-- 工信部《优质中小企业梯度培育管理暂行办法》(2022) (domain F11), 四项须同时满足:
--   1. 从事特定细分市场2年以上 (以成立满2年近似);
--   2. 上年度研发费用≥100万元, 且占营业收入≥3%;
--   3. 上年度营业收入≥1000万元, 或<1000万元但近2年新增股权融资≥2000万元;
--   4. 评价得分≥60分或满足直通条件 (须申报评审, 本规则不判断)。
-- 标签里的数字与 catalog.yaml 参数默认值一致; 改参数时请同步修改标签。
local baoan = require("baoan")

return {
  id = "qualification.specialized",
  service = "QUA-01",
  subjects = { "enterprise" },
  conditions = {
    { "尚未认定为专精特新中小企业", function(p) return not p.specialized end },
    { "中小企业(非大型)", function(p) return baoan.is_sme(p) end },
    { "从事细分市场2年以上(成立满2年)", function(p, ctx)
        return baoan.at_least_months(p.established_on, ctx.as_of, 12 * ctx.params.min_years)
      end },
    { "上年度研发费用不低于100万元且占营业收入不低于3%", function(p, ctx)
        local prm = ctx.params
        return p.rd_expense >= prm.min_rd_expense and p.rd_expense >= p.revenue * prm.min_rd_ratio
      end },
    { "上年度营业收入不低于1000万元, 或近2年股权融资不低于2000万元", function(p, ctx)
        local prm = ctx.params
        if p.revenue >= prm.min_revenue then return true end
        return p.equity_financing_2y >= prm.min_equity_financing
      end },
  },
  score = 6,
}
