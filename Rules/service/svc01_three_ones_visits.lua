-- SVC-01 "三个一"企业服务走访
-- 宝安 "三个一" 企业服务体系 (2023-02): 各级干部主动式、清单化、实用型服务企业, 诉求 "马上办" (domain §1, F19)。
-- 三项具体内容资料未找到; 按服务机制处理, 不限 "四上" 企业 (分级挂点服务 "四上企业" 是2020年计划的做法)。
-- 走访由街道落实, 所以须知道企业所属街道。
local baoan = require("baoan")

return {
  id = "service.three-ones-visits",
  service = "SVC-01",
  subjects = { "enterprise", "market" },
  conditions = {
    { "所属街道为宝安区10个街道之一", function(p) return baoan.street_of(p) ~= nil end },
  },
  score = 4,
}
