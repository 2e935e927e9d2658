/// The built-in SME size table, used when a bundle has no `lib/sme_scale.lua` of its own.
///
/// It is the shipped `Rules/lib/sme_scale.lua` verbatim (a test keeps the two identical), so a
/// bundle written elsewhere still gets `scale_of(p)` per PRODUCT.md §5, and analysts can revise
/// the table in their own bundle when the standard changes.
enum DefaultSMEScale {
    static let source = #"""
-- 企业规模划型: 工信部联企业〔2011〕300号《中小企业划型标准规定》
-- (same thresholds as 国统字〔2017〕213号《统计上大中小微型企业划分办法》).
--
-- scale_of(p) returns "large" | "medium" | "small" | "micro".
-- Combining rule: 大型/中型/小型 need the tier's lower bound on EVERY listed indicator,
-- otherwise the firm drops a tier; a firm below the 小型 bound on ANY indicator is 微型.
--
-- Indicators: X = employees (从业人员, 人), Y = revenue (营业收入, 万元), Z = total_assets (资产总额, 万元).
-- Each row gives, per indicator, the lower bound of {大型, 中型, 小型}.
-- Rows marked UNVERIFIED follow the commonly reproduced 300号 text (see domain.md §2.2).

local TABLE = {
  agriculture  = { name = "农、林、牧、渔业", revenue = { 20000, 500, 50 } },
  industry     = { name = "工业", employees = { 1000, 300, 20 }, revenue = { 40000, 2000, 300 } },
  construction = { name = "建筑业", revenue = { 80000, 6000, 300 }, total_assets = { 80000, 5000, 300 } },
  wholesale    = { name = "批发业", employees = { 200, 20, 5 }, revenue = { 40000, 5000, 1000 } },
  retail       = { name = "零售业", employees = { 300, 50, 10 }, revenue = { 20000, 500, 100 } },
  transport    = { name = "交通运输业", employees = { 1000, 300, 20 }, revenue = { 30000, 3000, 200 } },
  warehousing  = { name = "仓储业", employees = { 200, 100, 20 }, revenue = { 30000, 1000, 100 } },
  postal       = { name = "邮政业", employees = { 1000, 300, 20 }, revenue = { 30000, 2000, 100 } },
  lodging      = { name = "住宿业", employees = { 300, 100, 10 }, revenue = { 10000, 2000, 100 } },
  catering     = { name = "餐饮业", employees = { 300, 100, 10 }, revenue = { 10000, 2000, 100 } },
  telecom      = { name = "信息传输业", employees = { 2000, 100, 10 }, revenue = { 100000, 1000, 100 } },
  software     = { name = "软件和信息技术服务业", employees = { 300, 100, 10 }, revenue = { 10000, 1000, 50 } },
  real_estate  = { name = "房地产开发经营", revenue = { 200000, 1000, 100 }, total_assets = { 10000, 5000, 2000 } },
  property     = { name = "物业管理", employees = { 1000, 300, 100 }, revenue = { 5000, 1000, 500 } },  -- 中型 revenue bound partly UNVERIFIED
  leasing      = { name = "租赁和商务服务业", employees = { 300, 100, 10 }, total_assets = { 120000, 8000, 100 } },  -- 中型 bounds UNVERIFIED
  other        = { name = "其他未列明行业", employees = { 300, 100, 10 } },  -- 中型 bound UNVERIFIED
}

-- Industry group from a GB/T 4754-2017 code such as "C3981".
local function group_of(code)
  local section, division = code:sub(1, 1), tonumber(code:sub(2, 3))
  if section == "A" then return TABLE.agriculture end
  if section == "B" or section == "C" or section == "D" then return TABLE.industry end
  if section == "E" then return TABLE.construction end
  if section == "F" then return division == 51 and TABLE.wholesale or TABLE.retail end
  if section == "G" then
    if division == 59 then return TABLE.warehousing end
    if division == 60 then return TABLE.postal end
    if division and division >= 54 and division <= 58 then return TABLE.transport end
    return TABLE.other                                   -- 53 铁路运输 is outside the table
  end
  if section == "H" then return division == 61 and TABLE.lodging or TABLE.catering end
  if section == "I" then return division == 65 and TABLE.software or TABLE.telecom end
  if section == "K" then
    if code:sub(1, 4) == "K701" then return TABLE.real_estate end
    if code:sub(1, 4) == "K702" then return TABLE.property end
    return TABLE.other
  end
  if section == "L" then return TABLE.leasing end
  return TABLE.other
end

local TIERS = { "large", "medium", "small" }
local INDICATORS = { "employees", "revenue", "total_assets" }

return function(p)
  local row = group_of(p.industry_code)
  local measured = {}
  for _, indicator in ipairs(INDICATORS) do
    if row[indicator] then measured[indicator] = p[indicator] end   -- reads only what this row needs
  end
  for tier = 1, 3 do
    local meets_all = true
    for indicator, value in pairs(measured) do
      if value < row[indicator][tier] then meets_all = false end
    end
    if meets_all then return TIERS[tier] end
  end
  return "micro"
end
"""#
}
