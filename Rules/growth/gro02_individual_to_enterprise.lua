-- GRO-02 个体工商户转企业 (个转企) 奖励
-- 深圳《关于培育扶持个体工商户的若干措施》: 转企后每户奖励不少于1万元 (domain F13);
-- 龙岗做法 4000+3000+3000 分三年核发 (domain F14)。申请期限 (转企后12个月) 待核实, 见参数。
local baoan = require("baoan")

return {
  id = "growth.individual-to-enterprise",
  service = "GRO-02",
  subjects = { "enterprise" },
  conditions = {
    { "评估日前12个月内由个体工商户转为企业", function(p, ctx)
        return baoan.within_months(p.converted_from_individual_on, ctx.as_of, ctx.params.within_months)
      end },
    baoan.not_dishonest,
  },
  amount = function(p, ctx) return ctx.params.reward end,
  score = 7,
}
