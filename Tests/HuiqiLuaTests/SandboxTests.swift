import HuiqiLua
import Testing

/// Runs `code` inside the sandbox environment and returns its results.
private func sandboxed(_ code: String, libraries: [String: (source: String, chunkName: String)] = [:],
                       limits: LuaLimits = LuaLimits()) throws(LuaError) -> [LuaValue] {
    let lua = try LuaState(limits: limits)
    try Sandbox.install(into: lua, libraries: libraries)
    _ = try lua.evaluate("run_sandboxed = function(src) local f = assert(__sandbox.load_chunk(src, '@rule.lua')) return f() end",
                         chunkName: "=host")
    lua.getGlobal("run_sandboxed")
    let ref = lua.ref()
    return try lua.call(ref, [.string(code)])
}

private func sandboxError(_ code: String) -> String {
    do {
        _ = try sandboxed(code)
        return "no error"
    } catch {
        return String(describing: error)
    }
}

@Suite struct SandboxTests {
    @Test func dangerousLibrariesAreAbsent() {
        for name in ["io", "os", "debug", "package", "dofile", "loadfile", "collectgarbage"] {
            #expect(sandboxError("return \(name)").contains("not available to rules"), "\(name)")
        }
        #expect(sandboxError("return string.dump(function() end)").contains("unknown") || sandboxError("return string.dump(function() end)").contains("nil"))
        #expect(sandboxError("return math.random()").contains("nil"))
    }

    @Test func globalsAreReadOnly() {
        #expect(sandboxError("x = 1").contains("global variables are read-only"))
        #expect(sandboxError("string.upper = nil").contains("read-only"))
        #expect(sandboxError("rawset(string, 'x', 1)").contains("read-only"))
        #expect(sandboxError("getmetatable('').__index = {}").contains("index"))
        // Sandbox globals are const locals of the chunk: assigning one fails when it compiles.
        #expect(sandboxError("tostring = nil").contains("attempt to assign to const variable 'tostring'"))
        #expect(sandboxError("string = {}").contains("attempt to assign to const variable 'string'"))
    }

    /// `pairs` over a read-only table must not hand out the table behind it: its second result
    /// (the iterator's state) used to be the library table itself, which a rule could then change
    /// for every other rule and every later business.
    @Test func pairsDoesNotHandOutTheTableBehindAReadOnlyOne() throws {
        let libs = ["util": (source: "return { double = function(x) return 2 * x end }", chunkName: "@Rules/lib/util.lua")]
        let v = try sandboxed("""
            local _, s = pairs(string)
            if type(s) == "table" then s.upper = function() return "changed" end end
            local _, u = pairs(require('util'))
            if type(u) == "table" then u.double = function() return 0 end end
            local names = {}
            for k in pairs(string) do if k == "upper" then names[#names + 1] = k end end
            return string.upper('a'), ('a'):upper(), require('util').double(21), #names
            """, libraries: libs)
        #expect(v == [.string("A"), .string("A"), .integer(42), .integer(1)])
    }

    @Test func unknownGlobalsSuggestTheClosestName() {
        #expect(sandboxError("return tonumbr('1')").contains("did you mean 'tonumber'"))
    }

    @Test func safeLibrariesWork() throws {
        let v = try sandboxed("return string.upper('a'), math.max(1, 5), table.concat({'a','b'}, '-'), utf8.len('惠企'), ('x'):rep(3)")
        #expect(v == [.string("A"), .integer(5), .string("a-b"), .integer(2), .string("xxx")])
    }

    @Test func loadAcceptsTextOnlyAndStaysInTheSandbox() {
        #expect(sandboxError("return load(string.char(27) .. 'Lua')").contains("attempt to load a binary chunk") ||
                sandboxError("local f, e = load(string.char(27) .. 'Lua'); error(e)").contains("binary"))
        #expect(sandboxError("local f = load('return os'); return f()").contains("not available"))
    }

    @Test func requireSeesOnlyTheLibFolder() throws {
        let libs = ["util": (source: "return { double = function(x) return 2 * x end }", chunkName: "@Rules/lib/util.lua")]
        #expect(try sandboxed("return require('util').double(21)", libraries: libs) == [.integer(42)])
        for name in ["'../schema'", "'os'", "'io'", "'/etc/passwd'"] {
            let message: String
            do { _ = try sandboxed("return require(\(name))", libraries: libs); message = "no error" } catch { message = String(describing: error) }
            #expect(message.contains("require"), "\(name): \(message)")
        }
        // Modules are read-only once loaded, so one rule cannot change another's helpers.
        let m: String
        do { _ = try sandboxed("require('util').double = nil", libraries: libs); m = "no error" } catch { m = String(describing: error) }
        #expect(m.contains("read-only"))
    }

    /// A name a module lacks reads as nil, as in plain Lua: modules may be data (a set of codes, a
    /// list read with `ipairs`). Calling a missing function gets a hint instead (see LuaError.hint).
    @Test func aNameAModuleLacksIsNilAndCallingItGetsAHint() throws {
        let libs = ["codes": (source: "return { C3981 = true }", chunkName: "@Rules/lib/codes.lua"),
                    "list": (source: "return { '新安', '西乡' }", chunkName: "@Rules/lib/list.lua"),
                    "util": (source: "local M = {}\nfunction M.is_sci_tech(x) return x end\nreturn M", chunkName: "@Rules/lib/util.lua")]
        #expect(try sandboxed("return require('codes').C1234 == nil, require('codes').C3981", libraries: libs) == [.boolean(true), .boolean(true)])
        #expect(try sandboxed("local n = 0\nfor _ in ipairs(require('list')) do n = n + 1 end\nreturn n", libraries: libs) == [.integer(2)])
        let message: String
        do { _ = try sandboxed("local u = require('util')\nreturn u.is_scitech(1)", libraries: libs); message = "no error" } catch { message = String(describing: error) }
        #expect(message.contains("rule.lua:2: attempt to call a nil value (field 'is_scitech')") && message.contains("提示"), "\(message)")
    }

    @Test func catastrophicPatternsAreRefused() {
        let message = sandboxError("local s = ('a'):rep(20000); return s:find('.-.-.-.-b')")
        #expect(message.contains("a pattern with 4 repetition items on 20000 bytes could run for hours"), "\(message)")
    }
}
