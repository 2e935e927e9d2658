-- QUA-02 国家高新技术企业认定辅导
-- 《高新技术企业认定管理办法》(国科发火〔2016〕32号) (domain F12):
--   注册成立1年以上; 拥有核心自主知识产权; 科技人员占职工总数≥10%;
--   研发费用占销售收入比例按最近一年销售收入分档: ≤5000万元 5%, 5000万-2亿元 4%, >2亿元 3%
--   (办法要求近三年合计, 这里以上年度近似; 境内研发≥60%须人工核对);
--   高新技术产品(服务)收入占总收入≥60%; 申请前一年内无重大安全、质量事故或严重环境违法。
-- 用 evaluate: 研发占比按营收分档; 不符合时列出全部已知的不达标项, 便于辅导。
local baoan = require("baoan")

-- 百分数文字 (lib/baoan.lua percent): 不达标时保留到能看出低于要求的位数 (4.996%, 不写成 "5%, 低于5%")。
local pct = baoan.percent

-- 研发费用占比要求 (按最近一年销售收入分档, 万元)。
local function required_rd_ratio(revenue, prm)
  if revenue <= prm.revenue_tier1 then return prm.rd_ratio_tier1 end
  if revenue <= prm.revenue_tier2 then return prm.rd_ratio_tier2 end
  return prm.rd_ratio_tier3
end

return {
  id = "qualification.high-tech",
  service = "QUA-02",
  subjects = { "enterprise" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    if p.high_tech then
      return ineligible("已是国家高新技术企业(证书有效期内)")
    end
    local gaps = {}
    if not baoan.at_least_months(p.established_on, ctx.as_of, 12 * prm.min_years) then
      gaps[#gaps + 1] = "注册成立不满1年"
    end
    if not p.has_core_ip then
      gaps[#gaps + 1] = "无核心自主知识产权"
    end
    local employees, tech_staff = p.employees, p.tech_staff
    if employees <= 0 or tech_staff < employees * prm.min_tech_staff_ratio then
      gaps[#gaps + 1] = string.format("科技人员%d人, 低于职工总数的%s%%", tech_staff, pct(prm.min_tech_staff_ratio))
    end
    local revenue, rd = p.revenue, p.rd_expense
    local need = required_rd_ratio(revenue, prm)
    local ratio = revenue > 0 and rd / revenue or 0
    if revenue <= 0 or ratio < need then
      gaps[#gaps + 1] = string.format("研发费用占销售收入%s%%, 低于%s%%", pct(ratio, need), pct(need))
    end
    if p.high_tech_income_ratio < prm.min_high_tech_income_ratio then
      gaps[#gaps + 1] = string.format("高新技术产品(服务)收入占比%s%%, 低于%s%%",
        pct(p.high_tech_income_ratio, prm.min_high_tech_income_ratio), pct(prm.min_high_tech_income_ratio))
    end
    if p.serious_violation then
      gaps[#gaps + 1] = "申请前一年内有重大安全、质量事故或严重环境违法行为"
    end
    if #gaps > 0 then
      return ineligible(table.concat(gaps, "; "))
    end
    return eligible(string.format("符合高企认定基本条件: 研发费用占比%s%%(要求%s%%), 科技人员%d/%d人, 高品收入占比%s%%",
      pct(ratio), pct(need), tech_staff, employees, pct(p.high_tech_income_ratio)))
  end,
  score = 7,
}
