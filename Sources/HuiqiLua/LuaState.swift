import CLua

/// Owns one `lua_State`, with a metered allocator and an instruction budget.
///
/// Not thread-safe: keep one state per worker thread and never share it.
/// Every call into Lua goes through `lua_pcall`, so Lua errors never unwind Swift frames.
///
///     let lua = try LuaState(limits: LuaLimits())
///     let values = try lua.evaluate("return 1 + 2, 'x'", chunkName: "=example")
///     // values == [.integer(3), .string("x")]
public final class LuaState {
    /// The raw state; used only inside this module.
    let L: OpaquePointer
    private let counters: UnsafeMutablePointer<hq_limits>
    public let limits: LuaLimits

    /// Creates a state with only the libraries rules may use: base, string, table, math, utf8.
    public init(limits: LuaLimits = LuaLimits()) throws(LuaError) {
        self.limits = limits
        counters = UnsafeMutablePointer<hq_limits>.allocate(capacity: 1)
        var initial = hq_limits()  // every field zero, `where` empty
        initial.cap = limits.maxMemoryBytes > 0 ? limits.maxMemoryBytes : 0
        initial.budget_total = Int64(limits.maxInstructions)
        initial.step = Int32(limits.hookStep)
        counters.initialize(to: initial)
        guard let state = hq_newstate(counters) else {
            counters.deallocate()
            throw LuaError(kind: .memory, message: "cannot create a Lua state")
        }
        L = state
        // Open libraries without a cap: they are part of the fixed cost of a state.
        let cap = counters.pointee.cap
        counters.pointee.cap = 0
        luaL_requiref(L, "_G", luaopen_base, 1)
        luaL_requiref(L, "string", luaopen_string, 1)
        luaL_requiref(L, "table", luaopen_table, 1)
        luaL_requiref(L, "math", luaopen_math, 1)
        luaL_requiref(L, "utf8", luaopen_utf8, 1)
        hq_pop(L, 5)
        hq_install_fast_type(L)
        counters.pointee.cap = cap
        // Budget and traceback helpers the engine's Lua code uses.
        hq_pushcfunction(L, hq_lua_meter)
        lua_setglobal(L, "__meter")
        lua_getglobal(L, "string")
        hq_install_string_rep(L, -1)
        hq_pop(L, 1)
    }

    deinit {
        hq_close(L, counters)
        counters.deinitialize(count: 1)
        counters.deallocate()
    }

    /// Pushes the `debug` library table, for host code only: it is never put where rules can reach it.
    public func pushDebugLibrary() {
        luaL_requiref(L, "debug", luaopen_debug, 0)
    }

    // MARK: - Memory

    /// Bytes the state holds now.
    public var memoryInUse: Int { counters.pointee.used }
    /// Bytes of the state's small-block arena carved so far, in use or free: the most of it that
    /// can be resident (see `hq_pool` in shim.h).
    public var arenaBytes: Int { hq_pool_carved(counters) }
    /// The arena's size: small blocks past it come from malloc.
    public static var arenaCapacity: Int { hq_pool_arena_size() }

    public func collectGarbage() { hq_gc_collect(L) }

    /// Missing-field markers the profile table's `__index` has raised in this state so far.
    public var markersRaised: UInt { UInt(counters.pointee.markers) }

    /// Runs `body` with the memory cap in force, inside `withoutMemoryCap`: the rule code the engine's
    /// setup runs (a rule or test file's top level, the modules it requires).
    public func withMemoryCap<T>(_ body: () throws -> T) rethrows -> T {
        let cap = counters.pointee.cap
        counters.pointee.cap = limits.maxMemoryBytes > 0 ? limits.maxMemoryBytes : 0
        defer { counters.pointee.cap = cap }
        return try body()
    }

    /// Runs `body` with the memory cap lifted, for the engine's own setup (not rule code).
    public func withoutMemoryCap<T>(_ body: () throws -> T) rethrows -> T {
        let cap = counters.pointee.cap
        counters.pointee.cap = 0
        defer { counters.pointee.cap = cap }
        return try body()
    }

    // MARK: - Stack

    /// Number of values on the stack; setting it pops or pushes nils.
    public var top: Int32 {
        get { lua_gettop(L) }
        set { lua_settop(L, newValue) }
    }

    public func pushNil() { lua_pushnil(L) }
    public func push(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    public func push(_ value: Int64) { lua_pushinteger(L, lua_Integer(value)) }
    public func push(_ value: Double) { lua_pushnumber(L, value) }
    public func push(_ value: String) {
        var s = value
        s.withUTF8 { buffer in _ = lua_pushlstring(L, buffer.baseAddress, buffer.count) }
    }
    /// Pushes a copy of the value at `index`.
    public func pushCopy(of index: Int32) { lua_pushvalue(L, index) }

    /// Pushes a Swift value using the mapping documented on `LuaValue`.
    public func push(_ value: LuaValue) {
        switch value {
        case .nil, .opaque: pushNil()
        case .boolean(let b): push(b)
        case .integer(let i): push(i)
        case .number(let d): push(d)
        case .string(let s): push(s)
        case .array(let items):
            lua_createtable(L, Int32(items.count), 0)
            for (i, item) in items.enumerated() {
                push(item)
                lua_rawseti(L, -2, lua_Integer(i + 1))
            }
        case .map(let entries):
            lua_createtable(L, 0, Int32(entries.count))
            for (key, item) in entries.sorted(by: { $0.key < $1.key }) {
                push(key)
                push(item)
                lua_rawset(L, -3)
            }
        }
    }

    /// Creates a table with room for `arrayCount` array and `recordCount` hash entries.
    public func newTable(arrayCount: Int = 0, recordCount: Int = 0) {
        lua_createtable(L, Int32(arrayCount), Int32(recordCount))
    }

    /// `t[k] = v` without metamethods, for the table at `tableIndex` and k, v on top (popped).
    public func rawSet(_ tableIndex: Int32) { lua_rawset(L, tableIndex) }
    /// `t[n] = v` without metamethods, v on top (popped).
    public func rawSet(_ tableIndex: Int32, index n: Int) { lua_rawseti(L, tableIndex, lua_Integer(n)) }
    /// Pushes `t[n]` without metamethods and returns its Lua type.
    @discardableResult
    public func rawGet(_ tableIndex: Int32, index n: Int) -> Int32 { lua_rawgeti(L, tableIndex, lua_Integer(n)) }
    /// Pushes `t[key]` without metamethods.
    @discardableResult
    public func rawGet(_ tableIndex: Int32, key: String) -> Int32 {
        let t = lua_absindex(L, tableIndex)
        push(key)
        return lua_rawget(L, t)
    }
    /// `t[key] = v` without metamethods, v on top (popped).
    public func rawSet(_ tableIndex: Int32, key: String) {
        let t = lua_absindex(L, tableIndex)
        push(key)
        hq_insert(L, -2)
        lua_rawset(L, t)
    }

    /// Pops a table and makes it the metatable of the value at `index`.
    public func setMetatable(_ index: Int32) { lua_setmetatable(L, index) }
    /// Removes the value at `index`, shifting the ones above it down.
    public func remove(at index: Int32) { hq_remove(L, index) }
    @discardableResult
    public func getGlobal(_ name: String) -> Int32 { lua_getglobal(L, name) }
    public func pop(_ n: Int32 = 1) { hq_pop(L, n) }

    /// Reads four parallel tables (at stack indices `a`…`d`) for `i < count`, in one C call
    /// (`hq_read_slots`): `intsA[i]`, `intsB[i]` are `a[i + 1]` and `b[i + 1]` as integers (0 where
    /// not one). Where `intsA[i] & mask == match`, `numsC[i]` and `numsD[i]` are `c[i + 1]` and
    /// `d[i + 1]`, with bit 1 (c) and bit 2 (d) of `have[i]` set for each that is a number;
    /// `have[i]` is 0 otherwise.
    public func readSlots(_ a: Int32, _ b: Int32, _ c: Int32, _ d: Int32, count: Int, numbersWhere mask: Int64, is match: Int64,
                          intsA: UnsafeMutablePointer<Int64>, intsB: UnsafeMutablePointer<Int64>,
                          numsC: UnsafeMutablePointer<Double>, numsD: UnsafeMutablePointer<Double>, have: UnsafeMutablePointer<UInt8>) {
        hq_read_slots(L, a, b, c, d, Int32(count), mask, match, intsA, intsB, numsC, numsD, have)
    }
    /// `t[n]` (the table at `tableIndex`) as an integer, 0 where not one; the stack is unchanged.
    public func rawGetInteger(_ tableIndex: Int32, index n: Int) -> Int64 { hq_rawget_integer(L, tableIndex, lua_Integer(n)) }

    /// Lua type of the value at `index` (LUA_TNIL, LUA_TNUMBER, …).
    public func type(at index: Int32) -> Int32 { lua_type(L, index) }

    /// Fast readers for the engine's hot path (no `LuaValue` allocation).
    public func integer(at index: Int32) -> Int64? {
        var isNumber: Int32 = 0
        let v = hq_tointeger(L, index, &isNumber)
        return isNumber != 0 ? Int64(v) : nil
    }
    public func number(at index: Int32) -> Double? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        var isNumber: Int32 = 0
        let v = hq_tonumber(L, index, &isNumber)
        return isNumber != 0 ? v : nil
    }
    /// The string at `index` (only if it is a string: numbers are not converted).
    public func string(at index: Int32) -> String? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let p = hq_tostring(L, index, &length) else { return nil }
        return p.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of the string at `index` (only if it is a string), valid only
    /// during the call: for comparing without making a Swift `String`.
    public func withBytes<R>(at index: Int32, _ body: (UnsafeRawBufferPointer) -> R) -> R? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var length = 0
        guard let p = hq_tostring(L, index, &length) else { return nil }
        return body(UnsafeRawBufferPointer(start: p, count: length))
    }

    /// Copies the value at `index` into Swift (tables recursively, up to `depth` levels).
    public func value(at index: Int32, depth: Int = 16) -> LuaValue {
        let i = lua_absindex(L, index)
        switch lua_type(L, i) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, i) != 0)
        case LUA_TNUMBER:
            if lua_isinteger(L, i) != 0, let v = integer(at: i) { return .integer(v) }
            return .number(number(at: i) ?? 0)
        case LUA_TSTRING: return .string(string(at: i) ?? "")
        case LUA_TTABLE:
            guard depth > 0 else { return .opaque("table") }
            return table(at: i, depth: depth - 1)
        default:
            return .opaque(String(cString: lua_typename(L, lua_type(L, i))))
        }
    }

    private func table(at i: Int32, depth: Int) -> LuaValue {
        var integerKeys: [Int64: LuaValue] = [:]
        var stringKeys: [String: LuaValue] = [:]
        lua_pushnil(L)
        while lua_next(L, i) != 0 {
            let v = value(at: -1, depth: depth)
            switch lua_type(L, -2) {
            case LUA_TNUMBER:
                if lua_isinteger(L, -2) != 0, let k = integer(at: -2) {
                    integerKeys[k] = v
                } else if let d = number(at: -2) {
                    stringKeys[LuaValue.number(d).displayText] = v
                }
            case LUA_TSTRING:
                if let k = string(at: -2) { stringKeys[k] = v }
            default: break
            }
            hq_pop(L, 1)
        }
        let n = integerKeys.count
        if stringKeys.isEmpty, (1...max(n, 1)).allSatisfy({ integerKeys[Int64($0)] != nil }) || n == 0 {
            return .array((0..<n).compactMap { integerKeys[Int64($0 + 1)] })
        }
        for (k, v) in integerKeys { stringKeys[String(k)] = v }
        return .map(stringKeys)
    }

    // MARK: - Registry references

    /// Pops the top value and keeps it in the registry.
    public func ref() -> LuaRef { LuaRef(id: luaL_ref(L, hq_registryindex())) }
    public func push(_ ref: LuaRef) { lua_rawgeti(L, hq_registryindex(), lua_Integer(ref.id)) }
    public func release(_ ref: LuaRef) { luaL_unref(L, hq_registryindex(), ref.id) }

    // MARK: - Loading and calling

    /// Compiles text source (binary chunks are refused) and pushes the function.
    /// `chunkName` follows Lua's convention: "@path" for files, "=name" for other sources.
    public func load(_ source: String, chunkName: String) throws(LuaError) {
        var text = source
        let status = text.withUTF8 { buffer in
            luaL_loadbufferx(L, buffer.baseAddress, buffer.count, chunkName, "t")
        }
        if status != hq_ok() {
            let message = string(at: -1) ?? "cannot load chunk"
            hq_pop(L, 1)
            throw LuaError(kind: status == LUA_ERRMEM ? .memory : .syntax, message: message)
        }
    }

    /// Pushes the message handler used by `protectedCall` (adds a traceback to string errors).
    public func pushMessageHandler() { hq_pushcfunction(L, hq_msgh) }

    /// Pushes a message handler for Lua code's own `xpcall`: tables pass through, any other error
    /// value becomes `tostring(e)` with a traceback (`debug.traceback(tostring(e), 2)`, without a Lua call).
    public func pushTracebackHandler() { hq_pushcfunction(L, hq_traceback_msgh) }
    /// Pushes `new_strict_index(markers, absent)`, which makes the profile table's `__index` in C
    /// (see `hq_strict_index` in shim.h).
    public func pushStrictIndexFactory() { hq_pushcfunction(L, hq_new_strict_index) }

    /// Calls the function below `argumentCount` arguments on the stack, with the handler at
    /// `handlerIndex`. With `metered`, the instruction budget applies. On failure the error value
    /// is left on the stack and described in the result.
    public func protectedCall(arguments argumentCount: Int32, results: Int32, handlerIndex: Int32,
                              metered: Bool) -> LuaCallStatus {
        if metered, limits.maxInstructions > 0 { hq_arm(L) }
        let status = hq_pcall(L, argumentCount, results, handlerIndex)
        let exhausted = counters.pointee.exhausted != 0
        if metered { hq_disarm(L) }
        if status == hq_ok() { return .ok }
        if status == LUA_ERRMEM {
            collectGarbage()
            return .failed(.memory)
        }
        return .failed(exhausted ? .budget : (status == LUA_ERRERR ? .handler : .runtime))
    }

    /// Whether `lazilyMeteredCall` would attempt the call on this thread (rather than answer
    /// `.notAttempted`): ask first, to avoid preparing a call for nothing.
    public var lazyMeteringUsable: Bool { limits.maxInstructions > 0 && hq_lazy_usable(L) != 0 }

    /// Like `protectedCall(…, metered: true)`, but without the count hook while that gives the same
    /// result (see "Lazy metering" in shim.h). `.redo`: the call stopped, or ran long enough, that
    /// it must be done again with `protectedCall(…, metered: true)` (push the function and
    /// arguments again; ignore whatever this attempt left). `.notAttempted`: nothing was called,
    /// because there is no budget, the budget is below 4,000,000 instructions, or lazy metering is
    /// unavailable here.
    public func lazilyMeteredCall(arguments argumentCount: Int32, results: Int32, handlerIndex: Int32) -> LazyCallOutcome {
        // Without a budget there is no hook to avoid: the plain metered call is already hook-free.
        guard limits.maxInstructions > 0 else { return .notAttempted }
        var status: Int32 = 0
        switch hq_lazy_pcall(L, argumentCount, results, handlerIndex, &status) {
        case -1: return .notAttempted
        case 0: return .redo
        default: break
        }
        if status == hq_ok() { return .done(.ok) }
        if status == LUA_ERRMEM {
            collectGarbage()
            return .done(.failed(.memory))
        }
        return .done(.failed(status == LUA_ERRERR ? .handler : .runtime))
    }

    /// Describes the error value on top of the stack (and pops it).
    public func popError(kind: LuaError.Kind) -> LuaError {
        defer { hq_pop(L, 1) }
        if kind == .memory {
            let cap = limits.maxMemoryBytes / (1024 * 1024)
            return LuaError(kind: .memory, message: "memory cap exceeded: the Lua state may use at most \(cap) MiB (超出内存上限)")
        }
        guard let text = string(at: -1) else {
            return LuaError(kind: kind, message: "error object is a \(String(cString: lua_typename(L, lua_type(L, -1))))",
                            value: value(at: -1))
        }
        return LuaError(kind: kind, rawMessage: text)
    }

    /// Runs a chunk of source unmetered and returns its results (setup code, tests, tools).
    public func evaluate(_ source: String, chunkName: String) throws(LuaError) -> [LuaValue] {
        let base = top
        pushMessageHandler()
        try load(source, chunkName: chunkName)
        return try callFunction(base: base, argumentCount: 0, metered: false)
    }

    /// Calls the function in `ref` with `arguments`; returns all results.
    public func call(_ ref: LuaRef, _ arguments: [LuaValue] = [], metered: Bool = true) throws(LuaError) -> [LuaValue] {
        let base = top
        pushMessageHandler()
        push(ref)
        for a in arguments { push(a) }
        return try callFunction(base: base, argumentCount: Int32(arguments.count), metered: metered)
    }

    /// Calls the function at `base + 2` (handler at `base + 1`) and collects its results.
    private func callFunction(base: Int32, argumentCount: Int32, metered: Bool) throws(LuaError) -> [LuaValue] {
        defer { top = base }
        switch protectedCall(arguments: argumentCount, results: hq_multret(), handlerIndex: base + 1, metered: metered) {
        case .ok:
            return (base + 2 ..< top + 1).map { value(at: $0) }
        case .failed(let kind):
            throw popError(kind: kind)
        }
    }
}

/// A value kept in the Lua registry, to push back cheaply without a lookup by name.
public struct LuaRef: Sendable, Hashable {
    public let id: Int32
}

/// The outcome of `LuaState.lazilyMeteredCall`.
public enum LazyCallOutcome: Equatable {
    case done(LuaCallStatus)
    case redo
    case notAttempted
}

/// The outcome of `LuaState.protectedCall`.
public enum LuaCallStatus: Equatable {
    case ok
    case failed(LuaError.Kind)
}
