-- FIN-03 首贷户贷款贴息 (深圳2022年, 已结束的历史政策, 保留供回溯查询)
-- domain F2: 独立法人企业, 2022-05-31前征信系统无贷款记录, 2022年6-12月首次从深圳商业银行获得贷款;
-- 年化2%贴息, 最长6个月, 每家最高20万元。个体工商户不具独立法人资格, 不适用。
-- 资料只有2022年这一期: 首贷须在2022年6-12月; 服务期延至2023-06-30 供申领 (catalog.yaml, 待核实), 之后不评估。
local baoan = require("baoan")

-- 没有首贷日期, 且征信系统中没有贷款记录: 尚未获得过贷款, 条件不成立 (而非缺数据待定)。
-- 两项都没有时才是缺数据。
local function never_borrowed(p)
  return not has(p, "first_loan_on") and has(p, "has_bank_loan") and not p.has_bank_loan
end

-- 贴息额 = 首贷本金 × 年化2% × 6/12, 不超过20万元。未提供首贷金额时不测算金额。
local function subsidy(p, ctx)
  if not has(p, "first_loan_amount") then return nil end
  local prm = ctx.params
  local interest = p.first_loan_amount * 10000 * prm.annual_rate * prm.max_months / 12
  return baoan.yuan(math.min(interest, prm.cap))
end

return {
  id = "fin.first-loan.2022",
  service = "FIN-03",
  subjects = { "enterprise" },
  conditions = {
    { "2022年6-12月首次获得银行贷款(此前征信系统无贷款记录)", function(p, ctx)
        if never_borrowed(p) then return false end
        return p.first_loan_on >= ctx.params.first_loan_2022_from and p.first_loan_on <= ctx.params.first_loan_2022_to
      end },
  },
  amount = subsidy,
  score = 7,
}
