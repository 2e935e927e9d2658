-- EMP-01 失业保险稳岗返还 (2023年全国规定, domain F9)
--   条件: 上年度未裁员或裁员率不高于全国城镇调查失业率控制目标 (参保30人及以下: 不高于20%),
--         足额缴纳失业保险满12个月;
--   返还: 大型企业30%、中小微企业60% × 上年度实际缴纳失业保险费;
--         以单位形式参保的个体工商户等: 参保300人及以上30%, 以下60%。
-- 用 evaluate: 裁员率标准和返还比例都按规模分档。
local baoan = require("baoan")

local function pct(x) return math.floor(x * 100 + 0.5) end

return {
  id = "emp.job-stabilization-refund",
  service = "EMP-01",
  evaluate = function(p, ctx)
    local prm = ctx.params
    if prm.exclude_dishonest and p.dishonest then
      return ineligible("列入失信被执行人名单")
    end
    if p.unemployment_insurance_months < prm.min_paid_months then
      return ineligible(string.format("失业保险连续缴费%d个月, 不足%d个月", p.unemployment_insurance_months, prm.min_paid_months))
    end
    local paid = p.unemployment_insurance_paid
    if paid <= 0 then
      return ineligible("上年度未缴纳失业保险费")
    end

    local insured = p.insured_employees
    local max_rate = prm.max_layoff_rate
    if insured <= prm.small_unit_insured then max_rate = prm.small_unit_max_layoff_rate end
    local layoff = p.layoff_rate
    if layoff > max_rate then
      return ineligible(string.format("上年度裁员率%s%%, 高于%s%%", baoan.percent(layoff, max_rate), baoan.percent(max_rate)))
    end

    local share, basis
    if p.subject_type == "individual" then
      -- 以单位形式参保的个体工商户按参保人数分档。
      if insured >= prm.unit_large_insured then
        share, basis = prm.large_share, string.format("参保%d人及以上的个体工商户", prm.unit_large_insured)
      else
        share, basis = prm.sme_share, string.format("参保不足%d人的个体工商户", prm.unit_large_insured)
      end
    elseif scale_of(p) == "large" then
      share, basis = prm.large_share, "大型企业"
    else
      share, basis = prm.sme_share, "中小微企业"
    end
    return eligible(string.format("%s, 按上年度失业保险费的%d%%返还", basis, pct(share)),
      { amount = baoan.yuan(paid * share) })
  end,
  score = 8,
}
