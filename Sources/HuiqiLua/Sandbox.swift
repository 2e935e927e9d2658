/// The environment rule code runs in (PRODUCT.md §5 "Sandbox").
///
/// Rules see base (without `loadfile`, `dofile`, `collectgarbage`, binary `load`), `string` (without
/// `dump`, `rep` capped), `table`, `math` (without `random`), `utf8`, and a `require` that loads only
/// from the bundle's `lib/` folder. There is no `io`, `os`, `debug` or `package`. Globals and library
/// tables are read-only; reading an unknown global is an error with a "did you mean".
///
/// After `install`, the Lua global `__sandbox` holds what the host's own Lua code needs:
/// `env` (the rules' `_ENV`), `values` (add helpers here before rules load), `readonly(t, name)`,
/// `load_chunk(source, chunkname)` (compiles text in `env`), `suggest(name, candidates)`,
/// `check_modules()` (the first change rules made to a module's tables since it loaded, undone).
public enum Sandbox {
    /// Installs the sandbox into `lua`. `libraries` maps module names (`"sme_scale"`, `"a.b"`) to
    /// their source and chunk name, from the bundle's `lib/` folder.
    public static func install(into lua: LuaState, libraries: [String: (source: String, chunkName: String)]) throws(LuaError) {
        let base = lua.top
        defer { lua.top = base }
        lua.pushMessageHandler()
        try lua.load(source, chunkName: "=sandbox")
        lua.newTable(recordCount: libraries.count)
        for (name, lib) in libraries.sorted(by: { $0.key < $1.key }) {
            lua.push(LuaValue.array([.string(lib.source), .string(lib.chunkName)]))
            lua.rawSet(-2, key: name)
        }
        lua.pushDebugLibrary()  // for the module check's raw metatable access; not kept where rules reach it
        if case .failed(let kind) = lua.protectedCall(arguments: 2, results: 0, handlerIndex: base + 1, metered: false) {
            throw lua.popError(kind: kind)
        }
    }

    static let source = #"""
    local lib_sources, debug_lib = ...
    -- The module check reads and restores metatables whatever their __metatable field says.
    local raw_getmetatable, raw_setmetatable = debug_lib.getmetatable, debug_lib.setmetatable
    local error, type, pairs, next, tostring, select, rawget, rawset, rawequal, rawlen, setmetatable, getmetatable =
          error, type, pairs, next, tostring, select, rawget, rawset, rawequal, rawlen, setmetatable, getmetatable
    local load, string_format, string_find, string_gsub, string_gmatch, math_min = load, string.format, string.find, string.gsub, string.gmatch, math.min

    -- Tables rules must not change; rawset refuses them too.
    local protected = setmetatable({}, { __mode = "k" })

    local function readonly(t, name)
      local proxy = setmetatable({}, {
        __index = t,
        __newindex = function(_, k)
          error(string_format("%s is read-only: cannot set '%s' (%s是只读的)", name, tostring(k), name), 2)
        end,
        -- A closure, not `next, t`: pairs' second result would hand out `t` itself.
        __pairs = function()
          local k
          return function() local v; k, v = next(t, k); return k, v end
        end,
        __len = function() return #t end,
        __metatable = false,
      })
      protected[proxy] = true
      return proxy
    end

    -- Edit distance, for "did you mean" in error messages (error paths only); a swap of two
    -- neighbours counts as one edit (`emplyoees`), as in the host's Suggest.distance.
    local function distance(a, b)
      local la, lb = #a, #b
      if la == 0 then return lb end
      if lb == 0 then return la end
      local before, prev = nil, {}
      for j = 0, lb do prev[j] = j end
      for i = 1, la do
        local cur = { [0] = i }
        local ca = a:byte(i)
        for j = 1, lb do
          local cost = (ca == b:byte(j)) and 0 or 1
          local d = math_min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
          if before and j > 1 and ca == b:byte(j - 1) and a:byte(i - 1) == b:byte(j) then
            d = math_min(d, before[j - 2] + 1)
          end
          cur[j] = d
        end
        before, prev = prev, cur
      end
      return prev[lb]
    end

    -- The closest name among the keys of `candidates`, or nil when nothing is close.
    local function suggest(name, candidates)
      if type(name) ~= "string" then return nil end
      local best, best_d
      for k in pairs(candidates) do
        if type(k) == "string" and k:sub(1, 2) ~= "__" then
          local d = distance(name, k)
          if best_d == nil or d < best_d or (d == best_d and k < best) then best, best_d = k, d end
        end
      end
      if best and best_d <= math.max(2, #name // 3) then return best end
      return nil
    end

    local function copy(t, without)
      local c = {}
      for k, v in pairs(t) do if not (without and without[k]) then c[k] = v end end
      return c
    end

    -- Long C calls the count hook cannot interrupt: refuse pathological pattern matches. Matching
    -- backtracks over every repetition item (`*`, `+`, `-`, `?` after a character class, and `%b`):
    -- two or more on a subject over 10,000 bytes, or more than 20 on any subject (sandbox review:
    -- 40 `a?` on 40 bytes ran for hours), are refused. A plain `find` is exempt. This bounds the
    -- worst patterns, not every slow call: a step-counting matcher would (see README, Limits).
    local string_byte = string.byte
    local function skip_set(p, i)  -- p at i is "[": the index after its "]"
      i = i + 1
      if string_byte(p, i) == 94 then i = i + 1 end
      local first = true
      while true do
        local c = string_byte(p, i)
        if c == nil then return i end
        if c == 93 and not first then return i + 1 end
        i = i + ((c == 37) and 2 or 1)
        first = false
      end
    end
    local function repetitions(p)
      local k, i, n, class = 0, 1, #p, false
      if string_byte(p, 1) == 94 then i = 2 end
      while i <= n do
        local c = string_byte(p, i)
        if class and (c == 42 or c == 43 or c == 45 or c == 63) then
          k, class, i = k + 1, false, i + 1
        elseif c == 37 then
          local d = string_byte(p, i + 1)
          if d == 98 then k, i, class = k + 1, i + 4, false
          elseif d == 102 then i, class = skip_set(p, i + 2), false
          else i, class = i + 2, true end
        elseif c == 91 then i, class = skip_set(p, i), true
        elseif c == 40 or c == 41 then i, class = i + 1, false
        else i, class = i + 1, true end
      end
      return k
    end
    local limit = 10000
    local function guard_pattern(fname, f)
      return function(s, pattern, ...)
        if type(s) == "string" and type(pattern) == "string" then
          local n = #s
          -- (Only a long subject or a long pattern is looked at: at least 42 bytes hold 21 items.)
          if (n > limit or (n > 20 and #pattern >= 42)) and not (fname == "find" and select(2, ...)) then
            local k = repetitions(pattern)
            if (n > limit and k >= 2) or k > 20 then
              error(string_format("string.%s: a pattern with %d repetition items on %d bytes could run for hours (at most 1 item over %d bytes, 20 in all; 模式过于复杂)",
                fname, k, n, limit), 2)
            end
          end
        end
        return f(s, pattern, ...)
      end
    end

    local safe_string = copy(string, { dump = true })
    for _, fname in ipairs({ "find", "match", "gmatch", "gsub" }) do
      safe_string[fname] = guard_pattern(fname, string[fname])
    end
    local safe_math = copy(math, { random = true, randomseed = true })
    -- table.move over a huge range is one C loop the count hook cannot stop (sandbox review:
    -- table.move({}, 1, math.maxinteger - 1, 2) hung a batch). Rules move short lists.
    local safe_table = copy(table)
    local table_move = table.move
    safe_table.move = function(a1, f, e, t, a2)
      local nf, ne = tonumber(f), tonumber(e)  -- as table.move reads them: floats and numeric strings too (code review)
      if nf and ne and ne >= nf and ne - nf >= 100000 then
        error(string_format("table.move: %.0f elements is too many (at most 100000; 元素过多)", ne - nf + 1), 2)
      end
      return table_move(a1, f, e, t, a2)
    end

    local values = {
      assert = assert, error = error, ipairs = ipairs, next = next, pairs = pairs, pcall = pcall,
      xpcall = xpcall, select = select, tonumber = tonumber, tostring = tostring, type = type,
      rawequal = rawequal, rawlen = rawlen, rawget = rawget, getmetatable = getmetatable,
      setmetatable = setmetatable, _VERSION = _VERSION,
      string = readonly(safe_string, "string"), table = readonly(safe_table, "table"),
      math = readonly(safe_math, "math"), utf8 = readonly(copy(utf8), "utf8"),
    }
    -- Error values rule code cannot catch: the engine's missing-field markers (`set_uncatchable`),
    -- so a condition that read a missing field is unknown whatever it does (sandbox review:
    -- `pcall(function() return p.dishonest end)` made a business without the field pass). The
    -- budget error needs no such care: the hook raises it again at every instruction.
    local uncatchable = {}
    local function relay(ok, ...)
      if not ok and uncatchable[(...)] then error((...), 0) end
      return ok, ...
    end
    values.pcall = function(f, ...) return relay(pcall(f, ...)) end
    -- A message handler runs inside the count hook when the budget error is raised there, with
    -- hooks off: a handler that loops never stops (sandbox review). The sandbox's xpcall calls it
    -- after the error has unwound, as ordinary metered code; an error in it reads as Lua's.
    local table_pack, table_unpack = table.pack, table.unpack
    values.xpcall = function(f, handler, ...)
      if type(handler) ~= "function" then error("bad argument #2 to 'xpcall' (function expected)", 2) end
      local r = table_pack(relay(pcall(f, ...)))
      if r[1] then return table_unpack(r, 1, r.n) end
      local ok, v = relay(pcall(handler, r[2]))
      return false, ok and v or "error in error handling"
    end
    -- Finalizers run with hooks off, so a looping __gc could never be stopped (sandbox review).
    values.setmetatable = function(t, mt)
      if type(mt) == "table" and rawget(mt, "__gc") ~= nil then
        error("setmetatable: __gc is not available to rules (规则中不能使用 __gc)", 2)
      end
      return setmetatable(t, mt)
    end
    values.rawset = function(t, k, v)
      if protected[t] then error("rawset: this table is read-only (只读)", 2) end
      return rawset(t, k, v)
    end

    -- Strings index the sandboxed library, so ("x"):rep(n) is guarded too. Its table itself rather
    -- than the read-only `string`: one lookup per method call instead of two, and nothing a rule
    -- can reach through a string lets it write (the metatable is hidden, `s.x = v` is an error).
    local string_mt = getmetatable("")
    string_mt.__index = safe_string
    string_mt.__metatable = false

    local names_not_here = { io = true, os = true, debug = true, package = true, dofile = true,
      loadfile = true, collectgarbage = true, require = false }
    setmetatable(values, {
      __index = function(_, k)
        if names_not_here[k] then
          error(string_format("'%s' is not available to rules (规则沙箱中不可用)", tostring(k)), 2)
        end
        local hint = suggest(k, values)
        error(string_format("unknown global '%s'%s", tostring(k),
          hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
      end,
    })

    local env = setmetatable({}, {
      __index = values,
      __newindex = function(_, k)
        error(string_format("global variables are read-only: cannot assign '%s' (全局变量只读, 请用 local)", tostring(k)), 2)
      end,
      __metatable = false,
    })
    protected[env] = true

    -- Text chunks only; a chunk gets the sandbox as _ENV unless the caller passes its own table.
    values.load = function(chunk, name, mode, chunk_env)
      if type(chunk) ~= "string" then error("load: only source text is allowed (只允许文本代码)", 2) end
      -- A name starting with "@" passes for a file: errors and the budget's "where" would name
      -- another rule file and line (sandbox review). Such chunks are named as text.
      if type(name) == "string" and name:sub(1, 1) == "@" then name = "=(load) " .. name:sub(2) end
      return load(chunk, name, "t", chunk_env or env)
    end

    -- Rule and module files see the sandbox globals they name as `<const>` locals of their chunk,
    -- declared on the file's first line so its line numbers stay the same. Reading a global through
    -- `env` is a metamethod lookup (`env` is an empty read-only proxy); a const local is an upvalue
    -- read, about 110 machine instructions fewer, 24 times a business with the shipped rules.
    -- Assigning to one is then an error when the file loads, found by `huiqi check`, rather than
    -- when a business reaches the line. Only the names the text holds are declared (a chunk may
    -- have 200 locals), none when the file names `_ENV` (it may rebind the globals), and a file that
    -- does not compile with them for want of locals or registers is compiled as written.
    local function global_prelude(source)
      if source:find("_ENV", 1, true) then return "" end
      local seen, names = {}, {}
      for word in string_gmatch(source, "[%a_][%w_]*") do
        if not seen[word] then
          seen[word] = true
          if rawget(values, word) ~= nil then names[#names + 1] = word end
        end
      end
      if #names == 0 then return "" end
      table.sort(names)
      local decl = {}
      for i, k in ipairs(names) do decl[i] = k .. " <const>" end
      return "local " .. table.concat(decl, ", ") .. " = " .. table.concat(names, ", ") .. "; "
    end

    -- "attempt to assign to const variable 'has'": Lua reports it at the token after the
    -- assignment (after a function's whole body for `function has()`), so the line is the last one
    -- at or before it that assigns the name; and the hint says what to do.
    local function const_error(err, source, name)
      local where, line, rest = err:match("^(.-):(%d+):( attempt to assign to const variable .*)$")
      if not where or rawget(values, name) == nil then return err end
      local lines = {}
      for l in string_gmatch(source .. "\n", "([^\n]*)\n") do lines[#lines + 1] = l end
      local at = tonumber(line)
      for n = math_min(at, #lines), 1, -1 do
        local text = " " .. lines[n]:gsub("%-%-.*$", "")
        if text:find("[^%w_]function%s+" .. name .. "%f[^%w_]") or text:find("[^%w_.:]" .. name .. "%s*=%f[^=]")
           or text:find("[^%w_.:]" .. name .. "%s*,[%w_%s,]*=%f[^=]") then
          at = n
          break
        end
      end
      return string_format("%s:%d:%s (提示: %s 是沙箱提供的全局名, 不能赋值; 请用 local 定义自己的变量, 换个名字; sandbox globals are read-only)",
        where, at, rest, name)
    end

    local function load_chunk(source, chunkname)
      local prelude = global_prelude(source)
      local f, err = load(prelude .. source, chunkname, "t", env)
      if not f and prelude ~= "" and (err:find("too many local variables", 1, true) or err:find("registers", 1, true)) then
        f, err = load(source, chunkname, "t", env)
      end
      if not f then
        local name = err:match("attempt to assign to const variable '([%w_]+)'")
        if name then err = const_error(err, source, name) end
      end
      return f, err
    end

    -- The global names a compiled function (and every function inside it) reads, with their lines:
    -- each GETTABUP on an upvalue named _ENV, read from `string.dump`'s output (Lua 5.4's binary
    -- chunk). For `check`: a name the sandbox lacks is an error whenever a business reaches it
    -- (analyst review: `ctx` used in a function without that parameter, `year_between`, passed
    -- `check` and failed 540 businesses in the run). nil when the chunk is not laid out as
    -- expected: `dump_format_ok` checks it on a known function when the sandbox is installed.
    -- A name read through a constant past the 256th of its function, or longer than 40 bytes,
    -- compiles to GETUPVAL _ENV, LOADK name, GETTABLE: that sequence is read too. Also nil when
    -- the file declares a local named _ENV (its globals are then another table).
    -- Second result: the global names it assigns (SETTABUP on _ENV), with their lines: every one
    -- fails when reached, globals being read-only (a `local` forgotten inside a function).
    local string_dump, string_unpack, string_sub = string.dump, string.unpack, string.sub
    local OP_LOADK, OP_GETUPVAL, OP_GETTABUP, OP_GETTABLE, OP_SETTABUP = 3, 9, 11, 12, 15
    local function global_reads(f)
      local dumped, s = pcall(string_dump, f)
      if not dumped then return nil end
      local pos = 1
      local function byte()
        local b = string_byte(s, pos)
        if b == nil then error("truncated", 0) end
        pos = pos + 1
        return b
      end
      local function size()  -- 7 bits a byte, most significant first; the last byte has 0x80 set
        local x, b = 0, 0
        repeat b = byte(); x = (x << 7) | (b & 0x7F) until b & 0x80 ~= 0
        return x
      end
      local function str()  -- a size (0: none, else length + 1), then the bytes
        local n = size()
        if n == 0 then return nil end
        local v = string_sub(s, pos, pos + n - 2)
        pos = pos + n - 1
        return v
      end
      -- Header: signature, version 5.4, format 0, LUAC_DATA, sizes of Instruction, lua_Integer,
      -- lua_Number, LUAC_INT, LUAC_NUM; then the main function's upvalue count.
      if string_sub(s, 1, 4) ~= "\27Lua" or string_byte(s, 5) ~= 0x54 or string_byte(s, 6) ~= 0
         or string_byte(s, 13) ~= 4 or string_byte(s, 14) ~= 8 or string_byte(s, 15) ~= 8 then
        return nil
      end
      pos = 33
      local out, sets = {}, {}
      local function read_function()
        str()  -- source
        local line = size()  -- linedefined
        size()  -- lastlinedefined
        pos = pos + 3  -- numparams, is_vararg, maxstacksize
        local code = {}
        for i = 1, size() do code[i] = string_unpack("<I4", s, pos); pos = pos + 4 end
        local k = {}
        for i = 1, size() do
          local tag = byte()
          if tag == 3 or tag == 19 then pos = pos + 8  -- integer, float
          elseif tag == 4 or tag == 20 then k[i] = str()  -- short, long string
          elseif tag ~= 0 and tag ~= 1 and tag ~= 17 then error("constant tag " .. tag, 0) end  -- nil, false, true
        end
        local upvalues = size()  -- (not `pos + 3 * size()`: `pos` would be read before size() moves it)
        pos = pos + 3 * upvalues  -- instack, idx, kind each
        for _ = 1, size() do read_function() end  -- nested functions come before this one's debug info
        local delta = {}
        for i = 1, size() do local b = byte(); delta[i] = b >= 128 and b - 256 or b end
        local absolute = {}
        for i = 1, size() do local _ = size(); absolute[i] = size() end  -- pc (in order), line
        for _ = 1, size() do  -- locals
          if str() == "_ENV" then error("a local _ENV", 0) end
          size(); size()
        end
        local upvalue_names = {}
        for i = 1, size() do upvalue_names[i] = str() end
        local a = 1
        for pc = 1, #code do
          local d = delta[pc]
          if d == -128 then line, a = absolute[a], a + 1 else line = line + (d or 0) end
          local i = code[pc]
          local op = i & 0x7F
          if op == OP_GETTABUP and upvalue_names[((i >> 16) & 0xFF) + 1] == "_ENV" then
            local name = k[((i >> 24) & 0xFF) + 1]
            if name then out[#out + 1] = { name, line } end
          elseif op == OP_SETTABUP and upvalue_names[((i >> 7) & 0xFF) + 1] == "_ENV" then
            local name = k[((i >> 16) & 0xFF) + 1]
            if name then sets[#sets + 1] = { name, line } end
          elseif op == OP_GETTABLE and pc > 2 then
            local up, key = code[pc - 2], code[pc - 1]
            if up & 0x7F == OP_GETUPVAL and upvalue_names[((up >> 16) & 0xFF) + 1] == "_ENV" and key & 0x7F == OP_LOADK
               and (i >> 16) & 0xFF == (up >> 7) & 0xFF and (i >> 24) & 0xFF == (key >> 7) & 0xFF then
              local name = k[(key >> 15) + 1]
              if name then out[#out + 1] = { name, line } end
            end
          end
        end
      end
      local ok = pcall(read_function)
      if not ok or pos ~= #s + 1 then return nil end
      return out, sets
    end
    local dump_format_ok = (function()
      local long = "__huiqi_probe_with_a_name_longer_than_forty_bytes__"
      local probe = load("local a = 1\nreturn __huiqi_probe__, " .. long, "=probe", "t", {})
      local reads = probe and global_reads(probe)
      return reads ~= nil and #reads == 2 and reads[1][1] == "__huiqi_probe__" and reads[1][2] == 2
        and reads[2][1] == long and reads[2][2] == 2
    end)()

    -- require: modules from the bundle's lib/ folder only, loaded once per state.
    -- loading[name] holds the attempt (loading_epoch[1]) that is running the module's code: the
    -- engine starts a new attempt for each call of rule code and after a rule error, so a load cut short (an
    -- error in the module, the instruction budget, a lazily metered call redone) is not taken for
    -- a module requiring itself in the next attempt (found by a CI run under load: every later
    -- `require` of the module failed for the rest of the run).
    local loaded, loading, loading_epoch = {}, {}, { 0 }
    local module_raw = {}  -- module name -> its table as it returned it (for `module_keys`)

    -- Every table a module's value reaches (as values or keys), with a copy of its entries when
    -- the module loaded, so `check_modules` can find a rule that changed one. Only a module's top
    -- level is read-only (a read-only view of the nested tables broke identity: sentinels, module
    -- state), and one Lua state serves many businesses: a change would leak into later
    -- decisions, and differ between workers. Each entry: { table, copy, parent entry, key, its metatable or false }.
    -- A table of more than MAX_WATCHED_ENTRIES entries is not watched: the check walks every
    -- watched entry after each chunk of a run and each test case (a 300k-entry table took 0.3 s
    -- a check; review). By size, so what is watched does not depend on which module loads first.
    local module_tables, snapshotted = {}, {}
    local MAX_WATCHED_ENTRIES = 5000
    local math_type = math.type
    -- A copy of t's entries; nil past `limit` entries.
    local function copy_of(t, limit)
      local copy, n = {}, 0
      for k, v in next, t do
        n = n + 1
        if limit and n > limit then return nil end
        copy[k] = v
      end
      return copy
    end
    -- The key under which a table's metatable is watched (shown as `<metatable>` in a change).
    local METATABLE = {}
    -- Watches `queue`'s tables ({ table, parent entry, key } each) and every table they reach,
    -- metatables included: a rule's `setmetatable` on a module's table, or a change inside its
    -- metatable, would leak into later decisions as any other change (each entry keeps the
    -- table's metatable as it was, or false).
    local function watch(queue)
      local i = 1
      while queue[i] do
        local t, parent, key = queue[i][1], queue[i][2], queue[i][3]
        i = i + 1
        if not snapshotted[t] and not protected[t] then
          snapshotted[t] = true
          local copy = copy_of(t, MAX_WATCHED_ENTRIES)
          if copy then
            local mt = raw_getmetatable(t)
            local entry = { t, copy, parent, key, mt or false }
            module_tables[#module_tables + 1] = entry
            for k, v in next, copy do
              if type(v) == "table" then queue[#queue + 1] = { v, entry, k } end
              if type(k) == "table" then queue[#queue + 1] = { k, entry, k } end
            end
            if mt then queue[#queue + 1] = { mt, entry, METATABLE } end
          end
        end
      end
    end
    -- Text for a value in a message, on one line. Calls no metamethod: rule code could make one loop.
    local function value_text(v)
      local kind = type(v)
      if kind == "string" then
        if #v > 60 then
          local n = 60
          while n > 0 and (v:byte(n + 1) or 0) & 0xC0 == 0x80 do n = n - 1 end  -- a character's start
          v = v:sub(1, n) .. "…"
        end
        return (string_format("%q", v):gsub("\\\n", "\\n"))
      elseif kind == "number" or kind == "boolean" or kind == "nil" then
        return tostring(v)
      end
      return "(" .. kind .. ")"
    end
    local function key_text(k)
      if rawequal(k, METATABLE) then return "<metatable>" end  -- rawequal: a rule's key may have an __eq
      if type(k) == "string" and k:match("^[%a_][%w_]*$") then return "." .. k end
      if type(k) == "table" then return "[(a table used as a key)]" end
      return "[" .. value_text(k) .. "]"
    end
    local function path_of(entry)
      local keys = {}
      while entry[3] do
        keys[#keys + 1] = key_text(entry[4])
        entry = entry[3]
      end
      local out = entry.module or "?"
      for i = #keys, 1, -1 do out = out .. keys[i] end
      return out
    end
    local function same(a, b)
      if rawequal(a, b) then return type(a) ~= "number" or math_type(a) == math_type(b) end  -- 1 and 1.0 differ
      return a ~= a and b ~= b  -- NaN
    end
    -- The first change found and not yet reported to the host. Set before the table is put back,
    -- so a check cut short (the budget, inside `require`) loses no report.
    local pending_change
    -- Puts back every changed module table; remembers the first change unless `silent`.
    local function undo_changes(silent)
      for i = 1, #module_tables do
        local entry = module_tables[i]
        local t, copy = entry[1], entry[2]
        local mt = raw_getmetatable(t) or false
        -- rawequal: a metatable's own __eq is rule code, and could hide the change or never return.
        if not rawequal(mt, entry[5]) then
          if not silent and not pending_change then
            pending_change = string_format("%s<metatable>: %s → %s", path_of(entry), value_text(entry[5] or nil), value_text(mt or nil))
          end
          raw_setmetatable(t, entry[5] or nil)
        end
        local changed, found = nil, false
        for k, v in next, t do
          if not same(rawget(copy, k), v) then changed, found = k, true; break end
        end
        if not found then
          for k in next, copy do
            if rawget(t, k) == nil then changed, found = k, true; break end
          end
        end
        if found then
          if not silent and not pending_change then
            pending_change = string_format("%s%s: %s → %s", path_of(entry), key_text(changed),
                                           value_text(rawget(copy, changed)), value_text(rawget(t, changed)))
          end
          for k in next, t do
            if rawget(copy, k) == nil then rawset(t, k, nil) end
          end
          for k, v in next, copy do rawset(t, k, v) end
        end
      end
    end
    -- For the host: nil when no module table changed since it loaded; else the first change, as
    -- streets.LIST[3]: nil → "新区". Every changed table is put back as it was first. Silently
    -- when a module's load was cut short since the last check (the budget stopped it before its
    -- rebaseline): what it changed before it stopped is no rule's doing, and its next load does it again.
    local function check_modules()
      local cut_short = false
      for name in next, loading do
        cut_short = true
        loading[name] = nil  -- no load is running between two calls of rule code
      end
      undo_changes(cut_short)
      local first = not cut_short and pending_change or nil
      pending_change = nil
      return first
    end
    -- After a module's own code ran: what it changed in other modules' tables is how it set them
    -- up, not a rule's change (lib/b.lua adding to lib/a.lua's list); tables it added are watched.
    local function rebaseline()
      local queue = {}
      for i = 1, #module_tables do
        local entry = module_tables[i]
        entry[2] = copy_of(entry[1])
        local mt = raw_getmetatable(entry[1])
        entry[5] = mt or false
        for k, v in next, entry[2] do
          if type(v) == "table" and not snapshotted[v] then queue[#queue + 1] = { v, entry, k } end
          if type(k) == "table" and not snapshotted[k] then queue[#queue + 1] = { k, entry, k } end
        end
        if mt and not snapshotted[mt] then queue[#queue + 1] = { mt, entry, METATABLE } end
      end
      watch(queue)
    end
    values.require = function(name)
      if type(name) ~= "string" or not name:match("^[%w_]+[%w_%.]*$") or name:find("..", 1, true) then
        error(string_format("require: invalid module name '%s'", tostring(name)), 2)
      end
      local r = loaded[name]
      if r ~= nil then return r end
      local lib = lib_sources[name]
      if not lib then
        local hint = suggest(name, lib_sources)
        error(string_format("require: no module '%s' in the rules lib/ folder%s (只能加载 lib/ 目录中的模块)", name,
          hint and string_format(" (did you mean '%s'?)", hint) or ""), 2)
      end
      if loading[name] == loading_epoch[1] then error(string_format("require: module '%s' requires itself", name), 2) end
      -- Rule code's changes so far are undone before the module's own code runs (and reported by
      -- the host's next check). Not when another module is loading in this attempt: its changes
      -- so far are its setup (rebaselined when it returns). And silently when a module's load was
      -- cut short in an earlier attempt (the budget, the lazy timer): what it changed before it
      -- stopped is no rule's change, and its next load does it again.
      local nested, cut_short = false, false
      for _, epoch in next, loading do
        if epoch == loading_epoch[1] then nested = true else cut_short = true end
      end
      if not nested then undo_changes(cut_short) end
      loading[name] = loading_epoch[1]
      local f, err = load_chunk(lib[1], lib[2])
      if not f then loading[name] = nil; error(err, 0) end
      local ok, result = pcall(f, name)
      rebaseline()  -- also after an error: what the module did before it is its own
      -- Over, and rebaselined: not a load cut short (a `loading` entry left means one was).
      if not ok then loading[name] = nil; error(result, 0) end
      r = result
      if r == nil then r = true end
      if type(r) == "table" then
        module_raw[name] = r
        local first = #module_tables + 1
        watch({ { r, nil, nil } })
        if module_tables[first] then module_tables[first].module = name end
        r = readonly(r, "module " .. name)
      end
      loaded[name], loading[name] = r, nil
      return r
    end

    -- For `check`: the globals `source` reads that the sandbox does not have, as a list of
    -- { line, message, "error" or "warning" } in line order; nil when that cannot be known (the
    -- dump format; a file with a local _ENV). A file that does not compile gives an empty list
    -- (its syntax error is reported on its own).
    -- Names of standard Lua (this version's libraries left out of the sandbox, or earlier versions'
    -- globals): code that reads one may be probing for it (`table.unpack or unpack`), which works
    -- in the sandbox as long as the probe is not reached, so it is a warning. Other names are typos.
    local LUA_NAMES = { unpack = true, loadstring = true, setfenv = true, getfenv = true, module = true,
      bit32 = true, gcinfo = true, newproxy = true, jit = true, _G = true, coroutine = true, arg = true, warn = true }
    for name in next, names_not_here do LUA_NAMES[name] = true end
    local function unknown_globals(source, chunkname)
      if not dump_format_ok then return nil end
      local f = load_chunk(source, chunkname)
      if not f then return {} end
      local reads, sets = global_reads(f)
      if not reads then return nil end
      local assigned = {}  -- name -> the first line assigning it
      for _, set in ipairs(sets) do
        if not assigned[set[1]] or set[2] < assigned[set[1]] then assigned[set[1]] = set[2] end
      end
      -- Lua gives a read the line of the token that completes it (the `}` of a table, the `)` of
      -- a call, the operator after it): the name's own line is the last one at or before that
      -- which holds the name.
      local lines
      local function line_of(name, line)
        if not lines then
          lines = {}
          for l in string_gmatch(source .. "\n", "([^\n]*)\n") do lines[#lines + 1] = l end
        end
        for n = math_min(line, #lines), math.max(1, line - 30), -1 do
          if lines[n]:find("%f[%w_]" .. name .. "%f[^%w_]") then return n end
        end
        return line
      end
      local out, seen = {}, {}
      for _, read in ipairs(reads) do
        local name = read[1]
        local line = rawget(values, name) == nil and line_of(name, read[2])
        local key = line and name .. "\0" .. line
        if line and not seen[key] then
          seen[key] = true
          local message, severity = nil, "error"
          if LUA_NAMES[name] then
            severity = "warning"
            message = string_format("'%s' is not available to rules (规则沙箱中不可用): reading it fails wherever it is reached", name)
          else
            local hint = suggest(name, values)
            message = string_format("unknown global '%s'%s: not a local, a parameter or a sandbox global; reading it fails every business that reaches this line (未定义的名字)",
              name, hint and string_format(" (did you mean '%s'?)", hint) or "")
            if name == "ctx" then
              message = message .. "; for the rule's ctx, name it as the function's second parameter: function(p, ctx)"
            elseif lib_sources[name] then
              -- The file has the `local … = require` already: then the rule table is read as an
              -- argument of that require's call, which a missing `return` before it does.
              -- Line by line: the string library refuses a pattern of several repetitions over a
              -- whole (long) file.
              local at, n = nil, 0
              for text in (source .. "\n"):gmatch("([^\n]*)\n") do
                n = n + 1
                if #text < 10000 and text:match("^local%s+" .. name .. "%s*=%s*require") then at = n break end
              end
              if at and at > line then
                -- Below its use (code review: told to look for a missing `return`).
                message = message .. string_format("; the file's `local %s = require(\"%s\")` is on line %d, after this use: move it above (请把 require 移到使用之前)", name, name, at)
              elseif at then
                message = message .. string_format("; the file's `local %s = require(\"%s\")` does not reach here: is `return` missing before the rule table? (规则表前是否漏写了 return?)", name, name)
              else
                message = message .. string_format("; to use the module, first: local %s = require(\"%s\")", name, name)
              end
            end
            if assigned[name] then
              message = message .. string_format("; line %d assigns it without `local`", assigned[name])
            end
          end
          out[#out + 1] = { line, message, severity }
        end
      end
      for _, set in ipairs(sets) do
        local name, line = set[1], set[2]
        local key = name .. "\0" .. line .. "\0set"
        if not seen[key] then
          seen[key] = true
          out[#out + 1] = { line, string_format("cannot assign global '%s': globals are read-only, so this fails every business that reaches it; "
            .. "write `local %s = …` (全局变量只读, 请用 local)", name, name), "error" }
        end
      end
      table.sort(out, function(a, b) return a[1] < b[1] end)
      return out
    end

    -- For `check`: the names a loaded module's table holds, or nil when it is not loaded, is not
    -- a table, or may answer other names through its metatable.
    local function module_keys(name)
      local t = module_raw[name]
      if not t then return nil end
      local mt = raw_getmetatable(t)
      if mt and rawget(mt, "__index") ~= nil then return nil end
      local out = {}
      for k in next, t do
        if type(k) == "string" then out[#out + 1] = k end
      end
      table.sort(out)
      return out
    end

    __sandbox = {
      env = env, values = values, readonly = readonly, protected = protected,
      load_chunk = load_chunk, suggest = suggest, has_module = function(name) return lib_sources[name] ~= nil end,
      loading_epoch = loading_epoch,
      set_uncatchable = function(t) uncatchable = t end,
      check_modules = check_modules,
      unknown_globals = unknown_globals,
      module_keys = module_keys,
    }
    """#
}
