-- FIN-03 首贷户贷款贴息
-- 深圳2022年首贷户贴息 (domain F2): 独立法人企业, 2022-05-31前征信系统无贷款记录,
-- 2022年6-12月首次从深圳商业银行获得贷款; 年化2%贴息, 最长6个月, 每家最高20万元。
-- 个体工商户不具独立法人资格, 不适用。
--
-- 两条规则先后服务同一项服务 (effective 不重叠):
--   2022年口径 (申领期至2023年底) 与 2024年起的常态化口径 (评估日前12个月内首贷)。
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
  {
    id = "fin.first-loan.2022",
    service = "FIN-03",
    subjects = { "enterprise" },
    effective = { from = "2022-06-01", to = "2023-12-31" },
    conditions = {
      { "2022年6-12月首次获得银行贷款(此前征信系统无贷款记录)", function(p, ctx)
          if never_borrowed(p) then return false end
          return p.first_loan_on >= ctx.params.first_loan_2022_from and p.first_loan_on <= ctx.params.first_loan_2022_to
        end },
    },
    amount = subsidy,
    score = 7,
  },
  {
    id = "fin.first-loan",
    service = "FIN-03",
    subjects = { "enterprise" },
    effective = { from = "2024-01-01" },
    conditions = {
      { "评估日前12个月内首次获得银行贷款", function(p, ctx)
          if never_borrowed(p) then return false end
          return baoan.within_months(p.first_loan_on, ctx.as_of, ctx.params.lookback_months)
        end },
    },
    amount = subsidy,
    score = 7,
  },
}
