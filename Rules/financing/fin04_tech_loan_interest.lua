-- FIN-04 科技型企业贷款贴息
-- 深圳科技型企业贷款贴息贴保 (domain F3): 贷款利息贴息50%, 首次获得贷款的70%;
-- 2023年入库科技型中小企业另加30个百分点, 最高不超过实付利息的80% (带日期参数 sci_sme_extra);
-- 贴息贴保合计每家每年最高100万元。
-- 与 FIN-07 (战略性新兴产业信用贷款贴息) 叠加时本项优先, FIN-07 只得实付利息的余额;
-- 计算放在 lib/loan_subsidy.lua, 两项规则共用。
-- 用 evaluate: 贴息比例是分档公式, 理由里写明按哪一档计算。
local loan_subsidy = require("loan_subsidy")

local function pct(x) return math.floor(x * 100 + 0.5) end

return {
  id = "fin.tech-loan-interest",
  service = "FIN-04",
  subjects = { "enterprise" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    local amount, share, first, extra = loan_subsidy.tech_interest(p, prm, ctx.as_of)
    if not amount then return ineligible(share) end   -- 不适用时第二个值是理由
    local basis = first and "首次获得贷款的科技型企业" or "科技型企业"
    if extra then basis = basis .. "(入库科技型中小企业加" .. pct(prm.sci_sme_extra) .. "个百分点)" end
    return eligible(string.format("%s按实付利息的%d%%贴息", basis, pct(share)), { amount = amount })
  end,
  score = 8,
}
