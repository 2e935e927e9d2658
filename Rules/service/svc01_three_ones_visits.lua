-- SVC-01 "三个一"企业服务挂点走访 (四上企业)
-- 宝安 "三个一" 企业服务体系 (2023-02): 各级干部主动式、清单化、实用型服务企业;
-- 分级挂点服务 "四上企业", 诉求 "马上办" (domain §1, F19)。
return {
  id = "service.three-ones-visits",
  service = "SVC-01",
  subjects = { "enterprise", "market" },
  conditions = {
    { "四上(规上)企业", function(p) return p.above_scale end },
  },
  score = 4,
}
