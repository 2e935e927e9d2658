-- FIN-06 中小微企业贷款风险补偿资金池支持
-- 深府规〔2018〕17号 (domain F4): 20亿资金池, 合作银行向中小微企业发放单户3000万元以内贷款,
-- 最高补偿不良本金50%; 2020年起覆盖小微企业主和个体工商户; 2024年向科创、首贷倾斜。
-- 企业经合作银行申请, 无直接补贴金额, 故不设 amount; 倾斜对象排序靠前 (score)。
--
-- 两条规则 (subjects 不重叠): 企业自2018年起; 个体工商户自2020年起 (domain F4 "2020: extended to
-- 小微企业主和个体工商户", 资料只写年份, 取 2020-01-01)。2020年以前个体工商户没有适用规则,
-- 结果为"主体类型不符: 仅限企业"。
local baoan = require("baoan")

local function score(p)
  -- 2024年倾斜: 首贷(无贷款记录)和科技型企业优先推送。
  if has(p, "has_bank_loan") and not p.has_bank_loan then return 8 end
  if (has(p, "high_tech") and p.high_tech) or (has(p, "sci_tech_sme") and p.sci_tech_sme) then return 8 end
  return 5
end

return {
  {
    id = "fin.risk-pool",
    service = "FIN-06",
    subjects = { "enterprise" },
    conditions = {
      { "中小微企业", function(p) return baoan.is_sme(p) end },
      baoan.not_dishonest,
    },
    score = score,
  },
  {
    id = "fin.risk-pool.individual",
    service = "FIN-06",
    subjects = { "individual" },
    effective = { from = "2020-01-01" },
    conditions = {
      { "个体工商户(2020年起纳入资金池支持)", function(p) return p.subject_type == "individual" end },
      baoan.not_dishonest,
    },
    score = score,
  },
}
