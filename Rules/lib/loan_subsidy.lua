-- 贷款贴息、贴保的叠加计算 (FIN-04 / FIN-05 / FIN-07 共用)。规则中: local loan_subsidy = require("loan_subsidy")
--
-- 同一年的贷款利息可能同时申请两项贴息:
--   FIN-04 科技型企业贷款贴息 (domain F3): 实付利息的50%, 首次获得贷款的70%; 2023年入库科技型中小企业
--          另加30个百分点, 最高不超过实付利息的80%; 贴息、贴保合计每家每年最高100万元;
--   FIN-07 战略性新兴产业信用贷款贴息 (domain F5): 信用贷款已付利息的50%。
-- 两项合计不得超过实际支付的利息。资料未写两项的叠加办法 (domain §3 排除条款一节只见福田细则"同一项目不得
-- 重复享受两种资助方式"的先例); 本包的口径: **FIN-04 优先**, FIN-07 只得实付利息扣除 FIN-04 后的余额。
--
-- F3 另规定 贴息、贴保合计每家每年最高100万元: FIN-05 担保费补贴只得 FIN-04 用剩的合计额度 (guarantee_room)。
--
-- FIN-05、FIN-07 计算余额时要按 FIN-04 的参数算出 FIN-04 的金额, 但规则只能读本服务的 ctx.params:
-- catalog.yaml 中 FIN-05、FIN-07 的这些参数是 FIN-04 参数的 YAML 别名 (*fin04_…), 只在 FIN-04 处修改。
-- 用到的参数名: interest_share、first_loan_interest_share、first_loan_months、sci_sme_extra、
-- max_interest_share、combined_annual_cap (FIN-07 另有 tech_interest_from = FIN-04 窗口开始日)。
local baoan = require("baoan")

local M = {}

-- FIN-04 的贴息额 (元)。适用时返回 金额, 比例, 是否按首贷档, 是否加了科技型中小企业的百分点;
-- 不适用时返回 nil 和不符合的理由。读取缺失字段时 (高企/科小、贷款记录、利息) 调用方为待定。
-- prm: FIN-04 的参数 (或 FIN-05、FIN-07 中同名的别名); as_of: 评估日。
function M.tech_interest(p, prm, as_of)
  if not baoan.is_sci_tech(p) then return nil, "非国家高新技术企业或入库科技型中小企业" end
  if not p.has_bank_loan then return nil, "无银行贷款记录" end
  local interest = p.loan_interest_paid
  if interest <= 0 then return nil, "上年度无贷款利息支出" end

  local share, first, extra = prm.interest_share, false, false
  -- 首贷日期只决定比例高低; 未提供时按一般比例计算。
  if has(p, "first_loan_on") and baoan.within_months(p.first_loan_on, as_of, prm.first_loan_months) then
    share, first = prm.first_loan_interest_share, true
  end
  if prm.sci_sme_extra > 0 and has(p, "sci_tech_sme") and p.sci_tech_sme then
    share, extra = math.min(share + prm.sci_sme_extra, prm.max_interest_share), true
  end
  return baoan.yuan(math.min(interest * share, prm.combined_annual_cap)), share, first, extra
end

-- FIN-05: 贴息、贴保每年合计上限 (combined_annual_cap) 中 FIN-04 用剩的额度 (元), 不小于0。
-- FIN-04 不适用 (无贷款、无利息) 时为整个上限; 读取 FIN-04 缺失的字段时调用方待定。
function M.guarantee_room(p, prm, as_of)
  local fin04 = M.tech_interest(p, prm, as_of)
  return math.max(0, prm.combined_annual_cap - (fin04 or 0))
end

-- FIN-04 在评估日可能达到的最高比例 (只看参数, 不看企业)。
local function highest_share(prm)
  local share = math.max(prm.interest_share, prm.first_loan_interest_share)
  if prm.sci_sme_extra > 0 then share = math.min(share + prm.sci_sme_extra, prm.max_interest_share) end
  return share
end

-- FIN-07 的贴息额 (元): min(信用贷款利息 × subsidy_share, annual_cap), 且不超过 实付利息 − FIN-04 贴息额。
-- 只在 FIN-04 可能挤占时才读取 FIN-04 需要的字段: 已知实付利息时, 若按 FIN-04 最高比例扣除后仍够,
-- 不必知道企业是否科技型企业; FIN-04 不适用 (非科技型、无贷款或无利息) 时余额就是全部利息。
-- FIN-04 窗口开始 (tech_interest_from) 之前没有 FIN-04, 不扣除。
function M.credit_interest(p, prm, as_of)
  local want = math.min(p.credit_loan_interest_paid * prm.subsidy_share, prm.annual_cap)
  if as_of < prm.tech_interest_from then return baoan.yuan(want) end
  if has(p, "loan_interest_paid") then
    local paid = p.loan_interest_paid
    if want <= paid - math.min(paid * highest_share(prm), prm.combined_annual_cap) then return baoan.yuan(want) end
  end
  local fin04 = M.tech_interest(p, prm, as_of)
  if not fin04 then return baoan.yuan(want) end
  return baoan.yuan(math.max(0, math.min(want, p.loan_interest_paid - fin04)))
end

return M
