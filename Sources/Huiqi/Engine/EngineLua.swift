/// The engine's own Lua code, loaded once into every rule state after the sandbox.
///
/// It implements the rule contract of PRODUCT.md §5 on the Lua side: the strict read-only profile
/// `p`, the helpers every rule sees, rule-file validation, and the evaluation driver that runs all
/// services for one profile in a single protected call. The host reads results from flat arrays
/// (`O_CODE`, `O_PACK`, …) so nothing is allocated per profile on the happy path.
///
/// Condition results are packed two bits per condition (1 passed, 2 failed, 3 unknown), so a rule
/// may have at most 32 conditions. When a condition reads a declared field the profile lacks, the
/// driver stops with a marker; the host records `unknown` and resumes at the next condition.
enum EngineLua {
    static let maxConditions = 32

    static let source = #"""
    local debug_lib = ...
    local sb = __sandbox
    local values, readonly, suggest, protected = sb.values, sb.readonly, sb.suggest, sb.protected
    local error, type, pairs, next, tostring, tonumber, rawget, setmetatable, math_type, string_format, meter =
          error, type, pairs, next, tostring, tonumber, rawget, setmetatable, math.type, string.format, __meter
    local getinfo = debug_lib.getinfo

    local E = {}            -- what the host reaches (global __engine)
    local FIELDS = {}       -- declared field name -> label
    local MISSING = {}      -- declared field name -> marker raised when the profile lacks it
    local OUTCOME = {}      -- private key tagging eligible()/ineligible()/undetermined() results

    -- ---------------------------------------------------------------- the profile `p`
    local data = {}
    local function absent(k, level)
      local m = MISSING[k]
      if m then error(m, 0) end
      local hint = suggest(k, FIELDS)
      error(string_format("unknown profile field '%s'%s", tostring(k),
        hint and string_format(" (did you mean '%s'?)", hint) or " (not declared in schema.yaml)"), level)
    end
    local data_mt = {  -- shared by every profile table (see E.prepare_reference)
      __index = function(_, k) absent(k, 3) end,
      __newindex = function(_, k) error(string_format("the profile is read-only: cannot set '%s' (档案只读)", tostring(k)), 2) end,
      __metatable = false,
    }
    setmetatable(data, data_mt)
    protected[data] = true

    local cur_slot, cur_phase, cur_cond, cur_packed, cur_rule = 0, 0, 0, 0, 0
    local tracing, TRACE = false, {}

    local function traced_index(_, k)
      TRACE[#TRACE + 1] = { cur_slot, cur_phase, cur_cond, k }
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

    -- ---------------------------------------------------------------- helpers every rule sees
    values.has = function(p, field)
      if p ~= P then error("has: the first argument must be the profile p", 2) end
      if FIELDS[field] == nil then
        local hint = suggest(field, FIELDS)
        error(string_format("has: unknown profile field '%s'%s", tostring(field),
          hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
      end
      if tracing then TRACE[#TRACE + 1] = { cur_slot, cur_phase, cur_cond, field } end
      return rawget(data, field) ~= nil
    end

    local function tagged(code, what)
      return function(reason, opts)
        if reason ~= nil and type(reason) ~= "string" then
          error(string_format("%s: the reason must be a string, got %s", what, type(reason)), 2)
        end
        if opts ~= nil and type(opts) ~= "table" then error(what .. ": the second argument must be a table like {amount = 1000}", 2) end
        return { [OUTCOME] = code, reason = reason, amount = opts and opts.amount, score = opts and opts.score }
      end
    end
    values.eligible = tagged(1, "eligible")
    values.ineligible = tagged(2, "ineligible")
    values.undetermined = tagged(3, "undetermined")

    local function ymd(s, fname)
      if type(s) ~= "string" then
        error(string_format("%s: expected an ISO date 'YYYY-MM-DD', got %s", fname, type(s)), 3)
      end
      local y, m, d = s:match("^(%d%d%d%d)-(%d%d)-(%d%d)$")
      if not y then error(string_format("%s: '%s' is not an ISO date 'YYYY-MM-DD'", fname, s), 3) end
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
      if math_type(n) ~= "integer" then error("add_months: n must be an integer", 2) end
      local total = y * 12 + (m - 1) + n
      local ny, nm = total // 12, total % 12 + 1
      local nd = day
      local last = days_in_month(ny, nm)
      if nd > last then nd = last end
      return string_format("%04d-%02d-%02d", ny, nm, nd)
    end
    values.industry_in = function(p, ...)
      if p ~= P then error("industry_in: the first argument must be the profile p", 2) end
      local code = p.industry_code
      if type(code) ~= "string" then return false end
      for i = 1, select("#", ...) do
        local prefix = select(i, ...)
        if type(prefix) ~= "string" then error("industry_in: industry prefixes must be strings like \"C\" or \"I65\"", 2) end
        if code:sub(1, #prefix) == prefix then return true end
      end
      return false
    end
    -- scale_of is called by many rules for the same business: remember its answer for the current
    -- profile (`run` forgets it when a new profile starts). Not while tracing, so `explain` shows
    -- the fields each condition read.
    local scale_impl, scale_memo
    values.scale_of = function(p)
      if p ~= P then error("scale_of: the argument must be the profile p", 2) end
      if scale_memo and not tracing then return scale_memo end
      if not scale_impl then
        scale_impl = values.require("sme_scale")
        if type(scale_impl) ~= "function" then error("lib/sme_scale.lua must return a function(p)", 2) end
      end
      local s = scale_impl(p)
      scale_memo = s
      return s
    end
    values.print = function(...)
      local parts = {}
      for i = 1, select("#", ...) do parts[i] = tostring((select(i, ...))) end
      local n = #E.printed
      if n < 200 then E.printed[n + 1] = table.concat(parts, "\t") end
    end
    E.printed = {}

    -- ---------------------------------------------------------------- schema and catalog from the host
    function E.declare(fields)
      for name, label in pairs(fields) do
        FIELDS[name] = label
        MISSING[name] = { missing = name }
      end
    end

    -- Deep read-only copy of a params value; unknown params are errors with a hint.
    local function freeze(v, name)
      if type(v) ~= "table" then return v end
      local t = {}
      for k, x in pairs(v) do t[k] = freeze(x, name .. "." .. tostring(k)) end
      return readonly(t, name)
    end
    function E.make_ctx(as_of, service, params)
      local p = {}
      for k, v in pairs(params) do p[k] = freeze(v, "ctx.params." .. k) end
      setmetatable(p, { __index = function(_, k)
        local hint = suggest(k, p)
        error(string_format("service %s has no param '%s' in force on %s%s", service.id, tostring(k), as_of,
          hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
      end })
      return readonly({ as_of = as_of, service = freeze(service, "ctx.service"), params = readonly(p, "ctx.params") }, "ctx")
    end

    -- ---------------------------------------------------------------- rule files
    local RULES = {}
    local RULE_KEYS = { id = true, service = true, subjects = true, effective = true, conditions = true,
      evaluate = true, amount = true, score = true, description = true, name = true }

    local function check_rule(r, where)
      local problems = {}
      local function bad(fmt, ...) problems[#problems + 1] = string_format(fmt, ...) end
      if type(r) ~= "table" then return nil, { where .. ": a rule must be a table, got " .. type(r) } end
      for k in pairs(r) do
        if not RULE_KEYS[k] then
          local hint = suggest(k, RULE_KEYS)
          bad("unknown key '%s'%s", tostring(k), hint and string_format(" (did you mean '%s'?)", hint) or "")
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
          for _, key in ipairs({ "from", "to" }) do
            local v = r.effective[key]
            if v ~= nil and (type(v) ~= "string" or not v:match("^%d%d%d%d%-%d%d%-%d%d$")) then
              bad("effective.%s must be an ISO date string 'YYYY-MM-DD'", key)
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
            if type(c) ~= "table" or type(c[1]) ~= "string" or type(c[2]) ~= "function" then
              bad("conditions[%d] must be { \"label\", function(p, ctx) ... end }", i)
            else
              d.labels[i] = c[1]
              d.lines[i] = getinfo(c[2], "S").linedefined
            end
          end
        end
      elseif type(r.evaluate) ~= "function" then
        bad("'evaluate' must be a function(p, ctx)")
      else
        d.lines[1] = getinfo(r.evaluate, "S").linedefined
      end
      if r.amount ~= nil and type(r.amount) ~= "number" and type(r.amount) ~= "function" then bad("'amount' must be a number or a function(p, ctx)") end
      if r.score ~= nil and type(r.score) ~= "number" and type(r.score) ~= "function" then bad("'score' must be a number or a function(p, ctx)") end
      d.has_evaluate = r.evaluate ~= nil
      d.description = type(r.description) == "string" and r.description or nil
      if #problems > 0 then return nil, problems end
      return d
    end

    -- Compiles one rule file and registers its rules; returns descriptors, or nil and problems.
    function E.load_rule_file(source, chunkname)
      local f, err = sb.load_chunk(source, chunkname)
      if not f then return nil, { err } end
      local ok, result = xpcall(f, debug_lib.traceback)
      if not ok then return nil, { tostring(result) } end
      local list = result
      if type(result) == "table" and (result.id ~= nil or result.conditions ~= nil or result.evaluate ~= nil) then list = { result } end
      if type(list) ~= "table" or #list == 0 then
        return nil, { chunkname:sub(2) .. ": a rule file must return a rule table or a list of rule tables" }
      end
      local descriptors, problems = {}, {}
      for i, r in ipairs(list) do
        local d, errs = check_rule(r, string_format("rule %d", i))
        if d then
          local rule = { id = r.id, service = r.service, evaluate = r.evaluate, amount = r.amount, score = r.score }
          -- What the driver needs to know about amount and score, worked out once here rather than
          -- with type() on every eligible decision (type() interns its answer: ~400 instructions).
          for _, what in ipairs({ "amount", "score" }) do
            local v = r[what]
            if type(v) == "function" then rule[what .. "_fn"] = v
            elseif v ~= nil and v == v and v ~= math.huge and v ~= -math.huge then rule[what .. "_k"] = v
            elseif v ~= nil then rule[what .. "_bad"] = true end  -- NaN or infinite: an error each time, as before
          end
          if r.subjects then
            rule.subjects = {}
            for _, s in ipairs(d.subjects) do rule.subjects[s] = true end
          end
          if r.conditions then
            rule.conditions = {}
            for k, c in ipairs(r.conditions) do rule.conditions[k] = c[2] end
          end
          RULES[#RULES + 1] = rule
          d.index = #RULES
          descriptors[#descriptors + 1] = d
        else
          for _, e in ipairs(errs) do problems[#problems + 1] = string_format("rule %d (%s): %s", i, tostring(r.id), e) end
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
    -- O_MISS[j] = { condition, field, … } (condition 0: outside conditions); O_ERR[j] = message + traceback.
    -- "Nothing" is `false` in these arrays, never nil: setting an existing key is Lua's fast path,
    -- while setting nil where a key is absent goes through luaV_finishset and luaH_newkey every time.
    local O_MISS, O_ERR = {}, {}
    E.O_CODE, E.O_PACK, E.O_AMOUNT, E.O_SCORE, E.O_REASON = O_CODE, O_PACK, O_AMOUNT, O_SCORE, O_REASON
    E.O_MISS, E.O_ERR = O_MISS, O_ERR
    E.data, E.P, E.data_mt = data, P, data_mt

    -- plan: list of { rules = {rule index, ...}, as_of, service, params }; each slot gets its ctx here.
    -- Each slot also remembers, per subject type, which of its rules serves it (`pick`).
    function E.set_plan(plan)
      for _, slot in ipairs(plan) do
        slot.ctx = E.make_ctx(slot.as_of, slot.service, slot.params)
        slot.pick = {}
      end
      SLOTS, NSLOTS = plan, #plan
      for j = 1, NSLOTS do
        O_CODE[j], O_PACK[j] = 0, 0
        O_AMOUNT[j], O_SCORE[j], O_REASON[j], O_MISS[j], O_ERR[j] = false, false, false, false, false
      end
    end

    local LOW = 0x5555555555555555
    local function finite(v, what, rule)
      if v == nil then return nil end
      if type(v) ~= "number" or v ~= v or v == math.huge or v == -math.huge then
        error(string_format("rule '%s': %s must be a finite number, got %s", rule.id, what, tostring(v)), 0)
      end
      return v
    end

    -- Codes: 1 eligible, 2 ineligible, 3 undetermined, 5 no rule for this subject type; the rule
    -- index is stored above the low three bits.
    local metering = true
    local function run(start_slot, start_cond, start_packed)
      local subject = rawget(data, "subject_type")
      local by_subject = type(subject) == "string"
      if start_slot == 1 and start_cond == 1 then scale_memo = nil end
      for j = start_slot, NSLOTS do
        if metering then meter() end
        cur_slot, cur_phase, cur_cond = j, 1, 0
        local slot = SLOTS[j]
        local cands = slot.rules
        local rule, ri
        local picked = by_subject and slot.pick[subject]
        if picked then
          ri = picked
          rule = RULES[ri]
        elseif picked == nil or not by_subject then
          for c = 1, #cands do
            local r = RULES[cands[c]]
            if r.subjects == nil or r.subjects[subject] then rule, ri = r, cands[c]; break end
          end
          if by_subject then slot.pick[subject] = ri or false end
        end
        cur_rule = ri or cands[1]
        O_AMOUNT[j], O_SCORE[j], O_REASON[j], O_PACK[j] = false, false, false, 0
        if rule == nil then
          O_CODE[j] = 5 | (cands[1] << 3)
        else
          local ctx = slot.ctx
          local code, amount, score
          local conds = rule.conditions
          if conds then
            local packed, k0 = 0, 1
            if j == start_slot then packed, k0 = start_packed, start_cond end
            cur_phase = 2
            for k = k0, #conds do
              cur_cond, cur_packed = k, packed
              if conds[k](P, ctx) then packed = packed | (1 << (2 * k - 2))
              else packed = packed | (2 << (2 * k - 2)) end
            end
            O_PACK[j] = packed
            local lowbits, highbits = packed & LOW, (packed >> 1) & LOW
            if highbits & ~lowbits ~= 0 then code = 2
            elseif highbits & lowbits ~= 0 then code = 3
            else code = 1 end
          else
            cur_phase = 3
            local r1, r2 = rule.evaluate(P, ctx)
            if type(r1) == "table" and r1[OUTCOME] then
              code, amount, score = r1[OUTCOME], r1.amount, r1.score
              O_REASON[j] = r1.reason or false
            elseif r1 == true or r1 == false then
              code = r1 and 1 or 2
              if r2 ~= nil and type(r2) ~= "string" then
                error(string_format("rule '%s': evaluate's second result must be a reason string", rule.id), 0)
              end
              O_REASON[j] = r2 or false
            else
              error(string_format("rule '%s': evaluate must return eligible(...), ineligible(...), undetermined(...) or true/false, got %s",
                rule.id, tostring(r1)), 0)
            end
          end
          if code == 1 then
            cur_phase = 4
            if amount ~= nil then amount = finite(amount, "amount", rule)
            elseif rule.amount_fn then amount = finite(rule.amount_fn(P, ctx), "amount", rule)
            elseif rule.amount_bad then finite(rule.amount, "amount", rule)
            else amount = rule.amount_k end
            O_AMOUNT[j] = amount or false
            cur_phase = 5
            if score ~= nil then score = finite(score, "score", rule)
            elseif rule.score_fn then score = finite(rule.score_fn(P, ctx), "score", rule)
            elseif rule.score_bad then finite(rule.score, "score", rule)
            else score = rule.score_k end
            O_SCORE[j] = score or false
          end
          O_CODE[j] = code | (ri << 3)
        end
      end
      return true
    end

    local function with_traceback(e)
      if type(e) == "table" then return e end
      return debug_lib.traceback(tostring(e), 2)
    end

    -- Evaluates the profile (a fresh table from the host, or the current one when resuming) from
    -- `start_slot` on. A condition that reads a missing field
    -- is recorded as unknown and the driver resumes at the next condition; missing data elsewhere
    -- makes the slot undetermined; a rule error makes it `error`; either way the next slot goes on.
    -- This all happens here, in Lua, because it is frequent. What this loop cannot handle — the
    -- instruction budget (which keeps firing once exhausted) and memory failures — escapes to the
    -- host, which records it for `cur_slot` and calls again from the next slot.
    -- `redo`: the host is evaluating this profile again (see RuleRuntime.evaluate); forget the
    -- lines rules printed during the first attempt, so `huiqi test` shows each line once.
    -- `metered`: the count hook is on, so each slot starts with a fresh budget (`__meter`). Without
    -- it (lazy metering, the reference loop) no budget is counted and the C call is skipped.
    local printed_mark = 0
    function E.evaluate_profile(start_slot, profile, redo, metered)
      metering = metered == true
      if profile then
        data = profile
        if not tracing then P_mt.__index = profile end
        local printed = E.printed
        if redo then
          for i = #printed, printed_mark + 1, -1 do printed[i] = nil end
        end
        printed_mark = #printed
      end
      -- Forget the previous profile's missing fields and errors, for every slot from start_slot:
      -- bookkeeping of which slots have any can be cut short by an error (memory cap, a stopped
      -- lazy attempt) and then leaves a list that grows with every later profile.
      for j = start_slot, NSLOTS do O_MISS[j], O_ERR[j] = false, false end
      local s, c, pk = start_slot, 1, 0
      while s <= NSLOTS do
        local ok, err = xpcall(run, with_traceback, s, c, pk)
        if ok then return end
        local j = cur_slot
        if type(err) == "table" and err.missing then
          local m = O_MISS[j]
          if not m then m = {}; O_MISS[j] = m end
          if cur_phase == 2 then
            m[#m + 1], m[#m + 2] = cur_cond, err.missing
            s, c, pk = j, cur_cond + 1, cur_packed | (3 << (2 * cur_cond - 2))
          else
            m[#m + 1], m[#m + 2] = 0, err.missing
            O_CODE[j], O_PACK[j] = 3 | (cur_rule << 3), 0
            O_REASON[j] = cur_phase >= 4 and "amount" or false
            s, c, pk = j + 1, 1, 0
          end
        else
          O_ERR[j] = tostring(err)
          O_CODE[j], O_PACK[j] = 4 | (cur_rule << 3), cur_phase == 2 and cur_packed or 0
          s, c, pk = j + 1, 1, 0
        end
      end
    end

    function E.state() return cur_slot, cur_phase, cur_cond, cur_packed, cur_rule end

    -- The benchmark's pure-Lua reference (PRODUCT.md §8): the same driver over profiles already
    -- built as Lua tables, with no host in the loop. Returns rule evaluations (profiles × slots).
    function E.prepare_reference(list)
      for i = 1, #list do setmetatable(list[i], data_mt) end
    end
    -- With `first`/`last`, only slots first..last run (the benchmark's per-service breakdown);
    -- per-profile memos are forgotten for every profile, so each range pays for its own helpers.
    function E.reference_loop(list, first, last)
      local saved, saved_n = data, NSLOTS
      first = first or 1
      if last then NSLOTS = last end
      for i = 1, #list do
        data = list[i]
        P_mt.__index = data
        scale_memo = nil
        E.evaluate_profile(first)
      end
      data = saved
      P_mt.__index = data
      local n = NSLOTS - first + 1
      NSLOTS = saved_n
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
