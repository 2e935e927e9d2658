import Huiqi
import Testing

@Suite struct LuaSourceScannerTests {
    /// `check` reads params through `local prm = ctx.params` too, the shipped rules' style (found
    /// in the analyst review: a typo there passed `check`).
    @Test func paramReadsFollowALocalAlias() {
        let source = """
        local function f(p, ctx)
          local prm = ctx.params
          if prm.min_grwoth > 1 then return ctx.params.cap end
          local other = ctx.params.rate   -- a read, not an alias
          return other.x, prm["quoted"], ctx.params
        end
        """
        let reads = LuaSourceScanner.paramReads(in: source).map { "\($0.name):\($0.line)" }
        #expect(reads == ["cap:3", "min_grwoth:3", "rate:4"])
    }

    /// A name the file also gives another value is not taken for the params.
    @Test func anAliasNameReusedForSomethingElseIsIgnored() {
        let source = """
        local prm = ctx.params
        prm = { x = 1 }
        return prm.x
        """
        #expect(LuaSourceScanner.paramReads(in: source).isEmpty)
    }
}

extension LuaSourceScannerTests {
    @Test func fieldsComparedWithStringLiterals() {
        let source = """
        local a = p.subject_type == "个体工商户" or p.high_tech == '是'
        -- p.x == "comment"
        if profile.tax_credit_rating ~= "Z" and x.p.y == "not a profile read" then end
        local s = "p.z == 'in a string'"
        """
        let found = LuaSourceScanner.literalComparisons(in: source).map { "\($0.name)=\($0.literal):\($0.line)" }
        #expect(found == ["subject_type=个体工商户:1", "high_tech=是:1", "tax_credit_rating=Z:3"])
    }

    @Test func comparisonsRecordTheirOperatorAndLiteralKind() {
        let source = """
        return p.a <= "2025-01-01" and p.b > 3.5 and p.c ~= false and p.d < limit and p.e >= 1e5
        local x = p.f << 2, p.g == 2 + n, p.h >"t"
        """
        let found = LuaSourceScanner.literalComparisons(in: source).map { "\($0.name)\($0.op)\($0.literal):\($0.kind)" }
        #expect(found == ["a<=2025-01-01:text", "b>3.5:number", "c~=false:boolean", "e>=1e5:number", "g==2:number", "h>t:text"])
    }

    @Test func fieldsNamedInQuotesAreFound() {
        let source = """
        local a = p["成立日期"] or profile['revenue'] or has(p, "employes") or has( p , 'tags' )
        -- p["in a comment"]
        local b = x.p["not a profile"] or p[k] or has(q, "other") or p["a" .. b]
        """
        let found = LuaSourceScanner.quotedFieldReads(in: source).map { "\($0.name):\($0.line)" }
        #expect(found == ["成立日期:1", "revenue:1", "employes:1", "tags:1"])
    }

    /// `ctx.key` is checked only where ctx is a function's second parameter (review: files that
    /// bind the name themselves were refused by `check`, and so by `run`).
    @Test func ctxReadsSkipFilesThatBindCtxThemselves() {
        #expect(LuaSourceScanner.ctxReads(in: "return { evaluate = function(p, ctx) return ctx.asof end }").map(\.name) == ["asof"])
        #expect(LuaSourceScanner.ctxReads(in: "function M.cap(p, ctx)\n return ctx.params.cap, ctx.as_of end").map(\.name) == ["params", "as_of"])
        #expect(LuaSourceScanner.ctxReads(in: "local t = { ctx = 1 }\nreturn function(p, ctx) return ctx.asof end").map(\.name) == ["asof"])
        #expect(LuaSourceScanner.ctxReads(in: "return function(p, ctx) return f(p, ctx) and ctx.asof end").map(\.name) == ["asof"])
        for source in [
            "local ctx, other = { label = 'x' }, 1\nlocal l = ctx.label",
            "for _, ctx in ipairs({ { name = 'a' } }) do local n = ctx.name end",
            "local function label_of(ctx) return ctx.label end",
            "local ctx <const> = { label = 'x' }; local l = ctx.label",
            "local a\na, ctx = 1, { label = 'x' }\nreturn ctx.label",
        ] {
            #expect(LuaSourceScanner.ctxReads(in: source).isEmpty, "\(source)")
        }
    }

    /// Names read from a module through its `local x = require(...)` alias, with lines; not an
    /// assignment to one, nor reads through an alias the file rebinds, nor text in comments and strings.
    @Test func moduleReadsFollowTheRequireAlias() {
        let source = """
        local baoan = require("baoan")
        local ind = require 'industry'
        local other = require("other")
        other = {}
        -- baoan.in_comment
        local s = "baoan.in_string"
        return baoan.is_small_or_micro(p) and ind.code(p) ~= nil and baoan.STREETS[1]
          and other.x and baoan.not_dishonest, s
        """
        let reads = LuaSourceScanner.moduleReads(in: source).map { "\($0.module).\($0.read.name):\($0.read.line)\($0.fails ? " fails" : "")" }
        #expect(reads == ["baoan.is_small_or_micro:7 fails", "industry.code:7 fails", "baoan.STREETS:7 fails", "baoan.not_dishonest:8"])
    }
}
