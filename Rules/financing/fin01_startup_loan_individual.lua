-- FIN-01 创业担保贷款贴息(个人借款人)
-- 《深圳市创业担保贷款管理办法》(2024-09-30起施行): 个人借款人额度最高30万元,
-- 申请前12个月带动5人以上就业(不含本人)最高60万元; 按实际贷款利率的50%贴息 (domain F1)。
-- 金额: 按可申请最高额度 × 参考利率(带日期参数 reference_rate) × 贴息比例 测算的年贴息额。
local baoan = require("baoan")

return {
  id = "fin.startup-loan.individual",
  service = "FIN-01",
  subjects = { "individual" },
  conditions = {
    baoan.not_dishonest,
  },
  amount = function(p, ctx)
    local prm = ctx.params
    local cap = prm.loan_cap
    -- 带动就业人数只影响额度, 未提供时按基础额度测算, 不影响是否符合。
    if has(p, "new_hires_12m") and p.new_hires_12m >= prm.hires_for_higher_cap then
      cap = prm.loan_cap_with_hires
    end
    return baoan.yuan(cap * prm.reference_rate * prm.subsidy_share)
  end,
  score = 7,
}
