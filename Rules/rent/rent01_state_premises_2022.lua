-- RENT-01 区属国企物业租金减免 ("3免3减半", 2022) — 历史政策
-- 《2022年区属国企房屋租金减免操作实施细则》(domain F6): 承租区属国企物业的制造业小微企业、
-- 服务业小微企业和个体工商户, 免2022年4-6月租金, 7-9月减半; 须惠及最终承租人。
-- 服务业 = 第三产业 (三次产业划分, lib/baoan.lua)。目录窗口期至2022年底, 之后不再评估。
local baoan = require("baoan")

return {
  id = "rent.state-premises.2022",
  service = "RENT-01",
  subjects = { "enterprise", "individual" },
  conditions = {
    { "个体工商户, 或制造业、服务业小微企业", function(p)
        if p.subject_type == "individual" then return true end
        return (baoan.is_manufacturing(p) or baoan.is_tertiary(p)) and baoan.is_small_or_micro(p)
      end },
    -- 细则只适用于承租 **区属国企** 物业 (domain F6); 字段 state_owned_premises 是 "承租国有(含区属国企)物业",
    -- 不分区属与市属、省属, 所以标签写明出租方须为区属国企, 由走访核实 (不能把市属国企的租户说成符合区属细则)。
    { "承租国有物业(最终承租人), 出租方须为区属国企(走访核实)", function(p) return p.state_owned_premises end },
    -- 月租金为0时没有可减免的租金; 清单上出现 "符合, 0.00元" 会误导走访 (街道干部评审)。
    { "月租金大于0(有租金可减免)", function(p) return p.monthly_rent > 0 end },
    baoan.not_dishonest,
  },
  -- 3个月全免 + 3个月减半 = 4.5个月租金。
  amount = function(p, ctx)
    local prm = ctx.params
    return baoan.yuan(p.monthly_rent * (prm.free_months + prm.half_months * prm.half_share))
  end,
  score = 9,
}
