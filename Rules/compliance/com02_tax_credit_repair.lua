-- COM-02 纳税信用修复辅导
-- 纳税信用等级 C 级 (40-<70分) 或 D 级 (<40分或直接判级) 的纳税人 (domain §4.4),
-- 辅导纠正失信行为后申请修复。适用等级见参数 ratings (逗号分隔)。
-- 参数字符串解析成集合后缓存 (参数在一次运行中不变, 不必每家企业重新拆分)。
local parsed = {}
local function listed(ratings, rating)
  local set = parsed[ratings]
  if set == nil then
    set = {}
    for r in string.gmatch(ratings, "[^,%s]+") do set[r] = true end
    parsed[ratings] = set
  end
  return set[rating] == true
end

return {
  id = "compliance.tax-credit-repair",
  service = "COM-02",
  conditions = {
    { "纳税信用等级为C级或D级", function(p, ctx) return listed(ctx.params.ratings, p.tax_credit_rating) end },
  },
  score = 6,
}
