/// The engine's own Lua code, loaded once into every rule state after the sandbox.
///
/// It implements the rule contract of PRODUCT.md §5 on the Lua side: the strict read-only profile
/// `p`, the helpers every rule sees, rule-file validation, and the evaluation drivers that run all
/// services for one profile in a single protected call: Lua source generated from the plan, one
/// driver per subject type (`compile_driver`). The host reads results from flat arrays
/// (`O_CODE`, `O_PACK`, …) so nothing is allocated per profile on the happy path.
///
/// Condition results are packed two bits per condition (1 passed, 2 failed, 3 unknown), so a rule
/// may have at most 32 conditions. When a condition reads a declared field the profile lacks, it
/// stops with a marker; `evaluate_profile` records `unknown` and resumes at the next condition.
enum EngineLua {
    static let maxConditions = 32

    static let source = #"""
    -- with_traceback: tables pass, anything else gets a traceback (C); new_strict_index: the
    -- profile table's __index, in C (hq_strict_index in shim.h).
    local debug_lib, with_traceback, new_strict_index = ...
    local sb = __sandbox
    local values, readonly, suggest, protected = sb.values, sb.readonly, sb.suggest, sb.protected
    local LOADING_EPOCH = sb.loading_epoch  -- see the sandbox's require and E.evaluate_profile
    local error, type, pairs, next, tostring, tonumber, rawget, setmetatable, math_type, string_format, meter =
          error, type, pairs, next, tostring, tonumber, rawget, setmetatable, math.type, string.format, __meter
    local getinfo = debug_lib.getinfo

    local E = {}            -- what the host reaches (global __engine)
    local FIELDS = {}       -- declared field name -> label
    local MISSING = {}      -- declared field name -> marker raised when the profile lacks it
    local MARKER_FIELD = {} -- marker -> its field's schema index: the engine's markers and nothing else
    local INPUT_NAMES = {}  -- a field's label or alias (how inputs name it) -> the field name rules use
    local OUTCOME = {}      -- private key tagging eligible()/ineligible()/undetermined() results

    -- ---------------------------------------------------------------- the profile `p`
    local data = {}
    -- For a key that is a field's label or alias: the name rules read it by (analyst review:
    -- p["成立日期"] was "not declared in schema.yaml", which is false).
    local function field_hint(k)
      local name = INPUT_NAMES[k]
      return name and string_format(": that is how inputs name the field '%s'; rules read it as p.%s (规则中请用字段英文名)", name, name)
    end
    local function absent(k, level)
      local m = MISSING[k]
      if m then error(m, 0) end
      local hint = suggest(k, FIELDS)
      error(string_format("unknown profile field '%s'%s", tostring(k), field_hint(k)
        or hint and string_format(" (did you mean '%s'? 字段名可能拼错)", hint) or " (not declared in schema.yaml; 档案中没有该字段)"), level)
    end
    local data_mt = {  -- shared by every profile table (see E.prepare_reference)
      -- A declared field the profile lacks is the frequent case: its marker is raised in C, with
      -- no Lua call. Any other key: absent(k, 3).
      __index = new_strict_index(MISSING, absent),
      __newindex = function(_, k) error(string_format("the profile is read-only: cannot set '%s' (档案只读)", tostring(k)), 2) end,
      __metatable = false,
    }
    setmetatable(data, data_mt)
    protected[data] = true

    -- Where evaluation is (for errors, the host's budget handling and tracing), kept as cheap to
    -- update as the generated drivers (compile_driver) can make it, since they update it before
    -- every slot and condition:
    --   S.at = slot | rule index << 16 | phase << 56 (phase: 1 picking the rule, 2 conditions,
    --          3 evaluate, 4 amount, 5 score): one constant, so entering a slot is one VM instruction;
    --   S.packed = the condition bits before the current condition. Every condition run so far has
    --          a nonzero pair of bits, so the current condition's number follows from them and need
    --          not be stored (`where`);
    --   S.metered = each slot starts a fresh instruction budget.
    -- A table rather than upvalues, so the generated drivers can set them: `S.x = v` is one VM instruction.
    local S = { at = 0, packed = 0, metered = false }
    local function at(slot, rule, phase) return slot | (rule << 16) | (phase << 56) end
    -- The number of the condition that runs after the conditions with bits in `pk` (pk >= 0: at
    -- most 31 conditions before it). COND8 answers for pk < 256, which covers rules of up to 5
    -- conditions with one table read.
    local COND8 = {}
    for pk = 0, 255 do
      local cond, rest = 1, pk
      while rest ~= 0 do rest = rest >> 2; cond = cond + 1 end
      COND8[pk] = cond
    end
    local function cond_of(pk)
      local n = 0
      while pk >= 0x100 do pk = pk >> 8; n = n + 4 end
      return n + COND8[pk]
    end
    -- slot, phase, condition (meaningful in phase 2), condition bits so far, rule index.
    local function where()
      local a, pk = S.at, S.packed
      return a & 0xFFFF, a >> 56, cond_of(pk), pk, (a >> 16) & 0xFFFFFFFFFF
    end
    local tracing, TRACE = false, {}

    local function traced_index(_, k)
      local slot, phase, cond = where()
      TRACE[#TRACE + 1] = { slot, phase, cond, k }
      local v = rawget(data, k)
      if v == nil then absent(k, 3) end
      return v
    end

    local P_mt = {
      __index = data,
      __newindex = function(_, k) error(string_format("the profile is read-only: cannot set '%s' (档案只读)", tostring(k)), 2) end,
      __pairs = function()
        local k
        return function() local v; k, v = next(data, k); return k, v end
      end,
      __metatable = false,
    }
    local P = setmetatable({}, P_mt)
    protected[P] = true

    -- A list field (`p.tags`) is read-only too: the host gives rules an empty proxy with this
    -- metatable, its list kept in LIST_REAL. A real table would let one rule change what the next
    -- rules of the same business read (`table.sort(p.tags)`, `p.tags[1] = x`).
    local LIST_REAL = setmetatable({}, { __mode = "k" })
    local LIST_MT = {
      __index = function(t, i) return LIST_REAL[t][i] end,
      __newindex = function(_, i)
        error(string_format("the profile is read-only: cannot set element %s of a list field (档案只读)", tostring(i)), 2)
      end,
      __len = function(t) return #LIST_REAL[t] end,
      __pairs = function(t)
        local list, i = LIST_REAL[t], nil
        return function() local v; i, v = next(list, i); return i, v end
      end,
      __metatable = false,
    }
    E.LIST_REAL, E.LIST_MT = LIST_REAL, LIST_MT
    -- The sandbox's `rawset` refuses `protected` tables: list proxies are protected too, without
    -- an entry each (the host makes them). Found in review: `rawset(p.tags, 1, x)` wrote into the
    -- proxy, and into the one empty list every business without tags shares.
    debug_lib.getmetatable(protected).__index = function(_, t) return LIST_REAL[t] ~= nil end

    -- ---------------------------------------------------------------- helpers every rule sees
    -- The error level, seen from the function calling this, of the first caller that is rule code
    -- (not the engine's, the driver's, the sandbox's or C): a helper's error names the rule's line
    -- (analyst review: years_between's, and eligible's in `return eligible("…", 5000)`, named a
    -- line of the engine). 0 (no position) when the rule's own frame is gone, as after
    -- `return years_between(…)` (a tail call), rather than a line of the driver.
    local function rule_level()
      for l = 2, 12 do
        local info = getinfo(l + 1, "S")  -- +1: this function's own frame
        if not info then return 0 end
        if info.what ~= "C" and info.source ~= "=engine" and info.source ~= "=driver" and info.source ~= "=sandbox" then return l end
      end
      return 0
    end
    values.has = function(p, field)
      if p ~= P then error("has: the first argument must be the profile p", rule_level()) end
      if FIELDS[field] == nil then
        local hint = suggest(field, FIELDS)
        error(string_format("has: unknown profile field '%s'%s", tostring(field), field_hint(field)
          or hint and string_format(" (did you mean '%s'?)", hint) or ""), rule_level())
      end
      if tracing then
        local slot, phase, cond = where()
        TRACE[#TRACE + 1] = { slot, phase, cond, field, true }  -- true: through has(), which raises nothing
      end
      return rawget(data, field) ~= nil
    end

    local function tagged(code, what)
      return function(reason, opts)
        if reason ~= nil and type(reason) ~= "string" then
          error(string_format("%s: the reason must be a string, got %s", what, type(reason)), rule_level())
        end
        if opts ~= nil and type(opts) ~= "table" then error(what .. ": the second argument must be a table like {amount = 1000}", rule_level()) end
        return { [OUTCOME] = code, reason = reason, amount = opts and opts.amount, score = opts and opts.score }
      end
    end
    values.eligible = tagged(1, "eligible")
    values.ineligible = tagged(2, "ineligible")
    values.undetermined = tagged(3, "undetermined")
    -- unknown("理由"): what this rule is working out cannot be decided, for the reason given, which
    -- no missing field explains (a standard the bundle does not hold, a value it cannot read).
    -- Raised, so a library function can call it from inside a condition: that condition is
    -- unknown (the rule goes on with the next, as for missing data) and its reason reads
    -- "标签: 理由"; in `evaluate`, the amount or the score, the decision is undetermined with the
    -- reason. A condition may also `return undetermined("理由")`, the same. (The rules guide
    -- said a condition's undetermined reason could only be a missing field.)
    values.unknown = function(reason)
      if type(reason) ~= "string" or reason == "" then
        error("unknown: the reason must be a non-empty string, as in unknown(\"金融业划型标准未收录\") (请写明无法判断的原因)", rule_level())
      end
      error({ [OUTCOME] = 3, reason = reason }, 0)
    end

    local function ymd(s, fname)
      if type(s) ~= "string" then
        error(string_format("%s: expected an ISO date 'YYYY-MM-DD', got %s", fname, type(s)), rule_level())
      end
      local y, m, d = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
      if not y then error(string_format("%s: '%s' is not an ISO date 'YYYY-MM-DD'", fname, s), rule_level()) end
      return tonumber(y), tonumber(m), tonumber(d)
    end
    local function days_in_month(y, m)
      if m == 2 then return (y % 4 == 0 and (y % 100 ~= 0 or y % 400 == 0)) and 29 or 28 end
      return (m == 4 or m == 6 or m == 9 or m == 11) and 30 or 31
    end
    -- Whole months from a to b (negative when b is before a), as ages are counted.
    local function months(a, b, fname)
      local y1, m1, d1 = ymd(a, fname)
      local y2, m2, d2 = ymd(b, fname)
      local n = (y2 - y1) * 12 + (m2 - m1)
      if n > 0 and d2 < d1 then n = n - 1 elseif n < 0 and d2 > d1 then n = n + 1 end
      return n
    end
    values.months_between = function(a, b) return months(a, b, "months_between") end
    values.years_between = function(a, b)
      local n = months(a, b, "years_between")
      return n >= 0 and n // 12 or -((-n) // 12)
    end
    values.add_months = function(d, n)
      local y, m, day = ymd(d, "add_months")
      if math_type(n) ~= "integer" then error("add_months: n must be an integer", rule_level()) end
      local total = y * 12 + (m - 1) + n
      local ny, nm = total // 12, total % 12 + 1
      local nd = day
      local last = days_in_month(ny, nm)
      if nd > last then nd = last end
      return string_format("%04d-%02d-%02d", ny, nm, nd)
    end
    values.industry_in = function(p, ...)
      if p ~= P then error("industry_in: the first argument must be the profile p", rule_level()) end
      local code = p.industry_code
      if type(code) ~= "string" then return false end
      for i = 1, select("#", ...) do
        local prefix = select(i, ...)
        if type(prefix) ~= "string" then error("industry_in: industry prefixes must be strings like \"C\" or \"I65\"", rule_level()) end
        if code:sub(1, #prefix) == prefix then return true end
      end
      return false
    end
    -- scale_of is called by many rules for the same business: remember its answer for the current
    -- profile (`run` forgets it when a new profile starts). Not while tracing, so `explain` shows
    -- the fields each condition read.
    local scale_impl, scale_memo
    values.scale_of = function(p)
      if p ~= P then error("scale_of: the argument must be the profile p", rule_level()) end
      if scale_memo and not tracing then return scale_memo end
      if not scale_impl then
        scale_impl = values.require("sme_scale")
        if type(scale_impl) ~= "function" then error("lib/sme_scale.lua must return a function(p)", 2) end
      end
      local s = scale_impl(p)
      scale_memo = s
      return s
    end
    -- At most 200 lines of 2,000 bytes are kept for a business (`evaluate_profile` starts each
    -- business afresh): a batch never reads them, and 400 KB lines of earlier businesses filled the
    -- memory cap of later ones (sandbox review).
    values.print = function(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      local n = #E.printed
      if n < 200 then
        local line = table.concat(parts, "\t")
        if #line > 2000 then
          -- Cut before the character byte 2001 belongs to, so a character that fits is kept whole.
          local n = 2000
          while n > 0 and (line:byte(n + 1) or 0) >= 128 and (line:byte(n + 1) or 0) < 192 do n = n - 1 end
          line = line:sub(1, n) .. "…"
        end
        E.printed[n + 1] = line
      end
    end

    -- The sandbox's pcall and xpcall pass the markers on (rule code cannot catch missing data).
    sb.set_uncatchable(MARKER_FIELD)
    E.printed = {}

    -- ---------------------------------------------------------------- schema and catalog from the host
    -- fields: name -> label; order: the names in schema order (MARKER_FIELD gives a marker's
    -- schema index, so the host learns which field was missing without reading a string).
    function E.declare(fields, order, names)
      for name, label in pairs(fields) do FIELDS[name] = label end
      for other, name in pairs(names or {}) do INPUT_NAMES[other] = name end
      for i, name in ipairs(order) do
        MISSING[name] = { missing = name }
        MARKER_FIELD[MISSING[name]] = i
      end
    end

    -- Deep read-only copy of a params value; unknown params are errors with a hint.
    local function freeze(v, name)
      if type(v) ~= "table" then return v end
      local t = {}
      for k, x in pairs(v) do t[k] = freeze(x, name .. "." .. tostring(k)) end
      return readonly(t, name)
    end
    local CTX_MT = { __index = function(t, k)
      local hint = suggest(k, t)
      error(string_format("ctx has no field '%s'%s: a rule's ctx has as_of, service and params (ctx 没有该字段)", tostring(k),
        hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
    end }
    -- later: dated params not in force yet on as_of → their first date.
    function E.make_ctx(as_of, service, params, later)
      local p = {}
      for k, v in pairs(params) do p[k] = freeze(v, "ctx.params." .. k) end
      setmetatable(p, { __index = function(_, k)
        local from = later and later[k]
        if from then
          error(string_format("param '%s' of service %s has no value on %s: its first date in catalog.yaml is %s",
            tostring(k), service.id, as_of, from), 2)
        end
        local hint = suggest(k, p)
        error(string_format("service %s has no param '%s' in catalog.yaml%s", service.id, tostring(k),
          hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
      end })
      -- An unknown key is an error, as an unknown param is: `ctx.asof` read nil, and the rule failed
      -- further on, far from the typo (analyst review).
      local ctx = setmetatable({ as_of = as_of, service = freeze(service, "ctx.service"), params = readonly(p, "ctx.params") },
        CTX_MT)
      return readonly(ctx, "ctx")
    end

    -- ---------------------------------------------------------------- rule files
    local RULES = {}
    local RULE_KEYS = { id = true, service = true, subjects = true, effective = true, conditions = true,
      evaluate = true, amount = true, score = true, description = true, name = true }

    -- The lines of a rule file's `source` that hold the word `return`, or a call of `error` (an
    -- evaluate that only raises, a paused service, is the rule's choice, not a forgotten `return`),
    -- outside comments and strings: { [line] = true }, lines numbered as Lua numbers them ("\n",
    -- "\r", "\r\n" and "\n\r" each end one). The file is read from its start, once: a function's
    -- first line may begin inside a long comment or string (`--]] evaluate = function(p) …`), or a
    -- string may go on over a line break (`\z`, `\` before it), and read from the line's start
    -- these hid a `return`, so a sound rule did not load. Comments and strings are skipped as Lua
    -- reads them: '…', "…" with escapes, [[…]] and [==[…]==] long strings, -- and --[[…]] comments.
    -- From one of these to the next by string.find, the library's own (strings' methods are the
    -- sandbox's, which look at the pattern of each call on a long subject).
    local str_find, str_match, str_sub = string.find, string.match, string.sub
    local function value_lines(source)
      local found, line, n = {}, 1, #source
      -- Past the line break at `at`, counted.
      local function past_break(at)
        line = line + 1
        local pair = str_sub(source, at, at + 1)
        return (pair == "\r\n" or pair == "\n\r") and at + 2 or at + 1
      end
      -- Counts the line breaks from `from` up to `stop`, which is not inside one.
      local function count_breaks(from, stop)
        local at = str_find(source, "[\r\n]", from)
        while at and at < stop do at = str_find(source, "[\r\n]", past_break(at)) end
      end
      -- Past the long bracket of `level` whose text starts at `from`.
      local function past_long(from, level)
        local close = str_find(source, "]" .. level .. "]", from, true)
        count_breaks(from, close or n + 1)
        return close and close + #level + 2 or n + 1
      end
      local i = 1
      while true do
        -- Whatever else lies between (operators, spaces, brackets) is passed over in one step.
        i = str_find(source, "[%w_\"'%-%[\r\n]", i)
        if not i then break end
        local ch = str_sub(source, i, i)
        if ch == "\n" or ch == "\r" then
          i = past_break(i)
        elseif ch == "-" then
          if str_sub(source, i + 1, i + 1) ~= "-" then
            i = i + 1
          else
            local level = str_match(source, "^%[(=*)%[", i + 2)
            if level then
              i = past_long(i + 4 + #level, level)
            else
              i = str_find(source, "[\r\n]", i + 2) or n + 1
            end
          end
        elseif ch == "[" then
          local level = str_match(source, "^%[(=*)%[", i)
          i = level and past_long(i + 2 + #level, level) or i + 1
        elseif ch == '"' or ch == "'" then
          local stops = ch == '"' and '[\\"\r\n]' or "[\\'\r\n]"
          i = i + 1
          while true do
            local at = str_find(source, stops, i)
            if not at then i = n + 1 break end
            local c = str_sub(source, at, at)
            if c == ch then i = at + 1 break end
            if c ~= "\\" then i = at break end  -- a line break ends an unfinished string
            local e = str_sub(source, at + 1, at + 1)
            if e == "\n" or e == "\r" then
              i = past_break(at + 1)
            elseif e == "z" then
              -- \z skips the white space after it, line breaks included.
              i = str_find(source, "[^ \t\v\f\r\n]", at + 2) or n + 1
              count_breaks(at + 2, i)
            else
              i = at + 2
            end
          end
        else
          -- A word, or a number (whose letters, 1e5 or 0xff, never spell these words).
          local word = str_match(source, "^[%w_]+", i)
          if word == "return" or word == "error" and str_match(source, "^%s*[%(\"'{%[]", i + 5) then found[line] = true end
          i = i + #word
        end
      end
      return found
    end
    -- Whether lines first..last, a function's, can end it with a value (`value_lines`). Roughly: a
    -- word on its first line before its own text, or on its last after it, also counts; both can
    -- only hide a problem, never invent one.
    local function has_return(returns, first, last)
      for line = first, last do
        if returns[line] then return true end
      end
      return false
    end
    -- `value_lines` of the file `load_rule_file` reads next, worked out in the host's unmetered call
    -- before it: the engine's look at the file is not the file's code, whose budget it would use up
    -- (a rule file holding a table of 20,000 firms, 1 MB: 2.7M instructions).
    local next_returns
    function E.read_returns(source) next_returns = { source, value_lines(source) } end

    -- Why an `effective` bound is not a date, or nil. A date written as rows and test cases may
    -- write it (`2026/1/1`, `2026年1月1日`) gets its ISO form; `2026-02-30` passed, as text shaped
    -- like a date (yearly-update review).
    local function real_day(y, m, d)
      y, m, d = tonumber(y), tonumber(m), tonumber(d)
      if m < 1 or m > 12 or d < 1 or d > days_in_month(y, m) then return nil end
      return string_format("%04d-%02d-%02d", y, m, d)
    end
    local function effective_date_problem(v)
      if type(v) ~= "string" then
        return string_format("must be a date string like \"2026-01-01\", got %s %s", type(v), tostring(v))
      end
      local y, m, d = v:match("^(%d%d%d%d)%-(%d%d)%-(%d%d)$")
      if y then
        if real_day(y, m, d) then return nil end
        return string_format("\"%s\" is not a real day (expected YYYY-MM-DD)", v)
      end
      y, m, d = v:match("^%s*(%d%d%d%d)[/%.%-](%d%d?)[/%.%-](%d%d?)%s*$")
      if not y then y, m, d = v:match("^%s*(%d%d%d%d)年(%d%d?)月(%d%d?)日%s*$") end
      local iso = y and real_day(y, m, d)
      if iso then return string_format("\"%s\" must be written YYYY-MM-DD: write \"%s\"", v, iso) end
      return string_format("\"%s\" must be an ISO date string 'YYYY-MM-DD'", v)
    end

    -- The lines of a rule file that declare `effective` (code before a `--` comment), in order.
    local function effective_lines(lines)
      local found = {}
      for n, text in ipairs(lines) do
        local code = text:match("^(.-)%-%-") or text
        if code:find("%f[%w_]effective%s*=") then found[#found + 1] = n end
      end
      return found
    end

    -- The line of `key` in an `effective` table declared from line `first` (to its `}`), else `first`
    -- (also when the value is not a table written there: `effective = PERIOD`).
    local function effective_key_line(lines, first, key)
      local head = lines[first]:match("^(.-)%-%-") or lines[first]
      if not head:find("%f[%w_]effective%s*=%s*{") then return first end
      for n = first, #lines do
        local text = lines[n]:match("^(.-)%-%-") or lines[n]
        local from = n == first and (text:find("%f[%w_]effective%s*=") or 1) or 1
        local at = text:find("%f[%w_]" .. key .. "%s*=", from)
        local close = text:find("}", from, true)
        if at and (not close or at < close) then return n end
        if close then break end
      end
      return first
    end

    -- lines: the rule file's source lines; returns: its `value_lines`; chunkname: its chunk name
    -- (conditions defined in a lib module, like baoan.not_dishonest, are not in these lines);
    -- effective_at: a function giving the line declaring this rule's `effective`, when known (looked
    -- for only when a problem needs it: the look is metered). Returns the descriptor, or nil, the
    -- problems and, by problem index, the line each is at when known.
    local function check_rule(r, where, lines, returns, chunkname, effective_at)
      local problems, at_line = {}, {}
      local function bad(fmt, ...) problems[#problems + 1] = string_format(fmt, ...) end
      local function bad_at(line, fmt, ...)
        bad(fmt, ...)
        at_line[#problems] = line
      end
      if type(r) ~= "table" then return nil, { where .. ": a rule must be a table, got " .. type(r) } end
      -- The first line that spells `k =`, for a problem with key k (analyst review: the rule's
      -- number alone; first-day review: the line at the message's end, not as file:line).
      -- In a file of several rules, only this rule's lines: from its `id = "…"` to the next
      -- rule's `id =` (code review: rule 2's bad score was reported at rule 1's `score =`).
      -- Looked for only when a problem needs a line: the look is metered, and a file holding a
      -- table of 20,000 firms would spend the budget of its own load on it.
      -- (Plain finds and one-item patterns: the engine's string library is the sandbox's, which
      -- refuses a pattern of two repetitions over a long line.)
      local first, last, before
      local function rule_lines()
        first, last, before = 1, #lines, 0
        if type(r.id) ~= "string" or r.id == "" then return end
        local dq, sq = '"' .. r.id .. '"', "'" .. r.id .. "'"
        for n, text in ipairs(lines) do
          if (text:find(dq, 1, true) or text:find(sq, 1, true)) and text:find("%f[%w_]id%s*=") then
            first, before = n, math.max(1, n - 3)  -- a key or two may come before the id
            for m = n + 1, #lines do
              if lines[m]:find("%f[%w_]id%s*=") then last = m - 1 break end
            end
            return
          end
        end
      end
      local function line_of(k)
        if type(k) ~= "string" or not k:match("^[%a_][%w_]*$") then return nil end
        if not first then rule_lines() end
        local pattern = "%f[%w_]" .. k .. "%s*=%f[^=]"
        for n = first, last do
          if lines[n]:find(pattern) then return n end
        end
        for n = first - 1, before, -1 do
          if n >= 1 and lines[n]:find(pattern) then return n end
        end
      end
      local function bad_key(k, fmt, ...)
        local line = line_of(k)
        if line then bad_at(line, fmt, ...) else bad(fmt, ...) end
      end
      for k in pairs(r) do
        if not RULE_KEYS[k] then
          local hint = suggest(k, RULE_KEYS)
          bad_key(k, "unknown key '%s'%s", tostring(k), hint and string_format(" (did you mean '%s'?) (规则表中没有这个键)", hint) or " (规则表中没有这个键)")
        end
      end
      if type(r.id) ~= "string" or r.id == "" then bad("'id' must be a non-empty string") end
      if type(r.service) ~= "string" or r.service == "" then bad("'service' must be a catalog id string") end
      local d = { id = r.id, service = r.service, labels = {}, lines = {} }
      if r.subjects ~= nil then
        if type(r.subjects) ~= "table" or #r.subjects == 0 then bad("'subjects' must be a list like {\"enterprise\", \"individual\"}")
        else
          d.subjects = {}
          for i, s in ipairs(r.subjects) do
            if type(s) ~= "string" then bad("subjects[%d] must be a string", i) else d.subjects[#d.subjects + 1] = s end
          end
        end
      end
      if r.effective ~= nil then
        if type(r.effective) ~= "table" then bad("'effective' must be a table like {from = \"2024-01-01\"}")
        else
          -- Lua keeps no line for a table field: the line of the key in this rule's `effective`
          -- declaration when the file's declarations could be told apart (`load_rule_file`),
          -- else the line that spells the value, if one does (review: the first line spelling it,
          -- another rule's in a file of two, and none for a number; given after the message,
          -- not as file:line).
          local function line_of(key, v)
            local declared = effective_at and effective_at()
            if declared then return effective_key_line(lines, declared, key) end
            if type(v) == "string" then
              for n, text in ipairs(lines) do
                if text:find('"' .. v .. '"', 1, true) or text:find("'" .. v .. "'", 1, true) then return n end
              end
            end
            return nil
          end
          for _, key in ipairs({ "from", "to" }) do
            local v = r.effective[key]
            local problem = v ~= nil and effective_date_problem(v)
            if problem then bad_at(line_of(key, v), "effective.%s %s (生效日期无效)", key, problem) end
          end
          -- `To = …` was ignored, and the rule went on deciding after its end (analyst review).
          for k in pairs(r.effective) do
            if k ~= "from" and k ~= "to" then
              local hint = type(k) == "string" and (k:lower() == "from" or k:lower() == "to") and k:lower()
                or suggest(k, { from = true, to = true })
              local line = type(k) == "string" and k:match("^[%a_][%w_]*$") and line_of(k) or nil
              bad_at(line, "unknown key '%s' in effective%s (expected from, to)", tostring(k), hint and string_format(" (did you mean '%s'?)", hint) or "")
            end
          end
          d.effective_from, d.effective_to = r.effective.from, r.effective.to
        end
      end
      if (r.conditions == nil) == (r.evaluate == nil) then
        bad("a rule needs exactly one of 'conditions' or 'evaluate'")
      elseif r.conditions ~= nil then
        if type(r.conditions) ~= "table" or #r.conditions == 0 then bad("'conditions' must be a non-empty list of {label, function}")
        elseif #r.conditions > \#(maxConditions) then bad("at most \#(maxConditions) conditions per rule (found %d)", #r.conditions)
        else
          for i, c in ipairs(r.conditions) do
            local info = type(c) == "table" and type(c[2]) == "function" and getinfo(c[2], "S")
            if not info or type(c[1]) ~= "string" then
              bad("conditions[%d] must be { \"label\", function(p, ctx) ... end }", i)
            elseif not c[1]:find("%S") then
              -- The label is the reason a reviewer reads when the condition fails.
              bad("conditions[%d] has an empty label: write what it checks, e.g. \"从业人数不超过100人\" (line %d)",
                i, info.linedefined)
            elseif c[1]:find("[\0-\31\127]") then
              -- A reviewer reads it in tables and files; the log joins a decision's reasons with \31.
              bad("conditions[%d] (line %d): the label holds a control character (a line break, a tab…): write it on one line",
                i, info.linedefined)
            elseif info.source == chunkname and not has_return(returns, info.linedefined, info.lastlinedefined) then
              -- Without `return` a condition gives nil: it would fail for every business, silently.
              bad("conditions[%d] (\"%s\", line %d) never returns a value: did you forget `return`? (条件函数没有 return)",
                i, c[1], info.linedefined)
            else
              d.labels[i] = c[1]
              d.lines[i] = info.linedefined
            end
          end
        end
      elseif type(r.evaluate) ~= "function" then
        bad("'evaluate' must be a function(p, ctx)")
      else
        local info = getinfo(r.evaluate, "S")
        d.lines[1] = info.linedefined
        -- Without `return` an evaluate gives nil: an error for every business, found only in a run.
        if info.source == chunkname and not has_return(returns, info.linedefined, info.lastlinedefined) then
          bad("evaluate (line %d) never returns a value: did you forget `return eligible(...)` or `return ineligible(...)`? (evaluate 没有 return)", info.linedefined)
        end
      end
      for _, what in ipairs({ "amount", "score" }) do
        local v = r[what]
        if v ~= nil and type(v) ~= "number" and type(v) ~= "function" then
          bad_key(what, "'%s' must be a number or a function(p, ctx), got %s (%s须为数字或函数)", what,
            type(v) == "string" and string_format("the text %q", v) or type(v), what == "amount" and "金额" or "评分")
        end
      end
      d.has_evaluate = r.evaluate ~= nil
      d.description = type(r.description) == "string" and r.description or nil
      if #problems > 0 then return nil, problems, at_line end
      return d
    end

    -- A rule table with no `return` before it, said where the table starts: Lua reads
    -- `local baoan = require("baoan")` followed by `{ … }` as a call of the module with the table
    -- ("attempt to call a table value" at the require), and a file that starts with `{` as a
    -- syntax error, neither of which says what is missing (first-day review). nil when a line
    -- starts with `return`, or none starts with `{`.
    local function missing_return_hint(source)
      local n, table_line = 0, nil
      for line in (source .. "\n"):gmatch("([^\n]*)\n") do
        n = n + 1
        if line:match("^return[%s{(]") or line:match("^return$") then return nil end
        if not table_line and line:match("^{") then table_line = n end
      end
      return table_line and string_format(" (line %d starts a table that nothing returns: write `return {` there; 规则表前是否漏写了 return?)", table_line)
    end
    -- `message` with `hint` at the end of its first line (the host reports the first line).
    local function with_hint(message, hint)
      if not hint then return message end
      local first, rest = tostring(message):match("^([^\n]*)(.*)$")
      return first .. hint .. rest
    end

    -- Compiles one rule file and registers its rules; returns descriptors, or nil and problems.
    function E.load_rule_file(source, chunkname)
      local read = next_returns
      next_returns = nil
      local f, err = sb.load_chunk(source, chunkname)
      if not f then return nil, { with_hint(err, missing_return_hint(source)) } end
      local ok, result = xpcall(f, debug_lib.traceback)
      if not ok then return nil, { with_hint(tostring(result), missing_return_hint(source)) } end
      local list = result
      if type(result) == "table" and (result.id ~= nil or result.conditions ~= nil or result.evaluate ~= nil) then list = { result } end
      if type(list) ~= "table" or #list == 0 then
        return nil, { with_hint("a rule file must return a rule table or a list of rule tables (规则文件须返回规则表)", missing_return_hint(source)) }
      end
      local lines = {}  -- for check_rule's look for the line of a bad `effective` date
      for line in (source .. "\n"):gmatch("([^\n]*)\n") do lines[#lines + 1] = line end
      local returns = read and read[1] == source and read[2] or value_lines(source)
      -- The k-th `effective =` of the file is the k-th rule's with one, when there are as many.
      local declared
      local function declaration(k)
        if not declared then
          local with_effective = 0
          for _, r in ipairs(list) do
            if type(r) == "table" and r.effective ~= nil then with_effective = with_effective + 1 end
          end
          declared = effective_lines(lines)
          if #declared ~= with_effective then declared = {} end
        end
        return declared[k]
      end
      local file = chunkname:sub(1, 1) == "@" and chunkname:sub(2) or nil
      local descriptors, problems = {}, {}
      local k = 0
      for i, r in ipairs(list) do
        local effective_at
        if type(r) == "table" and r.effective ~= nil then
          k = k + 1
          local mine = k
          effective_at = function() return declaration(mine) end
        end
        local d, errs, at = check_rule(r, string_format("rule %d", i), lines, returns, chunkname, effective_at)
        if d then
          local rule = { id = r.id, service = r.service, evaluate = r.evaluate, amount = r.amount, score = r.score }
          -- What the driver needs to know about amount and score, worked out once here rather than
          -- with type() on every eligible decision (type() interns its answer: ~400 instructions).
          for _, what in ipairs({ "amount", "score" }) do
            local v = r[what]
            if type(v) == "function" then rule[what .. "_fn"] = v
            elseif v ~= nil and v == v and v ~= math.huge and v ~= -math.huge and not (what == "amount" and v < 0) then rule[what .. "_k"] = v
            elseif v ~= nil then rule[what .. "_bad"] = true end  -- NaN or infinite: an error each time, as before
          end
          if r.subjects then
            rule.subjects = {}
            for _, s in ipairs(d.subjects) do rule.subjects[s] = true end
          end
          if r.conditions then
            rule.conditions = {}
            rule.labels = {}
            for k, c in ipairs(r.conditions) do rule.conditions[k], rule.labels[k] = c[2], c[1] end
          end
          RULES[#RULES + 1] = rule
          d.index = #RULES
          descriptors[#descriptors + 1] = d
        else
          for j, e in ipairs(errs) do
            local text = string_format("rule %d (%s): %s", i, tostring(r.id), e)
            -- As file:line, which the host reads as the problem's location.
            if at and at[j] and file then text = string_format("%s:%d: %s", file, at[j], text) end
            problems[#problems + 1] = text
          end
        end
      end
      if #problems > 0 then return nil, problems end
      return descriptors
    end

    -- Evaluates a test file's chunk (same sandbox) and returns its value.
    function E.load_test_file(source, chunkname)
      local f, err = sb.load_chunk(source, chunkname)
      if not f then return nil, err end
      local ok, result = xpcall(f, debug_lib.traceback)
      if not ok then return nil, tostring(result) end
      return result
    end

    -- ---------------------------------------------------------------- evaluation
    local SLOTS, NSLOTS = {}, 0
    local O_CODE, O_PACK, O_AMOUNT, O_SCORE, O_REASON = {}, {}, {}, {}, {}
    -- O_ERR[j] = message + traceback. MISSING_READS = { [0] = n, slot | condition << 16 | field
    -- index << 24, … }: every declared field a rule read and the profile lacks (condition 0:
    -- outside conditions), one integer each (one table write instead of three, per missing field).
    -- The host reads an array only where the slot's code says it holds something (amount and score
    -- for eligible, a reason for `evaluate` rules and undetermined, the error for errors), so nothing
    -- is cleared per profile. "Nothing" is `false`, never nil: setting an existing key is Lua's
    -- fast path, while setting nil where a key is absent goes through luaV_finishset and luaH_newkey.
    local O_ERR, MISSING_READS = {}, { [0] = 0 }
    -- UNKNOWN_WHY[n]: the reason `unknown(…)` gave, for entry n of MISSING_READS when that entry
    -- names no field (field index 0). Read only through such entries, so never cleared.
    local UNKNOWN_WHY = {}
    E.UNKNOWN_WHY = UNKNOWN_WHY
    E.O_CODE, E.O_PACK, E.O_AMOUNT, E.O_SCORE, E.O_REASON = O_CODE, O_PACK, O_AMOUNT, O_SCORE, O_REASON
    E.O_ERR, E.MISSING_READS = O_ERR, MISSING_READS
    E.data, E.P, E.data_mt = data, P, data_mt

    local LOW = 0x5555555555555555  -- the low bit of every condition's two
    -- "file:line: " of the function `f` was defined at, for errors raised about what it returned
    -- (analyst review: they named no line); "" when unknown.
    local function defined_at(f)
      local info = type(f) == "function" and debug_lib.getinfo(f, "S")
      if not info or info.what == "C" or info.linedefined <= 0 then return "" end
      return string_format("%s:%d: ", info.short_src, info.linedefined)
    end

    -- `fn`: the function that gave `v`, if any, for the error's location.
    local function finite(v, what, fn)
      if v == nil then return nil end
      if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
        -- Text in quotes: `amount = "4000"` read "got 4000", which looks like a number (analyst review).
        local got = type(v) == "string" and string_format("the text %q (%s请写数字, 不加引号和单位)", v, what == "amount" and "金额" or "评分")
          or tostring(v)
        error(string_format("%s%s must be a finite number, got %s", defined_at(fn), what, got), 0)  -- the host names the rule
      end
      -- A benefit is never negative: a negative amount is a rule or data error, not a decision
      -- (robustness review: a rent of -50000 gave 符合 with -150000.00).
      if v < 0 and what == "amount" then
        error(string_format("%samount must not be negative, got %s (金额不能为负)", defined_at(fn), tostring(v)), 0)
      end
      return v
    end

    -- A condition's result that is neither true, false nor nil (the driver calls this with the
    -- condition's function `f`; see `condition`).
    local function not_boolean(r, label, f)
      -- `return undetermined("理由")`: the condition is unknown for that reason (see `unknown`).
      if type(r) == "table" and rawget(r, OUTCOME) == 3 then
        error({ [OUTCOME] = 3, reason = type(r.reason) == "string" and r.reason ~= "" and r.reason or label }, 0)
      end
      local what, hint = "a " .. type(r), ""
      if type(r) == "string" then what = string_format("the string %q", r)
      elseif type(r) == "number" then what = tostring(r)
      elseif type(r) == "function" then hint = " (did you mean to call it? 是否漏写了调用的括号, 如 baoan.is_sme(p)?)" end
      error(string_format("%scondition \"%s\" gave %s, not true or false%s (条件须返回 true 或 false)", defined_at(f), label, what, hint), 0)
    end

    -- An eligible decision's amount or score: the one eligible{…} gave, else the rule's own (kind
    -- worked out at load: fn, a function; k, a constant; bad, NaN or infinite).
    local function figure(given, fn, k, bad, what, rule, ctx)
      if given ~= nil then return finite(given, what) end
      if fn then return finite(fn(P, ctx), what, fn) end
      if bad then return finite(rule[what], what) end
      return k
    end

    -- Phases 4 and 5 of an `evaluate` rule's eligible decision: writes O_AMOUNT[j] and O_SCORE[j].
    -- (A rule with conditions has these written out by its driver, see compile_driver.)
    local function extras(j, ri, rule, ctx, amount, score)
      S.at = at(j, ri, 4)
      O_AMOUNT[j] = figure(amount, rule.amount_fn, rule.amount_k, rule.amount_bad, "amount", rule, ctx) or false
      S.at = at(j, ri, 5)
      O_SCORE[j] = figure(score, rule.score_fn, rule.score_k, rule.score_bad, "score", rule, ctx) or false
    end

    -- What an `evaluate` returned → code, amount, score; writes its reason to O_REASON[j].
    local function judge(j, r1, r2)
      -- rawget, and only the three codes eligible()… give: a table whose metatable answered any code
      -- logged a decision under another rule, or a code meaning "error" with no message (sandbox review).
      local code = type(r1) == "table" and rawget(r1, OUTCOME)
      if code == 1 or code == 2 or code == 3 then
        O_REASON[j] = r1.reason or false
        return code, r1.amount, r1.score
      elseif r1 == true or r1 == false then
        if r2 ~= nil and type(r2) ~= "string" then
          error("evaluate's second result must be a reason string", 0)
        end
        O_REASON[j] = r2 or false
        return r1 and 1 or 2
      end
      -- Named at the evaluate's line (analyst review: only the service was named). The rule is the
      -- one S.at names, set before the call: nothing is passed on the usual path for this.
      local rule = RULES[(S.at >> 16) & 0xFFFFFFFFFF]
      error(string_format("%sevaluate must return eligible(...), ineligible(...), undetermined(...) or true/false, got %s%s",
        defined_at(rule and rule.evaluate), tostring(r1),
        r1 == nil and " (did it reach its end without a return? 是否漏写 return?)" or ""), 0)
    end

    -- The rule of `slot` that serves `subject` (nil: rules for every subject only), and its index.
    local function pick(slot, subject)
      for c = 1, #slot.rules do
        local ri = slot.rules[c]
        local r = RULES[ri]
        if r.subjects == nil or (subject ~= nil and r.subjects[subject]) then return ri, r end
      end
    end

    -- Codes: 1 eligible, 2 ineligible, 3 undetermined, 4 error, 5 no rule for this subject type;
    -- the rule index is stored above the low three bits.
    -- A driver for one subject type, generated as Lua source when the plan is set: each slot's rule,
    -- context, conditions, amount and score and result codes are fixed in the code, so a slot costs
    -- a few VM instructions besides the rule itself (a general loop spent ~95 per slot finding them).
    -- `main(s)` evaluates slots s..last of the current profile from their first condition;
    -- `resume[j](c, pk)` continues slot j from condition c (pk: the condition bits so far) after
    -- condition c - 1 read a missing field, then goes on with main(j + 1). Every slot starts with
    -- a fresh budget when metered, and keeps S up to date, so an interruption is recorded for the
    -- slot where it happened.
    -- `main` copies the tables it uses into locals once per call: a local is read by the
    -- instruction that uses it, an upvalue costs one more instruction per use.
    local function compile_driver(subject, last)
      local src, CF, CL, CX, RL, FF, FK = {}, {}, {}, {}, {}, {}, {}
      local function emit(fmt, ...) src[#src + 1] = string_format(fmt, ...) end
      -- Condition k of a rule whose first condition is CF[first]. S.packed before each condition is
      -- all that says which one is running (see `where`).
      -- A condition gives true or false (nil counts as false); anything else is a rule error,
      -- usually a function not called (`return baoan.is_sme`) that would pass for every business.
      local function condition(first, k)
        emit("  S.packed = pk; do local r = CF[%d](P, x); if r == true then pk = pk | 0x%x elseif not r then pk = pk | 0x%x else not_boolean(r, CL[%d], CF[%d]) end end",
          first + k - 1, 1 << (2 * k - 2), 2 << (2 * k - 2), first + k - 1, first + k - 1)
      end
      -- An eligible decision's amount or score (phase 4 or 5), as the rule's kind of figure allows:
      -- none, a constant (FK), a function (FF), or NaN/infinity (an error, raised by finite()).
      local function figure_code(j, ri, rule, what, out, phase)
        if rule[what .. "_fn"] then
          FF[#FF + 1] = rule[what .. "_fn"]
          return string_format("S.at = 0x%x; %s[%d] = finite(FF[%d](P, x), %q, FF[%d]) or false",
            at(j, ri, phase), out, j, #FF, what, #FF)
        elseif rule[what .. "_bad"] then
          return string_format("S.at = 0x%x; %s[%d] = finite(RL[%d].%s, %q) or false",
            at(j, ri, phase), out, j, ri, what, what)
        elseif rule[what .. "_k"] ~= nil then
          FK[#FK + 1] = rule[what .. "_k"]
          return string_format("%s[%d] = FK[%d]", out, j, #FK)
        end
        return string_format("%s[%d] = false", out, j)
      end
      local function eligible_extras(j, ri, rule)
        return figure_code(j, ri, rule, "amount", "O_AMOUNT", 4) .. "; " .. figure_code(j, ri, rule, "score", "O_SCORE", 5)
      end
      -- The start of every slot: a fresh budget, then where we are.
      local function enter(j, ri, phase, metered)
        emit("  if %s then meter() end", metered)
        emit("  S.at = 0x%x", at(j, ri, phase))
      end
      emit("local S, P, meter, judge, extras, finite, not_boolean, O_CODE, O_PACK, O_AMOUNT, O_SCORE, O_REASON, CF, CL, CX, RL, FF, FK = ...")
      emit("local main, resume = nil, {}")
      emit("main = function(s)")
      emit("local metered, CF, CX, FK, O_CODE, O_PACK, O_AMOUNT, O_SCORE = S.metered, CF, CX, FK, O_CODE, O_PACK, O_AMOUNT, O_SCORE")
      local firsts = {}
      for j = 1, last do
        local slot = SLOTS[j]
        local ri, rule = pick(slot, subject)
        emit("if s <= %d then", j)
        if rule == nil then
          enter(j, slot.rules[1], 1, "metered")
          emit("  O_PACK[%d] = 0; O_CODE[%d] = 0x%x", j, j, 5 | (slot.rules[1] << 3))
        else
          CX[j], RL[ri] = slot.ctx, rule
          enter(j, ri, rule.conditions and 2 or 3, "metered")
          emit("  local x = CX[%d]", j)
          if rule.conditions then
            firsts[j] = #CF + 1
            for k, f in ipairs(rule.conditions) do CF[#CF + 1] = f; CL[#CF] = rule.labels[k] end
            emit("  local pk = 0")
            local failed = 0
            for k = 1, #rule.conditions do
              condition(firsts[j], k)
              failed = failed | (2 << (2 * k - 2))
            end
            -- No condition here met missing data (that interrupts), so each is passed or failed.
            emit("  O_PACK[%d] = pk", j)
            emit("  if pk & 0x%x == 0 then %s; O_CODE[%d] = 0x%x else O_CODE[%d] = 0x%x end",
              failed, eligible_extras(j, ri, rule), j, 1 | (ri << 3), j, 2 | (ri << 3))
          else
            emit("  local code, amount, score = judge(%d, RL[%d].evaluate(P, x))", j, ri)
            emit("  O_PACK[%d] = 0", j)
            emit("  if code == 1 then extras(%d, %d, RL[%d], x, amount, score) end", j, ri, ri)
            emit("  O_CODE[%d] = code | 0x%x", j, ri << 3)
          end
        end
        emit("end")
      end
      emit("end")
      for j = 1, last do
        local ri, rule = pick(SLOTS[j], subject)
        if rule and rule.conditions then
          emit("resume[%d] = function(c, pk)", j)
          enter(j, ri, 2, "S.metered")
          emit("  local x = CX[%d]", j)
          for k = 2, #rule.conditions do
            emit(" if c <= %d then", k)
            condition(firsts[j], k)
            emit(" end")
          end
          emit("  O_PACK[%d] = pk", j)
          emit("  local low, high = pk & 0x%x, (pk >> 1) & 0x%x", LOW, LOW)
          emit("  if high & ~low ~= 0 then O_CODE[%d] = 0x%x", j, 2 | (ri << 3))
          emit("  elseif high & low ~= 0 then O_REASON[%d] = false; O_CODE[%d] = 0x%x", j, j, 3 | (ri << 3))
          emit("  else %s; O_CODE[%d] = 0x%x end", eligible_extras(j, ri, rule), j, 1 | (ri << 3))
          if j < last then emit("  return main(%d)", j + 1) end
          emit("end")
        end
      end
      emit("return main, resume")
      local chunk = assert(load(table.concat(src, "\n"), "=driver", "t", {}))
      return { chunk(S, P, meter, judge, extras, finite, not_boolean, O_CODE, O_PACK, O_AMOUNT, O_SCORE, O_REASON, CF, CL, CX, RL, FF, FK) }
    end

    -- { subject type = driver } for every subject type some rule names, and the driver for every
    -- other subject (or none), over slots 1..last.
    local function compile_drivers(last)
      local drivers = {}
      for j = 1, last do
        for _, ri in ipairs(SLOTS[j].rules) do
          for s in pairs(RULES[ri].subjects or {}) do
            if not drivers[s] then drivers[s] = compile_driver(s, last) end
          end
        end
      end
      return drivers, compile_driver(nil, last)
    end

    -- One driver per subject type some rule names, and one for every other subject (or none):
    -- { main, resume } from compile_driver.
    local DRIVERS, OTHER_DRIVER = {}, nil

    -- plan: list of { rules = {rule index, ...}, as_of, service, params }; each slot gets its ctx here.
    function E.set_plan(plan)
      for _, slot in ipairs(plan) do slot.ctx = E.make_ctx(slot.as_of, slot.service, slot.params, slot.later) end
      SLOTS, NSLOTS = plan, #plan
      for j = 1, NSLOTS do
        O_CODE[j], O_PACK[j] = 0, 0
        O_AMOUNT[j], O_SCORE[j], O_REASON[j], O_ERR[j] = false, false, false, false
      end
      DRIVERS, OTHER_DRIVER = compile_drivers(NSLOTS)
    end

    -- A rule's own error value that is a table: its __tostring if it has one, else a fixed text, as
    -- in lua.c (tostring would give its address, so the same error would read differently in every
    -- run, between --jobs and in `explain`).
    local function table_error_text(err)
      local mt = debug_lib.getmetatable(err)
      if mt and rawget(mt, "__tostring") then
        local ok, text = pcall(tostring, err)
        if ok and type(text) == "string" then return text end
      end
      return "(error object is a table value)"
    end

    -- Evaluates the profile (the host's table, or the current one when resuming) from `start_slot`
    -- on. A condition that reads a missing field
    -- is recorded as unknown and the driver resumes at the next condition; missing data elsewhere
    -- makes the slot undetermined; a rule error makes it `error`; either way the next slot goes on.
    -- This all happens here, in Lua, because it is frequent. What this loop cannot handle — the
    -- instruction budget (which keeps firing once exhausted) and memory failures — escapes to the
    -- host, which records it for the slot in `S.at` and calls again from the next slot.
    -- `redo`: the host is evaluating this profile again (see RuleRuntime.evaluate); forget the
    -- lines rules printed during the first attempt, so `huiqi test` shows each line once.
    -- `metered`: the count hook is on, so each slot starts with a fresh budget (`__meter`). Without
    -- it (lazy metering, the reference loop) no budget is counted and the C call is skipped.
    local printed_mark, printed_by_business = 0, false
    function E.evaluate_profile(start_slot, profile, redo, metered)
      S.metered = metered == true
      if profile then
        data = profile
        if not tracing then P_mt.__index = profile end
        local printed = E.printed
        if redo then
          for i = #printed, printed_mark + 1, -1 do printed[i] = nil end
        elseif printed[1] ~= nil and printed_by_business then
          for i = #printed, 1, -1 do printed[i] = nil end  -- a new business (see values.print)
        end
        -- Lines a file's top level printed stay for the first business's reader (`huiqi test -v`).
        printed_by_business = true
        printed_mark = #printed
        MISSING_READS[0] = 0
        scale_memo = nil
      end
      local d = DRIVERS[rawget(data, "subject_type")] or OTHER_DRIVER
      local driver, resume = d[1], d[2]
      local s, c, pk = start_slot, 1, 0
      -- A new attempt for the sandbox's require: a module load cut short before this call (a lazy
      -- attempt redone, the budget or memory cap) is not "requiring itself". Also after a rule
      -- error below; not after a missing field, which no module's own code can raise (+32 VM
      -- instructions a business when done at every restart).
      LOADING_EPOCH[1] = LOADING_EPOCH[1] + 1
      while s <= NSLOTS do
        local ok, err
        if c == 1 then
          ok, err = xpcall(driver, with_traceback, s)
        else
          ok, err = xpcall(resume[s], with_traceback, c, pk)
        end
        if ok then return end
        -- S.at decoded inline (see `where`): this runs for every missing field.
        local a = S.at
        local j, phase = a & 0xFFFF, a >> 56
        -- One table read tells the engine's markers from everything else, a rule's own error
        -- tables included (a table with a `missing` key used to pass for a missing field).
        -- (A marker a rule kept from a `__close` handler and raised itself, for a field the profile
        -- has, is found by the host: RuleRuntime.readResults.)
        local field = MARKER_FIELD[err]
        if field then
          local n = MISSING_READS[0] + 1
          MISSING_READS[0] = n
          if phase == 2 then
            local packed = S.packed
            local cond = packed < 0x100 and COND8[packed] or cond_of(packed)
            MISSING_READS[n] = j | (cond << 16) | (field << 24)
            s, c, pk = j, cond + 1, packed | (3 << (2 * cond - 2))
          else
            MISSING_READS[n] = j | (field << 24)
            O_CODE[j] = 3 | (((a >> 16) & 0xFFFFFFFFFF) << 3)
            -- In the amount or score (phase 4, 5) O_PACK[j] already holds every condition's result.
            if phase < 4 then O_PACK[j] = 0 end
            O_REASON[j] = phase >= 4 and "amount" or false
            s, c, pk = j + 1, 1, 0
          end
        elseif type(err) == "table" and rawget(err, OUTCOME) == 3 and type(rawget(err, "reason")) == "string" then
          -- unknown(…): like missing data, with the rule's reason instead of a field (field 0).
          -- Library code can raise it while it loads, so a new attempt for require as after an error.
          LOADING_EPOCH[1] = LOADING_EPOCH[1] + 1
          local n = MISSING_READS[0] + 1
          MISSING_READS[0] = n
          if phase == 2 then
            local packed = S.packed
            local cond = packed < 0x100 and COND8[packed] or cond_of(packed)
            MISSING_READS[n] = j | (cond << 16)
            UNKNOWN_WHY[n] = err.reason
            s, c, pk = j, cond + 1, packed | (3 << (2 * cond - 2))
          else
            MISSING_READS[n] = j
            UNKNOWN_WHY[n] = phase >= 4 and "\#(DecisionBuilder.cannotComputeAmount): " .. err.reason or err.reason
            O_CODE[j] = 3 | (((a >> 16) & 0xFFFFFFFFFF) << 3)
            if phase < 4 then O_PACK[j] = 0 end
            O_REASON[j] = false
            s, c, pk = j + 1, 1, 0
          end
        else
          LOADING_EPOCH[1] = LOADING_EPOCH[1] + 1
          O_ERR[j] = type(err) == "table" and table_error_text(err) or tostring(err)
          O_CODE[j] = 4 | (((a >> 16) & 0xFFFFFFFFFF) << 3)
          if phase == 2 then O_PACK[j] = S.packed elseif phase < 4 then O_PACK[j] = 0 end
          s, c, pk = j + 1, 1, 0
        end
      end
    end

    function E.state() return where() end

    -- The benchmark's pure-Lua reference (PRODUCT.md §8): the same driver over profiles already
    -- built as Lua tables, with no host in the loop. Returns rule evaluations (profiles × slots).
    function E.prepare_reference(list)
      for i = 1, #list do setmetatable(list[i], data_mt) end
    end
    -- With `first`/`last`, only slots first..last run (the benchmark's per-service breakdown);
    -- per-profile memos are forgotten for every profile, so each range pays for its own helpers.
    function E.reference_loop(list, first, last)
      local saved, saved_n, saved_drivers, saved_other = data, NSLOTS, DRIVERS, OTHER_DRIVER
      first = first or 1
      -- Only slots first..last: drivers that stop at `last`, compiled here (a few milliseconds,
      -- inside the bench's timing of the loop).
      if last and last < NSLOTS then
        NSLOTS = last
        DRIVERS, OTHER_DRIVER = compile_drivers(last)
      end
      for i = 1, #list do
        data = list[i]
        P_mt.__index = data
        scale_memo = nil
        MISSING_READS[0] = 0
        E.evaluate_profile(first)
      end
      data = saved
      P_mt.__index = data
      local n = NSLOTS - first + 1
      NSLOTS, DRIVERS, OTHER_DRIVER = saved_n, saved_drivers, saved_other
      return #list * n
    end

    function E.set_tracing(on)
      tracing = on
      TRACE = {}
      P_mt.__index = on and traced_index or data
    end
    function E.trace() return TRACE end

    __engine = E
    """#
}
