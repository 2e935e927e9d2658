-- GRO-04 "准四上"企业入库培育
-- 营业收入已达到或接近 (≥80%) "四上" 入库标准、尚未入库的企业, 列入街道培育清单 (domain F15, §2.2)。
-- 分行业入库标准见 lib/baoan.lua above_scale_threshold 与 catalog.yaml 参数。
local baoan = require("baoan")

return {
  id = "growth.near-above-scale",
  service = "GRO-04",
  subjects = { "enterprise" },
  conditions = {
    { "尚未纳入四上统计", function(p) return not p.above_scale end },
    { "所属行业按营业收入入库", function(p, ctx) return baoan.above_scale_threshold(p, ctx.params) ~= nil end },
    { "营业收入达到入库标准的80%以上", function(p, ctx)
        local threshold = baoan.above_scale_threshold(p, ctx.params)
        return threshold ~= nil and p.revenue >= threshold * ctx.params.near_ratio
      end },
  },
  score = 6,
}
