-- SVC-01 "三个一"企业服务走访
-- 宝安 "三个一" 企业服务体系 (2023-02): 各级干部主动式、清单化、实用型服务企业, 诉求 "马上办" (domain §1, F19)。
-- 三项具体内容资料未找到; 按服务机制处理, 不限 "四上" 企业 (分级挂点服务 "四上企业" 是2020年计划的做法)。
-- 走访由街道落实, 所以须知道企业所属街道 (domain §4.1 的10个街道, 写法见 lib/baoan.lua street_of)。
-- 用 evaluate: 街道写法认不出时判为待定, 理由写出原文, 以便走访前核实 (不判为不符合)。
local baoan = require("baoan")

-- 理由中引用的原文最多30个字符, 以免异常长的数据占满清单。
local function quoted(s)
  local n = utf8.len(s)
  if n and n > 30 then return s:sub(1, utf8.offset(s, 31) - 1) .. "…" end
  if not n and #s > 90 then return s:sub(1, 90) .. "…" end
  return s
end

-- 符合时的理由按街道只拼一次 (10种)。
local ELIGIBLE = {}
for _, st in ipairs(baoan.STREETS) do ELIGIBLE[st.name] = "所属街道为宝安区10个街道之一: " .. st.name end

return {
  id = "service.three-ones-visits",
  service = "SVC-01",
  subjects = { "enterprise", "market" },
  evaluate = function(p)
    local street = baoan.street_of(p)
    if street == nil then
      return undetermined(string.format("所属街道\"%s\"不是宝安区10个街道之一, 无法确定走访街道, 待核实", quoted(p.street)))
    end
    return eligible(ELIGIBLE[street])
  end,
  score = 4,
}
