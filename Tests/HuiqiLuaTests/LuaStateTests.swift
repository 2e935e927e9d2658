import HuiqiLua
import Testing

@Suite struct LuaStateTests {
    @Test func integersStayIntegersAndFloatsStayFloats() throws {
        let lua = try LuaState()
        let values = try lua.evaluate("return 3, 3.0, 2^53, 7 // 2, 'x'", chunkName: "=t")
        #expect(values == [.integer(3), .number(3.0), .number(9007199254740992), .integer(3), .string("x")])
    }

    /// `type` is the host's (answers interned once, hq_fast_type): same answers and same error as Lua's.
    @Test func typeAnswersLikeLuasOwn() throws {
        let lua = try LuaState()
        let values = try lua.evaluate("""
            local ok, err = pcall(type)
            return type(nil), type(1), type(1.5), type('s'), type({}), type(print), type(true),
                   type(type), type(nil) == 'nil', ok, err
            """, chunkName: "=t")
        #expect(values == [.string("nil"), .string("number"), .string("number"), .string("string"), .string("table"),
                           .string("function"), .string("boolean"), .string("function"), .boolean(true), .boolean(false),
                           .string("bad argument #1 to 'type' (value expected)")])
    }

    @Test func valuesRoundTripThroughLua() throws {
        let lua = try LuaState()
        let identity = try lua.evaluate("return function(...) return ... end", chunkName: "=t")
        #expect(identity.count == 1)
        lua.push(LuaValue.nil)
        _ = try lua.evaluate("return 1", chunkName: "=t")
        let samples: [LuaValue] = [
            .boolean(true), .integer(-42), .number(1.5), .string("统一社会信用代码"),
            .array([.integer(1), .string("a")]), .map(["k": .integer(1), "名称": .string("值")]),
            .array([]), .map(["nested": .array([.map(["x": .boolean(false)])])]),
        ]
        for sample in samples {
            lua.push(sample)
            #expect(lua.value(at: -1) == sample)
            lua.pop()
        }
    }

    @Test func tablesWithHolesOrMixedKeysReadAsMaps() throws {
        let lua = try LuaState()
        let v = try lua.evaluate("return {1, 2, [4] = 4}, {1, x = 2}", chunkName: "=t")
        #expect(v[0] == .map(["1": .integer(1), "2": .integer(2), "4": .integer(4)]))
        #expect(v[1] == .map(["1": .integer(1), "x": .integer(2)]))
    }

    @Test func syntaxErrorsNameChunkAndLine() throws {
        let lua = try LuaState()
        #expect(throws: LuaError.self) { try lua.load("local x = \n 1 +", chunkName: "@Rules/bad.lua") }
        do {
            try lua.load("local x = \n 1 +", chunkName: "@Rules/bad.lua")
        } catch {
            #expect(error.kind == .syntax)
            #expect(error.location?.file == "Rules/bad.lua")
            #expect(error.location?.line == 2)
        }
    }

    @Test func runtimeErrorsCarryATraceback() throws {
        let lua = try LuaState()
        do {
            _ = try lua.evaluate("local function f() error('boom') end\nf()", chunkName: "@r.lua")
            Issue.record("expected an error")
        } catch {
            #expect(error.kind == .runtime)
            #expect(error.message.contains("r.lua:1: boom"))
            #expect(error.traceback?.contains("stack traceback") == true)
        }
    }

    /// Found in the analyst review: the mistakes analysts make most gave Lua's bare messages.
    @Test func commonMistakesGetAHint() throws {
        let lua = try LuaState()
        let cases: [(String, String)] = [
            ("if x = 1 then end", "请用 =="),
            ("return function(p) return p.high_tech = true end", "请用 =="),
            ("return p.上年度收入", "中文写在引号里"),
            ("return string.format('按50%补贴', 1)", "写成 %%"),
            ("return 'a' < 1", "一边是文本, 一边是数字"),
            ("local cap; return 1 < cap", "比较的一边是 nil"),
            ("local cap; return cap * 2", "参与计算的值是 nil"),
            // A catalog param written with a unit (first-day review: the bare Lua message).
            ("local months = '3个月'; return 1000 * months", "目录参数是否写了单位"),
            ("local cap = '50万'; return cap + 1", "目录参数是否写了单位"),
            ("local cap = '50万'; return -cap", "目录参数是否写了单位"),
        ]
        for (source, hint) in cases {
            do {
                _ = try lua.evaluate(source, chunkName: "@r.lua")
                Issue.record("expected an error: \(source)")
            } catch {
                #expect(error.message.contains(hint), "\(source): \(error.message)")
                #expect(error.message.hasPrefix("r.lua:1: "), "\(source): \(error.message)")
            }
        }
        do {
            _ = try lua.evaluate("error('人数口径待核实')", chunkName: "@r.lua")
        } catch {
            #expect(error.message == "r.lua:1: 人数口径待核实")
        }
    }

    /// Found in the analyst review: tracebacks ended in the engine's frames (driver:85, xpcall,
    /// engine:644) and named a condition "field 'integer index'".
    @Test func readableTracebacksKeepTheRuleFramesOnly() {
        let raw = """
        stack traceback:
        \t[C]: in function 'error'
        \tRules/lib/baoan.lua:154: in function 'baoan.street_of'
        \tRules/x.lua:12: in field 'integer index'
        \tdriver:85: in function <driver:60>
        \t[C]: in function 'xpcall'
        \tengine:644: in function <engine:630>
        """
        #expect(LuaError.readableTraceback(raw) == [
            "stack traceback:", "  Rules/lib/baoan.lua:154: in function 'baoan.street_of'",
            "  Rules/x.lua:12: in a function of the rule (a condition, the amount or the score)",
        ])
        #expect(LuaError.readableTraceback("stack traceback:\n\t[C]: in ?\n\tengine:1: in main chunk").isEmpty)
    }

    @Test func binaryChunksAreRefused() throws {
        let lua = try LuaState()
        #expect(throws: LuaError.self) { try lua.load("\u{1B}Lua", chunkName: "=bin") }
    }

    @Test func instructionBudgetStopsInfiniteLoops() throws {
        let lua = try LuaState(limits: LuaLimits(maxInstructions: 100_000))
        let f = try lua.evaluate("return function() while true do end end", chunkName: "=t")
        #expect(f.count == 1)
        _ = try lua.evaluate("loop = function() while true do end end", chunkName: "=t")
        lua.getGlobal("loop")
        let ref = lua.ref()
        do {
            _ = try lua.call(ref)
            Issue.record("expected the budget to stop the loop")
        } catch {
            #expect(error.kind == .budget)
            #expect(error.message.contains("instruction budget exceeded"))
        }
        // The state stays usable afterwards.
        #expect(try lua.evaluate("return 1 + 1", chunkName: "=t") == [.integer(2)])
    }

    @Test func budgetCannotBeEscapedWithPcall() throws {
        let lua = try LuaState(limits: LuaLimits(maxInstructions: 50_000))
        _ = try lua.evaluate("""
            sneaky = function()
              local n = 0
              while true do pcall(function() while true do n = n + 1 end end) end
            end
            """, chunkName: "=t")
        lua.getGlobal("sneaky")
        let ref = lua.ref()
        #expect(throws: LuaError.self) { _ = try lua.call(ref) }
    }

    @Test func memoryCapStopsAllocationBombs() throws {
        let lua = try LuaState(limits: LuaLimits(maxMemoryBytes: 8 * 1024 * 1024))
        _ = try lua.evaluate("bomb = function() local t = {} for i = 1, 1e9 do t[i] = {i} end end", chunkName: "=t")
        lua.getGlobal("bomb")
        let ref = lua.ref()
        do {
            _ = try lua.call(ref)
            Issue.record("expected the memory cap to stop the bomb")
        } catch {
            #expect(error.kind == .memory)
        }
        lua.collectGarbage()
        #expect(lua.memoryInUse < 8 * 1024 * 1024)
        #expect(try lua.evaluate("return 'ok'", chunkName: "=t") == [.string("ok")])
    }

    @Test func stringRepIsCappedBeforeItAllocates() throws {
        let lua = try LuaState(limits: LuaLimits(maxMemoryBytes: 16 * 1024 * 1024))
        do {
            _ = try lua.evaluate("return string.rep('x', 1e12)", chunkName: "=t")
            Issue.record("expected string.rep to refuse")
        } catch {
            #expect(error.message.contains("string.rep result too large"))
        }
        #expect(try lua.evaluate("return #string.rep('ab', 3, ',')", chunkName: "=t") == [.integer(8)])
    }

    /// The allocator's small-block pool: blocks move between size classes and malloc as tables
    /// grow and shrink, and contents survive every move.
    @Test func blocksKeepTheirContentsAcrossPoolAndMallocSizes() throws {
        let lua = try LuaState()
        let baseline = lua.memoryInUse
        let result = try lua.evaluate("""
            local sum = 0
            for round = 1, 20 do
              local t = {}
              for i = 1, 300 do t[i] = i * round end           -- the array grows through every class, then past the pool
              local s = {}
              for i = 1, 300 do s[#s + 1] = tostring(t[i]) end
              local text = table.concat(s, ",")
              for i = 300, 2, -1 do t[i] = nil end
              collectgarbage()                                 -- frees into the pool and to malloc
              local keys = {}
              for i = 1, 40 do keys["k" .. i .. "_" .. round] = i end
              local n = 0
              for _, v in pairs(keys) do n = n + v end
              sum = sum + #text + n + t[1]
            end
            return sum
            """, chunkName: "=t")
        // Per round: the text of round r is the 300 numbers i*r joined; 820 = 1 + … + 40; t[1] = r.
        var expected = 0
        for round in 1...20 {
            expected += (1...300).map { String($0 * round) }.joined(separator: ",").utf8.count + 820 + round
        }
        #expect(result == [.integer(Int64(expected))])
        lua.collectGarbage()
        #expect(lua.memoryInUse < baseline + 64 * 1024, "blocks returned to the pool are no longer counted as in use")
    }
}
