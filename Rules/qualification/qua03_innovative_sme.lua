-- QUA-03 创新型中小企业评价辅导
-- 工信部《优质中小企业梯度培育管理暂行办法》(2022) 梯度培育第一层级 (domain F11)。
-- 评价指标资料未找到; 初筛口径: 国家高新技术企业或科技型中小企业直通, 否则上年度研发费用占营业收入≥3%
-- (typical, unverified for Bao'an; 比例见参数 min_rd_ratio)。已认定专精特新的企业已在更高层级, 不再推送。
local baoan = require("baoan")

return {
  id = "qualification.innovative-sme",
  service = "QUA-03",
  subjects = { "enterprise" },
  conditions = {
    { "尚未认定为专精特新中小企业", function(p) return not p.specialized end },
    { "中小企业(非大型)", function(p) return baoan.is_sme(p) end },
    { "高新技术企业、科技型中小企业, 或研发费用占营业收入不低于3%", function(p, ctx)
        if has(p, "high_tech") and p.high_tech then return true end
        if has(p, "sci_tech_sme") and p.sci_tech_sme then return true end
        return p.rd_expense > 0 and p.rd_expense >= p.revenue * ctx.params.min_rd_ratio
      end },
  },
  score = 5,
}
