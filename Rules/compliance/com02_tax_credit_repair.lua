-- COM-02 纳税信用修复辅导
-- 纳税信用等级 C 级 (40-<70分) 或 D 级 (<40分或直接判级) 的纳税人 (domain §4.4),
-- 辅导纠正失信行为后申请修复。适用等级见参数 ratings (逗号分隔)。
local function listed(ratings, rating)
  for r in string.gmatch(ratings, "[^,%s]+") do
    if r == rating then return true end
  end
  return false
end

return {
  id = "compliance.tax-credit-repair",
  service = "COM-02",
  conditions = {
    { "纳税信用等级为C级或D级", function(p, ctx) return listed(ctx.params.ratings, p.tax_credit_rating) end },
  },
  score = 6,
}
