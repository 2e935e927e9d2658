-- FIN-02 创业担保贷款贴息(小微企业借款人)
-- 《深圳市创业担保贷款管理办法》(2024-09-30起施行): 小微企业借款人额度最高400万元,
-- 申请前12个月新招用5人以上(不含法定代表人)最高500万元; 按实际贷款利率的50%贴息 (domain F1)。
-- 小微企业按工信部联企业〔2011〕300号划型 (scale_of)。
local baoan = require("baoan")

return {
  id = "fin.startup-loan.small-firm",
  service = "FIN-02",
  subjects = { "enterprise" },
  conditions = {
    { "小型或微型企业", function(p) return baoan.is_small_or_micro(p) end },
    baoan.not_dishonest,
  },
  amount = function(p, ctx)
    local prm = ctx.params
    local cap = prm.loan_cap
    if has(p, "new_hires_12m") and p.new_hires_12m >= prm.hires_for_higher_cap then
      cap = prm.loan_cap_with_hires
    end
    return baoan.yuan(cap * prm.reference_rate * prm.subsidy_share)
  end,
  score = 7,
}
