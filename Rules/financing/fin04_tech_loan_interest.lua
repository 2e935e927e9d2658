-- FIN-04 科技型企业贷款贴息
-- 深圳科技型企业贷款贴息贴保 (domain F3): 贷款利息贴息50%, 首次获得贷款的70%;
-- 2023年入库科技型中小企业另加30个百分点, 最高不超过实付利息的80% (带日期参数 sci_sme_extra);
-- 贴息贴保合计每家每年最高100万元。
-- 用 evaluate: 贴息比例是分档公式, 理由里写明按哪一档计算。
local baoan = require("baoan")

local function pct(x) return math.floor(x * 100 + 0.5) end

return {
  id = "fin.tech-loan-interest",
  service = "FIN-04",
  subjects = { "enterprise" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    if not baoan.is_sci_tech(p) then
      return ineligible("非国家高新技术企业或入库科技型中小企业")
    end
    if not p.has_bank_loan then
      return ineligible("无银行贷款记录")
    end
    local interest = p.loan_interest_paid
    if interest <= 0 then
      return ineligible("上年度无贷款利息支出")
    end

    local share, basis = prm.subsidy_share, "科技型企业"
    -- 首贷日期只决定比例高低; 未提供时按一般比例(50%)计算。
    if has(p, "first_loan_on") and baoan.within_months(p.first_loan_on, ctx.as_of, prm.first_loan_months) then
      share, basis = prm.first_loan_share, "首次获得贷款的科技型企业"
    end
    if prm.sci_sme_extra > 0 and has(p, "sci_tech_sme") and p.sci_tech_sme then
      share = math.min(share + prm.sci_sme_extra, prm.max_share)
      basis = basis .. "(入库科技型中小企业加" .. pct(prm.sci_sme_extra) .. "个百分点)"
    end

    local amount = math.min(interest * share, prm.annual_cap)
    return eligible(string.format("%s按实付利息的%d%%贴息", basis, pct(share)), { amount = baoan.yuan(amount) })
  end,
  score = 8,
}
