-- PARTY-01 小个专党组织组建指导
-- 宝安区小个专党委 (2022-10-27成立, 办公室设在市场监管局宝安监管局) 与10个基层市场监管所
-- 党建工作指导站, 指导尚未建立党组织的小微企业、个体工商户和专业市场单独或联合组建 (domain §2.1, F20)。
local baoan = require("baoan")

return {
  id = "party.org-building",
  service = "PARTY-01",
  conditions = {
    { "小微企业、个体工商户或专业市场(小个专)", function(p) return baoan.is_xiaogezhuan(p) end },
    { "尚未建立党组织", function(p) return not p.has_party_org end },
  },
  score = 3,
}
