-- 宝安规则包共用函数。规则中: local baoan = require("baoan")
--
-- 这里只放多条规则共用、且有出处的判断; 各项政策自己的条件写在各自的规则文件里。

local M = {}

-- 行业代码规范化和去首尾空白在 lib/industry.lua (划型 lib/sme_scale.lua 也用它, 不依赖本文件)。
local industry = require("industry")
M.trim = industry.trim
M.industry_code = industry.code

-- 宝安区10个街道 (2016-12-26 区划调整后; domain.md §4.1)。schema.yaml 中 street 为字符串, 规范写法为全称。
M.STREETS = {
  { name = "新安街道", short = "新安", pinyin = "xinan" },
  { name = "西乡街道", short = "西乡", pinyin = "xixiang" },
  { name = "航城街道", short = "航城", pinyin = "hangcheng" },
  { name = "福永街道", short = "福永", pinyin = "fuyong" },
  { name = "福海街道", short = "福海", pinyin = "fuhai" },
  { name = "沙井街道", short = "沙井", pinyin = "shajing" },
  { name = "新桥街道", short = "新桥", pinyin = "xinqiao" },
  { name = "松岗街道", short = "松岗", pinyin = "songgang" },
  { name = "燕罗街道", short = "燕罗", pinyin = "yanluo" },
  { name = "石岩街道", short = "石岩", pinyin = "shiyan" },
}

-- 企业所属街道的规范全称 ("新安街道")。不是宝安10个街道之一时返回 nil: 调用方应判为待定并在理由中写出原文
-- (SVC-01), 不要判为不符合 — 多半是写法问题, 走访时核实即可。
-- 接受的写法 (先去掉所有空白, 含全角空格):
--   * [深圳市][宝安区] + 全称或简称 + [办事处 | 办], 方括号内可省略:
--     "新安街道"、"新安"、"深圳市新安街道"、"宝安区新安"、"深圳市宝安区新安街道"、"新安街道办事处"、
--     "新安街道办"、"新安办事处"、"新安办"、"深圳市宝安区新安街道办事处" …;
--   * 拼音 (不分大小写, 不带前后缀): "xinan"、"XinAn"。
-- 比较街道时用它, 不要直接比较 p.street 的原始写法。
-- 结果只取决于 street 的写法, 按写法缓存 (最多记 1000 种写法, 以免异常数据占满内存)。
local function strip_prefix(s, prefix)
  if s:sub(1, #prefix) == prefix then return M.trim(s:sub(#prefix + 1)) end
  return s
end

local function strip_suffix(s, suffix)
  if #s > #suffix and s:sub(-#suffix) == suffix then return M.trim(s:sub(1, -#suffix - 1)), true end
  return s, false
end

-- Unicode 的全部空白字符 (White_Space) 中 ASCII 以外的: U+0085、U+00A0 (不换行空格)、U+1680、
-- U+2000–200A、U+2028、U+2029、U+202F、U+205F、U+3000 (全角空格), 按 UTF-8 字节写。
local UNICODE_SPACES = { "\194[\133\160]", "\225\154\128", "\226\128[\128-\138\168\169\175]", "\226\129\159", "\227\128\128" }
local function without_spaces(s)
  s = s:gsub("%s+", "")
  for _, pattern in ipairs(UNICODE_SPACES) do s = s:gsub(pattern, "") end
  return s
end

local function canonical_street(raw)
  -- 街道名中不会有空格: 去掉所有空白 (含全角空格、不换行空格), "宝安区 新安 街道" 即 "宝安区新安街道"
  -- (街道干部评审: 清单把它列在新安, 规则却判为待定)。huiqi 的清单和 --street 按同样的写法归并
  -- (StreetName.swift, 去掉 Unicode 的全部空白)。
  local s = without_spaces(raw)
  local lower = string.lower(s)
  for _, st in ipairs(M.STREETS) do
    if lower == st.pinyin then return st.name end
  end
  s = strip_prefix(strip_prefix(s, "深圳市"), "宝安区")
  local stripped
  s, stripped = strip_suffix(s, "办事处")
  if not stripped then s = strip_suffix(s, "办") end
  for _, st in ipairs(M.STREETS) do
    if s == st.name or s == st.short then return st.name end
  end
  return false
end

local street_cache, street_cached = {}, 0
function M.street_of(p)
  local s = p.street
  local name = street_cache[s]
  if name == nil then
    name = canonical_street(s)
    if street_cached < 1000 then
      street_cache[s] = name
      street_cached = street_cached + 1
    end
  end
  return name or nil
end

-- 行业代码前缀匹配 (与全局 industry_in 相同, 但作用于规范化的代码字符串, 便于按代码缓存判断结果)。
local function code_in(code, ...)
  for i = 1, select("#", ...) do
    local prefix = select(i, ...)
    if string.sub(code, 1, #prefix) == prefix then return true end
  end
  return false
end

-- 只取决于行业代码的判断按代码缓存: 每个代码只算一次 (代码种类有限), 批量运行时省去逐家重复匹配。
local function by_code(classify)
  local cache = {}
  return function(code)
    local v = cache[code]
    if v == nil then
      v = classify(code)
      cache[code] = v
    end
    return v
  end
end

-- 服务业 = 第三产业 (国家统计局三次产业划分, domain.md §4.3):
--   一产 = A 门类, 但不含 05 (农林牧渔专业及辅助性活动);
--   二产 = B (不含 11 开采专业及辅助性活动) + C (不含 43 金属制品、机械和设备修理业) + D + E;
--   其余 (含 A05、B11、C43) 均为三产。
local tertiary = by_code(function(code)
  if code_in(code, "A05", "B11", "C43") then return true end
  return not code_in(code, "A", "B", "C", "D", "E")
end)

function M.is_tertiary(p)
  return tertiary(M.industry_code(p))
end

-- 制造业 = C 门类 (租金减免中的 "制造业小微企业")。
function M.is_manufacturing(p)
  return M.industry_code(p):sub(1, 1) == "C"
end

-- 小型或微型企业 (工信部联企业〔2011〕300号, 见 lib/sme_scale.lua)。
function M.is_small_or_micro(p)
  local scale = scale_of(p)
  return scale == "small" or scale == "micro"
end

-- 中小微企业 (非大型)。
function M.is_sme(p)
  return scale_of(p) ~= "large"
end

-- 小个专 = 小微企业、个体工商户、专业市场 (domain.md §2.1)。
-- 个体工商户和专业市场不划型, 不读取规模指标。
function M.is_xiaogezhuan(p)
  if p.subject_type == "individual" or p.subject_type == "market" then return true end
  return M.is_small_or_micro(p)
end

-- 科技型企业 = 国家高新技术企业 或 入库科技型中小企业 (domain F3)。
-- 任一为"是"即成立, 不需要另一项数据; 两项都为"否"才不成立; 否则 (缺数据) 条件 unknown。
function M.is_sci_tech(p)
  if has(p, "high_tech") and p.high_tech then return true end
  if has(p, "sci_tech_sme") and p.sci_tech_sme then return true end
  return p.high_tech or p.sci_tech_sme
end

-- 标签列表中是否有某个标签。schema.yaml 中 tags 的默认值是空列表: 未填写即没有标签。
function M.has_tag(p, tag)
  for _, t in ipairs(p.tags) do
    if t == tag then return true end
  end
  return false
end

-- add_months(as_of, -n), 按 (as_of, n) 缓存: 一次运行只有一个评估日, 不必为每家企业重算。
local months_ago_cache = {}
function M.months_ago(as_of, n)
  local by_n = months_ago_cache[as_of]
  if by_n == nil then
    by_n = {}
    months_ago_cache[as_of] = by_n
  end
  local d = by_n[n]
  if d == nil then
    d = add_months(as_of, -n)
    by_n[n] = d
  end
  return d
end

-- date 是否在 as_of 之前 n 个月内 (含两端): add_months(as_of, -n) <= date <= as_of。
function M.within_months(date, as_of, n)
  return date >= M.months_ago(as_of, n) and date <= as_of
end

-- 从 date 到 as_of 是否已满 n 个月。与 months_between(date, as_of) >= n 结果相同
-- (月底日期按 add_months 的规则截取), 但只做一次字符串比较, 不逐家解析日期。
-- 成立满2年: baoan.at_least_months(p.established_on, ctx.as_of, 24)
function M.at_least_months(date, as_of, n)
  return date <= M.months_ago(as_of, n)
end

-- 金额取整到分 (元, 两位小数, 四舍五入), 避免 0.03 * 0.5 之类的浮点尾数出现在清单和测试里。
-- 1.005 在二进制里略小于 1.005 (×100 得 100.49999…), 按十进制的本意应入为 1.01: 加一个相对极小量
-- (1e-12 倍) 再取整, 只影响本就差一丝就到 .5 的数。浮点运算的相对误差约 1e-16, 1e-12 足够;
-- 原先的 1e-9 倍在大额时超过半分: 500万元 (5亿分) 加了0.5分, 取整成 5000000.01 元, FIN-08 的
-- 1000万元上限变成 10000000.01 元 (高于政策上限)。1e-12 倍到 5000亿分 (50亿元) 才达半分。
function M.yuan(x)
  local cents = x * 100
  return math.floor(cents + 0.5 + 1e-12 * math.abs(cents)) / 100
end

-- 比例 x (小数, 0.055 = 5.5%) 写成百分数文字 (不带 %), 用于 "…%, 高于/低于 …%" 一类理由。
-- 默认保留1位小数 (四舍五入, 去掉末尾的0: 0.048 → "4.8", 0.06 → "6"); 给了 limit 且 x ≠ limit 时,
-- 位数不够看出 x 在 limit 哪一侧就多保留一位 (至多4位): 裁员率 0.0551 与标准 0.055 写作 "5.51", 不写
-- "5.5%, 高于5.5%"; 研发占比 0.04996 与 0.05 写作 "4.996", 不写 "5%, 低于5%"。
local function round_to(v, digits)
  local scale = 10 ^ digits
  return math.floor(v * scale + 0.5) / scale
end
function M.percent(x, limit)
  local v
  for digits = 1, 4 do
    v = round_to(x * 100, digits)
    if limit == nil or x == limit then break end
    local l = round_to(limit * 100, digits)
    if (x < limit and v < l) or (x > limit and v > l) then break end
  end
  return string.format("%g", v)
end

-- 排除条款: 失信被执行人 / 经营异常名录。资料未见宝安政策原文, 属通行条款
-- (typical, unverified for Bao'an), 由服务参数 exclude_dishonest / exclude_abnormal 开关。
-- 直接放入规则的 conditions 列表: conditions = { baoan.not_dishonest, ... }
M.not_dishonest = { "未列入失信被执行人名单", function(p, ctx)
  if not ctx.params.exclude_dishonest then return true end
  return not p.dishonest
end }

M.not_abnormal = { "未列入经营异常名录", function(p, ctx)
  if not ctx.params.exclude_abnormal then return true end
  return not p.abnormal_operation
end }

-- "四上" 入库营业收入标准 (万元); 不以营业收入入库的行业返回 nil。
-- 规上服务业分行业标准见 domain.md §2.2 (gsweb.com.cn 转载); 规上工业 2000万 为通行口径;
-- 批发、零售、住宿餐饮 (限上) 标准资料未找到, 以参数给出 (待核实)。
-- 有资质建筑业 (E) 与房地产开发经营 (K701) 按资质入库, 金融业 (J) 等不在 "四上" 口径内。
local threshold_param = by_code(function(code)
  if code_in(code, "B", "C", "D") then return "industry_threshold" end
  if code_in(code, "F51") then return "wholesale_threshold" end
  if code_in(code, "F52") then return "retail_threshold" end
  if code_in(code, "H") then return "hospitality_threshold" end
  -- 交通运输仓储邮政、信息传输软件和信息技术服务、水利环境公共设施、卫生
  if code_in(code, "G", "I", "N", "Q84") then return "service_high_threshold" end
  -- 租赁和商务服务、科学研究和技术服务、教育、物业管理/房地产中介/租赁/其他房地产
  if code_in(code, "L", "M", "P", "K702", "K703", "K704", "K709") then return "service_mid_threshold" end
  -- 居民服务修理和其他服务、文化体育娱乐、社会工作
  if code_in(code, "O", "R", "Q85") then return "service_low_threshold" end
  return false
end)

function M.above_scale_threshold(p, params)
  local name = threshold_param(M.industry_code(p))
  if not name then return nil end
  return params[name]
end

return M
