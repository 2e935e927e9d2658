-- RENT-02 国有物业租金减免 (年度政策待核实, 可配置)
-- 年度政策尚未发布 (资料只有2022年的 domain F6、F7) 时的可配置模板, 目录名称标"待核实"。
-- 对象与2022年宝安细则 (domain F6) 相同,
-- 减免月数参照广东省2022年规定 (减免3个月, domain F7), 每户上限待核实 (参数 cap)。
-- 年度文件出台后只改 catalog.yaml 的 relief_months、cap 和 window。
local baoan = require("baoan")

return {
  id = "rent.state-premises.annual",
  service = "RENT-02",
  subjects = { "enterprise", "individual" },
  conditions = {
    { "个体工商户, 或制造业、服务业小微企业", function(p)
        if p.subject_type == "individual" then return true end
        return (baoan.is_manufacturing(p) or baoan.is_tertiary(p)) and baoan.is_small_or_micro(p)
      end },
    { "承租国有物业(最终承租人)", function(p) return p.state_owned_premises end },
    -- 月租金为0时没有可减免的租金; 清单上出现 "符合, 0.00元" 会误导走访 (街道干部评审)。
    { "月租金大于0(有租金可减免)", function(p) return p.monthly_rent > 0 end },
    baoan.not_dishonest,
  },
  amount = function(p, ctx)
    return baoan.yuan(math.min(p.monthly_rent * ctx.params.relief_months, ctx.params.cap))
  end,
  score = 9,
}
