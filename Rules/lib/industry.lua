-- 行业代码 (GB/T 4754-2017, domain.md §4.3) 的规范化。规则中: local industry = require("industry")
-- (lib/baoan.lua 以 baoan.industry_code、baoan.trim 提供同样的函数)。
--
-- 行业判断 (划型 scale_of、三产、制造业、四上入库标准) 都先经 code(p) 规范化, 只在这里做一次:
-- 去首尾空白、转大写、去掉中间的空格和连字符 (" c39-81 " → "C3981")。代码须以门类字母 A–T 开头才能归类。
-- 本文件不依赖其他 lib, lib/sme_scale.lua 和 lib/baoan.lua 都加载它。

local M = {}

-- 去掉首尾空白 (ASCII 空白和全角空格 U+3000)。
local FULLWIDTH_SPACE = "\u{3000}"
function M.trim(s)
  repeat
    local before = s
    s = s:gsub("^%s+", ""):gsub("%s+$", "")
    if s:sub(1, 3) == FULLWIDTH_SPACE then s = s:sub(4) end
    if s:sub(-3) == FULLWIDTH_SPACE then s = s:sub(1, -4) end
  until s == before
  return s
end

local SECTION = {}
for letter in ("ABCDEFGHIJKLMNOPQRST"):gmatch(".") do SECTION[letter] = true end

-- 代码写法的整理: 去首尾空白、转大写, 并去掉字母数字之间的空格和连字符 ("f 52-23" → "F5223")。
-- (读入画像时主机已去掉 *_code 字段中间的空格和 Excel 的文本标记 ' ="…", 见 docs/data.md;
-- 连字符和大小写在这里处理, 测试用例直接给出的写法也一样。)
-- 含其他字符的文字 (如 "零售业") 只去首尾空白、转大写。
function M.tidy(raw)
  local s = string.upper(M.trim(raw))
  local squeezed = s:gsub("[%s%-]", "")
  if squeezed ~= "" and not squeezed:find("[^%w]") then return squeezed end
  return s
end

-- 原文 → 规范代码, 没有门类字母时为 false。按原文缓存 (最多5000种写法, 以免异常数据占满内存)。
local code_cache, code_cached = {}, 0
function M.normalise(raw)
  local v = code_cache[raw]
  if v == nil then
    local s = M.tidy(raw)
    v = SECTION[s:sub(1, 1)] and s or false
    if code_cached < 5000 then
      code_cache[raw] = v
      code_cached = code_cached + 1
    end
  end
  return v
end

-- 企业的行业代码, 规范化且带门类字母 (如 "C3981")。
-- 没有门类字母的代码 (纯数字 "4710"、文字 "制造业") 无法归类: 不猜门类 (不当作三产或其他行业), 而读取
-- industry_section (行业代码门类字母); 它也缺时, 调用方的条件为待定, 理由为
-- "缺少数据 行业代码门类字母(industry_section)"。提供了门类字母时, 纯数字代码接在字母后
-- ("E" + "4710" → "E4710"), 其他写法只按门类归类。
function M.code(p)
  local raw = p.industry_code
  local code = M.normalise(raw)
  if code then return code end
  local section = p.industry_section
  local digits = M.tidy(raw)
  if digits:match("^%d+$") then return section .. digits end
  return section
end

return M
