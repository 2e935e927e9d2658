-- PARTY-02 党员商户"三亮"挂牌及诚信经营创建
-- 专业市场党员商户 "三亮" (亮身份、亮职责、亮承诺); 诚信企业、诚信市场创建 (domain §2.1, F20)。
-- 对象: 已建党组织的经营主体, 以及专业市场。失信/经营异常排除为通行做法 (typical, unverified for Bao'an)。
local baoan = require("baoan")

return {
  id = "party.three-shows",
  service = "PARTY-02",
  conditions = {
    { "已建立党组织或为专业市场", function(p)
        return p.subject_type == "market" or p.has_party_org
      end },
    baoan.not_dishonest,
    baoan.not_abnormal,
  },
  score = 3,
}
