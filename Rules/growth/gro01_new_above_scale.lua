-- GRO-01 新增"四上"企业奖励 (小升规)
-- 《宝安区关于促进实体经济高质量发展的实施办法》操作规程(2018) 第十七项 (domain F15)。
-- 评估日前12个月内新纳入"四上"统计的企业。奖励金额资料未找到 (domain F15 "Amount n/f"), 不设 amount:
-- 符合时不测算金额, 不以自拟数额误导。
local baoan = require("baoan")

return {
  id = "growth.new-above-scale",
  service = "GRO-01",
  subjects = { "enterprise", "market" },
  conditions = {
    { "已纳入四上(规上)统计", function(p) return p.above_scale end },
    { "评估日前12个月内新纳入四上统计", function(p, ctx)
        return baoan.within_months(p.above_scale_since, ctx.as_of, ctx.params.new_within_months)
      end },
    baoan.not_dishonest,
  },
  score = 8,
}
