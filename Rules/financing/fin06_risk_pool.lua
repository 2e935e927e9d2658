-- FIN-06 中小微企业贷款风险补偿资金池支持
-- 深府规〔2018〕17号 (domain F4): 20亿资金池, 合作银行向中小微企业发放单户3000万元以内贷款,
-- 最高补偿不良本金50%; 2020年起覆盖小微企业主和个体工商户; 2024年向科创、首贷倾斜。
-- 企业经合作银行申请, 无直接补贴金额, 故不设 amount; 倾斜对象排序靠前 (score)。
local baoan = require("baoan")

return {
  id = "fin.risk-pool",
  service = "FIN-06",
  subjects = { "enterprise", "individual" },
  conditions = {
    { "中小微企业或个体工商户", function(p) return p.subject_type == "individual" or baoan.is_sme(p) end },
    baoan.not_dishonest,
  },
  score = function(p)
    -- 2024年倾斜: 首贷(无贷款记录)和科技型企业优先推送。
    if has(p, "has_bank_loan") and not p.has_bank_loan then return 8 end
    if (has(p, "high_tech") and p.high_tech) or (has(p, "sci_tech_sme") and p.sci_tech_sme) then return 8 end
    return 5
  end,
}
