-- RWD-01 企业做大做强奖励 (首次进入省、市百强)
-- 宝安配套深圳提升企业竞争力措施 (2018, domain F17): 首次进入省百强300万元, 市百强100万元。
-- 以 tags 中的标签识别 (标签文字见参数); 两项都有时按省百强奖励。
-- 用 evaluate: 两档择一, 理由写明依据哪一项。
local baoan = require("baoan")

return {
  id = "reward.top100",
  service = "RWD-01",
  subjects = { "enterprise" },
  evaluate = function(p, ctx)
    local prm = ctx.params
    if baoan.has_tag(p, prm.province_top100_tag) then
      return eligible("首次进入广东省百强企业", { amount = prm.province_top100_reward })
    end
    if baoan.has_tag(p, prm.city_top100_tag) then
      return eligible("首次进入深圳市百强企业", { amount = prm.city_top100_reward })
    end
    return ineligible("未首次进入广东省或深圳市百强企业榜单")
  end,
  score = 9,
}
