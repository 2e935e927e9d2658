/// The built-in SME size table, used when a bundle has no `lib/sme_scale.lua` of its own.
///
/// It is the shipped `Rules/lib/sme_scale.lua` verbatim (a test keeps the two identical), so a
/// bundle written elsewhere still gets `scale_of(p)` per PRODUCT.md §5, while analysts can revise
/// the table in their own bundle when the standard changes.
enum DefaultSMEScale {
    static let source = #"""
-- 中小企业划型 (大型 / 中型 / 小型 / 微型)
--
-- 依据: 工业和信息化部等四部门《中小企业划型标准规定》(工信部联企业〔2011〕300号),
-- 与《统计上大中小微型企业划分办法》同表 (数值见 domain.md §2.2)。
--
-- 指标: X = 从业人员 employees (人), Y = 营业收入 revenue (万元), Z = 资产总额 total_assets (万元)。
-- 组合规则 (domain.md §2.2 "Combining rule"):
--   * 大型、中型、小型: 须同时达到该档所列 **每一项** 指标的下限, 否则降一档;
--   * 微型: 只要 **任一** 指标低于小型下限即为微型。
-- 按此, 从大型到小型逐档检查 "全部指标 ≥ 下限", 都不满足即为微型。
--
-- 只读取该行业需要的指标: 例如零售业不看资产总额, 缺少 total_assets 不影响其划型。
-- 若已知的某一指标低于小型下限, 直接判为微型, 不再读取其他 (可能缺失的) 指标;
-- 否则读取缺失指标会使调用它的条件变为 unknown (结果 undetermined), 这正是我们想要的。
--
-- 用法: local scale = require("sme_scale")(p)   -- 引擎的全局 scale_of(p) 即调用本函数

local industry = require("industry")   -- 行业代码规范化 (lib/industry.lua)

local FIELD = { X = "employees", Y = "revenue", Z = "total_assets" }

local TIERS = { "large", "medium", "small" }

-- 每个行业组: 用到的指标 (按读取顺序), 以及各指标 { 大型下限, 中型下限, 小型下限 }。
-- 低于小型下限即微型。注 ¹ ² 见 domain.md §2.2 (部分中型下限资料未核实, 采用 300号 通行文本)。
local GROUPS = {
  agriculture        = { label = "农、林、牧、渔业",   indicators = { "Y" },      Y = { 20000, 500, 50 } },
  industry           = { label = "工业",               indicators = { "X", "Y" }, X = { 1000, 300, 20 },  Y = { 40000, 2000, 300 } },
  construction       = { label = "建筑业",             indicators = { "Y", "Z" }, Y = { 80000, 6000, 300 }, Z = { 80000, 5000, 300 } },
  wholesale          = { label = "批发业",             indicators = { "X", "Y" }, X = { 200, 20, 5 },     Y = { 40000, 5000, 1000 } },
  retail             = { label = "零售业",             indicators = { "X", "Y" }, X = { 300, 50, 10 },    Y = { 20000, 500, 100 } },
  transport          = { label = "交通运输业",         indicators = { "X", "Y" }, X = { 1000, 300, 20 },  Y = { 30000, 3000, 200 } },
  warehousing        = { label = "仓储业",             indicators = { "X", "Y" }, X = { 200, 100, 20 },   Y = { 30000, 1000, 100 } },
  postal             = { label = "邮政业",             indicators = { "X", "Y" }, X = { 1000, 300, 20 },  Y = { 30000, 2000, 100 } },
  accommodation      = { label = "住宿业",             indicators = { "X", "Y" }, X = { 300, 100, 10 },   Y = { 10000, 2000, 100 } },
  catering           = { label = "餐饮业",             indicators = { "X", "Y" }, X = { 300, 100, 10 },   Y = { 10000, 2000, 100 } },
  telecom            = { label = "信息传输业",         indicators = { "X", "Y" }, X = { 2000, 100, 10 },  Y = { 100000, 1000, 100 } },
  software           = { label = "软件和信息技术服务业", indicators = { "X", "Y" }, X = { 300, 100, 10 },   Y = { 10000, 1000, 50 } },
  real_estate        = { label = "房地产开发经营",     indicators = { "Y", "Z" }, Y = { 200000, 1000, 100 }, Z = { 10000, 5000, 2000 } },
  property_mgmt      = { label = "物业管理",           indicators = { "X", "Y" }, X = { 1000, 300, 100 }, Y = { 5000, 1000, 500 } },  -- ¹
  leasing_business   = { label = "租赁和商务服务业",   indicators = { "X", "Z" }, X = { 300, 100, 10 },   Z = { 120000, 8000, 100 } }, -- ²
  other              = { label = "其他未列明行业",     indicators = { "X" },      X = { 300, 100, 10 } },                               -- ²
  -- 金融业另有划型标准 (《金融业企业划型标准规定》银发〔2015〕309号), 资料中没有其指标和下限:
  -- 不按上表近似, 调用方的条件为待定, 理由如下 (unknown)。
  -- 代码只到门类, 而该门类各大类标准不同 (见 group_of): 待定, 理由中给出代码 (见 group_for)。
  needs_more         = { label = "(行业代码不够细)", indicators = {},
                         unknown = "行业代码 %s 只到门类, 该门类各行业的划型标准不同, 请补充到大类 (如 %s)" },
  finance            = { label = "金融业", indicators = {},
                         unknown = "金融业(J)企业按《金融业企业划型标准规定》(银发〔2015〕309号)划型, 本包未收录该标准, 请核实规模" },
}

-- GB/T 4754-2017 行业代码 → 行业组。code 是 industry.code 规范化后的代码, 带门类字母
-- (如 C3981、I65、K7010); 没有门类字母的代码在那里已判为待定, 不会按 "其他未列明行业" 划型。
-- 门类 F、G、I 各大类的标准不同 (如 F51 批发业、F52 零售业), K 要看中类 (K701、K702):
-- 代码只到门类 (如 "F", 或只有门类字母列) 时无法划型, 返回 "needs_more" (调用方条件待定),
-- 不按 "其他未列明行业" 近似 (数据审查: "F" 的零售企业曾按其他行业判为小微)。
-- 门类 H 的住宿业、餐饮业标准相同, 只有门类也可划型。
local function group_of(code)
  local section = string.sub(code, 1, 1)
  local major = tonumber(string.sub(code, 2, 3))        -- 大类两位数字, 可能为 nil
  if section == "A" then return "agriculture" end
  if section == "B" or section == "C" or section == "D" then return "industry" end   -- 工业 = B + C + D
  if section == "E" then return "construction" end
  if section == "J" then return "finance" end
  if section == "F" then
    if major == 51 then return "wholesale" end
    if major == 52 then return "retail" end
    if not major then return "needs_more" end
  elseif section == "G" then
    if not major then return "needs_more" end
    -- 交通运输业 = 54-57 道路/水上/航空/管道, 58 多式联运和运输代理。53 铁路运输业不在内
    -- (domain §2.2 "交通运输业 (excl. 铁路)"), 按其他未列明行业划型 (落到下面的 "other")。
    if major and major >= 54 and major <= 58 then return "transport" end
    if major == 59 then return "warehousing" end                                     -- 装卸搬运和仓储业
    if major == 60 then return "postal" end
  elseif section == "H" then
    if major == 61 then return "accommodation" end
    if major == 62 then return "catering" end
    if not major then return "catering" end                                         -- 两者标准相同
  elseif section == "I" then
    if major == 63 or major == 64 then return "telecom" end                          -- 电信、互联网
    if major == 65 then return "software" end
    if not major then return "needs_more" end
  elseif section == "K" then
    if string.sub(code, 1, 4) == "K701" then return "real_estate" end                -- 7010 房地产开发经营
    if string.sub(code, 1, 4) == "K702" then return "property_mgmt" end              -- 7020 物业管理
    if #code < 4 then return "needs_more" end                                         -- "K"、"K70"
  elseif section == "L" then
    return "leasing_business"
  end
  return "other"
end

-- 行业组只取决于代码本身, 按代码缓存 (代码种类有限, 约1400个小类), 省去每家企业重复解析。
-- 同时把指标名换成字段名、下限表排成数组, 便于下面按下标循环。
local group_cache = {}
local function group_for(code)
  local g = group_cache[code]
  if g == nil then
    local name = group_of(code)
    local row = GROUPS[name]
    g = { fields = {}, bounds = {}, unknown = row.unknown }
    if name == "needs_more" then
      local example = ({ F = "F5212 零售业、F5179 批发业", G = "G5411", I = "I6513", K = "K7010、K7020" })[code:sub(1, 1)]
      g.unknown = string.format(row.unknown, code, example)
    end
    for i, ind in ipairs(row.indicators) do
      g.fields[i] = FIELD[ind]
      g.bounds[i] = row[ind]
    end
    group_cache[code] = g
  end
  return g
end

-- 指标值的暂存表, 每次调用先清空; 复用它避免为每家企业新建表 (划型每家企业会被多条规则调用)。
local values = {}

return function(p)
  local g = group_for(industry.code(p))
  if g.unknown then unknown(g.unknown) end
  local fields, bounds, n = g.fields, g.bounds, #g.fields

  -- 先取已有的指标值; 任一已知指标低于小型下限 → 微型, 不再读取其他 (可能缺失的) 指标。
  values[1], values[2] = nil, nil
  for i = 1, n do
    if has(p, fields[i]) then
      local v = p[fields[i]]
      if v < bounds[i][3] then return "micro" end
      values[i] = v
    end
  end

  -- 其余档次要求全部指标; 读取缺失指标 → 调用方条件 unknown。
  for i = 1, n do
    if values[i] == nil then values[i] = p[fields[i]] end
  end

  -- 从大型到小型, 第一个 "每项指标都达到下限" 的档次即为结果 (此时至少是小型)。
  for tier = 1, 2 do
    local meets_all = true
    for i = 1, n do
      if values[i] < bounds[i][tier] then meets_all = false break end
    end
    if meets_all then return TIERS[tier] end
  end
  return "small"
end

"""#
}
