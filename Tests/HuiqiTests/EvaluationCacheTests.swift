import Foundation
@testable import Huiqi
import HuiqiLua
import TestSupport
import Testing

/// The driver and `lib/baoan.lua` remember things between profiles to go faster: which rule serves
/// each subject type, which slots hold missing fields or errors, the canonical name of each street
/// spelling. These tests evaluate profiles one after another in one runtime, in orders that would
/// expose a stale answer.
@Suite struct EvaluationCacheTests {
    @Test func ruleChosenBySubjectTypeFollowsEachProfile() throws {
        let fixture = try BundleFixture(files: [
            "r.lua": """
            return {
              { id = 'e', service = 'SVC-01', subjects = { 'enterprise' }, evaluate = function() return eligible('E') end },
              { id = 'i', service = 'SVC-01', subjects = { 'individual' }, evaluate = function() return eligible('I') end },
            }
            """,
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let expected: [(String, Outcome, String?)] = [
            ("enterprise", .eligible, "E"), ("individual", .eligible, "I"), ("market", .ineligible, nil),
            ("enterprise", .eligible, "E"), ("market", .ineligible, nil), ("individual", .eligible, "I"),
            ("market", .ineligible, nil), ("enterprise", .eligible, "E"),
        ]
        for (subject, outcome, reason) in expected {
            let d = runtime.decisions(for: BundleFixture.profile(loaded.schema, ["subject_type": .string(subject)]))[0]
            #expect(d.outcome == outcome, "\(subject)")
            if let reason { #expect(d.reasons == [reason], "\(subject)") }
            #expect(d.ruleID == (subject == "enterprise" ? "e" : subject == "individual" ? "i" : "e"), "\(subject)")
        }
    }

    /// Missing fields and errors of one profile never show up in the next one's results, including
    /// after the host resumed the driver past a rule that ran out of budget.
    @Test func missingFieldsAndErrorsDoNotLeakToTheNextProfile() throws {
        let fixture = try BundleFixture(services: ["S-1", "S-2", "S-3"], files: [
            "loop.lua": """
            return { id = 'loop', service = 'S-1', conditions = { { '不死循环', function(p)
              if p.employees == 0 then while true do end end
              return true
            end } } }
            """,
            "miss.lua": "return { id = 'miss', service = 'S-2', conditions = { { '营收为正', function(p) return p.revenue > 0 end } } }",
            "err.lua": """
            return { id = 'err', service = 'S-3', evaluate = function(p)
              if p.monthly_rent < 0 then error('负租金') end
              return eligible('好')
            end }
            """,
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 100_000))
        let bad = BundleFixture.profile(loaded.schema, ["employees": .integer(0), "monthly_rent": .decimal(-1)])
        let good = BundleFixture.profile(loaded.schema, ["employees": .integer(3), "revenue": .decimal(5), "monthly_rent": .decimal(10)])
        for _ in 0..<3 {
            let b = runtime.evaluate(bad)
            #expect(b.map(\.code) == [4, 3, 4])
            #expect(b[1].missing == [1: try #require(loaded.schema.index(of: "revenue"))])
            #expect(b[2].error?.message.contains("负租金") == true)
            let g = runtime.evaluate(good)
            #expect(g.map(\.code) == [1, 1, 1])
            #expect(g.allSatisfy { $0.missing.isEmpty && $0.error == nil })
        }
    }

    /// The runtime overwrites one profile table for every business (RuleRuntime.pushProfileTable):
    /// a field of one business is never seen by the next, however fields come and go, also across
    /// many garbage collections (a nil field keeps its slot in the table until one runs).
    @Test func fieldsOfOneProfileNeverShowInTheNext() throws {
        let fixture = try BundleFixture(files: [
            "r.lua": """
            return { id = 'r', service = 'SVC-01', evaluate = function(p)
              local names = {}
              for k in pairs(p) do names[#names + 1] = k end
              table.sort(names)
              local seen = {}
              for _, f in ipairs({ 'street', 'employees', 'revenue', 'total_assets', 'monthly_rent', 'tags' }) do
                if has(p, f) then
                  local v = p[f]
                  if type(v) == 'table' then v = #v elseif math.type(v) == 'float' then v = string.format('%.2f', v) end
                  seen[#seen + 1] = f .. '=' .. tostring(v)
                end
              end
              return eligible(table.concat(names, ',') .. '|' .. table.concat(seen, ','))
            end }
            """,
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let optional: [(String, (Int) -> FieldValue)] = [
            ("street", { .string("街道\($0)") }), ("employees", { .integer(Int64($0)) }), ("revenue", { .decimal(Double($0) / 4) }),
            ("total_assets", { .decimal(Double($0)) }), ("monthly_rent", { .decimal(Double($0) + 0.5) }),
            ("tags", { .list(Array(repeating: "标签", count: $0 % 3 + 1)) }),
        ]
        for i in 0..<3000 {
            // Each business has a different subset of the optional fields (bit k of i % 64: field k).
            var values: [String: FieldValue] = [:]
            for (k, field) in optional.enumerated() where (i % 64) >> k & 1 == 1 { values[field.0] = field.1(i) }
            let profile = BundleFixture.profile(loaded.schema, values)
            let present = loaded.schema.fields.indices.filter { profile.values[$0] != nil }.map { loaded.schema.fields[$0].name }.sorted()
            let seen = optional.filter { values[$0.0] != nil }.map { name, value -> String in
                switch value(i) {
                case .string(let s): return "\(name)=\(s)"
                case .integer(let n): return "\(name)=\(n)"
                case .decimal(let d): return "\(name)=" + String(format: "%.2f", d)
                case .list(let items): return "\(name)=\(items.count)"
                default: return name
                }
            }
            let reason = runtime.decisions(for: profile)[0].reasons.first ?? ""
            #expect(reason == present.joined(separator: ",") + "|" + seen.joined(separator: ","), "business \(i)")
            if reason != present.joined(separator: ",") + "|" + seen.joined(separator: ",") { break }
        }
    }

    /// A profile built with fewer values than the schema has fields lacks the rest: nothing of the
    /// previous business shows through its missing tail.
    @Test func aShortProfileLacksTheFieldsItDoesNotHave() throws {
        let fixture = try BundleFixture(files: [
            "r.lua": "return { id = 'r', service = 'SVC-01', evaluate = function(p) return eligible(tostring(has(p, 'street'))) end }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let full = BundleFixture.profile(loaded.schema, ["street": .string("新安街道")])
        let streetIndex = try #require(loaded.schema.index(of: "street"))
        let short = Profile(values: Array(full.values.prefix(streetIndex)), source: "test", line: 2)
        #expect(runtime.decisions(for: full)[0].reasons == ["true"])
        #expect(runtime.decisions(for: short)[0].reasons == ["false"])
    }

    /// A rule that hoards memory up to the cap makes its own slot fail, never the host: filling the
    /// next business's table (long strings, a long list) happens outside any protected call, where
    /// an allocation failure used to abort the whole process.
    @Test func aRuleHoardingMemoryDoesNotStopTheNextBusiness() throws {
        let fixture = try BundleFixture(services: ["HOG-01", "OK-01"], files: [
            "hog.lua": """
            local hoard = {}
            return { id = 'hog', service = 'HOG-01', evaluate = function(p)
              for s = 20, 4, -1 do
                for i = 1, 200 do
                  if not pcall(function() hoard[#hoard + 1] = string.rep('x', 1 << s) .. tostring(#hoard) end) then break end
                end
              end
              return eligible('ok')
            end }
            """,
            "ok.lua": "return { id = 'ok', service = 'OK-01', evaluate = function(p) return eligible(p.street) end }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 0, maxMemoryBytes: 8 << 20))
        for i in 0..<5 {
            let street = String(repeating: "街", count: 100) + "\(i)"
            let profile = BundleFixture.profile(loaded.schema, ["street": .string(street),
                                                                "tags": .list(Array(repeating: "标签很长的一个标签名字\(i)", count: 50))])
            let decisions = runtime.decisions(for: profile)
            #expect(decisions.count == 2)
            #expect([.eligible, .error].contains(decisions[0].outcome))
            if decisions[1].outcome == .eligible { #expect(decisions[1].reasons == [street]) }
            else { #expect(decisions[1].errorMessage?.contains("memory") == true) }
        }
    }

    /// `baoan.street_of` caches by spelling; every spelling keeps its own answer, also once the
    /// cache is full (1,000 spellings).
    @Test func streetOfAnswersEachSpellingAfterCaching() throws {
        let baoan = try String(contentsOf: PackagePaths.root.appendingPathComponent("Rules/lib/baoan.lua"), encoding: .utf8)
        let fixture = try BundleFixture(files: [
            "lib/baoan.lua": baoan,
            "lib/industry.lua": try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Rules/lib/industry.lua"), encoding: .utf8),
            "r.lua": """
            local baoan = require("baoan")
            return { id = 'r', service = 'SVC-01', evaluate = function(p) return eligible(tostring(baoan.street_of(p))) end }
            """,
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        func street(_ s: String) -> String? {
            runtime.decisions(for: BundleFixture.profile(loaded.schema, ["street": .string(s)]))[0].reasons.first
        }
        let cases = [("新安", "新安街道"), ("xinan", "新安街道"), ("XiNan", "新安街道"), ("福田街道", "nil"), ("新安街道", "新安街道"),
                     ("shiyan", "石岩街道"), ("新安", "新安街道"), ("福田街道", "nil"), ("石岩", "石岩街道")]
        for (spelling, name) in cases + cases { #expect(street(spelling) == name, "\(spelling)") }
        for i in 0..<1100 { #expect(street("街道\(i)") == "nil") }
        #expect(street("XIXIANG") == "西乡街道")
        #expect(street("街道5") == "nil")
        #expect(street("街道1050") == "nil")
        for (spelling, name) in cases { #expect(street(spelling) == name, "\(spelling)") }
    }
}

/// Lazy metering (shim.h): with a budget of 4,000,000 instructions or more, evaluations run
/// without the count hook and are redone metered when they run long. Decisions must be exactly
/// those of metered evaluation.
@Suite struct LazyMeteringTests {
    private func runtime(_ body: String, limits: LuaLimits = LuaLimits()) throws -> (RuleRuntime, Schema) {
        let fixture = try BundleFixture(services: ["BAD-01", "OK-01"], files: [
            "bad.lua": "return { id = 'bad', service = 'BAD-01', evaluate = function(p, ctx)\n\(body)\nend }",
            "ok.lua": "return { id = 'ok', service = 'OK-01', conditions = { { '总是', function() return true end } } }",
        ])
        let loaded = try fixture.load()
        return (try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: limits), loaded.schema)
    }

    @Test func infiniteLoopStillHitsTheDefaultBudget() throws {
        let (runtime, schema) = try runtime("while true do end")
        for _ in 0..<2 {
            let d = runtime.decisions(for: BundleFixture.profile(schema, [:]))
            #expect(d[0].outcome == .error)
            #expect(d[0].errorMessage?.contains("instruction budget exceeded") == true, "\(d[0].errorMessage ?? "nil")")
            #expect(d[1].outcome == .eligible)
        }
    }

    /// Over budget but quick to run (a few tens of ms): still an error, as when metered throughout.
    @Test func loopJustOverTheBudgetIsAnError() throws {
        let (runtime, schema) = try runtime("local n = 0 for i = 1, 6000000 do n = n + i end return eligible(tostring(n))",
                                            limits: LuaLimits(maxInstructions: 4_000_000))
        let d = runtime.decisions(for: BundleFixture.profile(schema, [:]))
        #expect(d[0].outcome == .error)
        #expect(d[0].errorMessage?.contains("instruction budget exceeded") == true, "\(d[0].errorMessage ?? "nil")")
        #expect(d[1].outcome == .eligible)
    }

    /// Long but within budget: the redone, metered evaluation decides, and what the rule printed
    /// during the first attempt is not kept twice.
    @Test func longRuleWithinBudgetDecidesAndPrintsOnce() throws {
        let (runtime, schema) = try runtime("print('开始') local n = 0 for i = 1, 2000000 do n = n + 1 end return eligible(tostring(n))")
        for _ in 0..<2 {
            let d = runtime.decisions(for: BundleFixture.profile(schema, [:]))
            #expect(d[0].outcome == .eligible)
            #expect(d[0].reasons == ["2000000"])
            #expect(runtime.takePrinted() == ["开始"])
        }
    }

    /// A small budget keeps the count hook on throughout (lazy metering could not vouch for it).
    @Test func smallBudgetIsMeteredThroughout() throws {
        let (runtime, schema) = try runtime("local n = 0 for i = 1, 100000 do n = n + 1 end return eligible(tostring(n))",
                                            limits: LuaLimits(maxInstructions: 50_000))
        let d = runtime.decisions(for: BundleFixture.profile(schema, [:]))
        #expect(d[0].outcome == .error)
        #expect(d[0].errorMessage?.contains("instruction budget exceeded") == true)
    }
}

extension LazyMeteringTests {
    /// Metered evaluation gives every rule its own budget: two rules that each use most of it both
    /// decide (the driver skips `__meter` only when nothing is metered).
    @Test func eachRuleHasItsOwnBudgetWhenMetered() throws {
        let loop = "local n = 0 for i = 1, 30000 do n = n + 1 end return eligible(tostring(n))"
        let fixture = try BundleFixture(services: ["S-1", "S-2"], files: [
            "a.lua": "return { id = 'a', service = 'S-1', evaluate = function() \(loop) end }",
            "b.lua": "return { id = 'b', service = 'S-2', evaluate = function() \(loop) end }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 100_000))
        for _ in 0..<2 {
            let d = runtime.decisions(for: BundleFixture.profile(loaded.schema, [:]))
            #expect(d.map(\.outcome) == [.eligible, .eligible], "\(d.map { $0.errorMessage ?? "" })")
        }
    }

    /// Lazy metering stops long evaluations and redoes them metered; interleaved with missing
    /// fields and rule errors, every decision must equal what a fully metered runtime decides
    /// (a budget under 4M instructions turns lazy metering off). A stopped attempt once left a
    /// missing-field list that later profiles kept appending to.
    @Test func lazilyMeteredDecisionsEqualMeteredOnesOverManyProfiles() throws {
        let fixture = try BundleFixture(services: ["S-1", "S-2", "S-3"], files: [
            "slow.lua": """
            return { id = 'slow', service = 'S-1', conditions = {
              { '长时间计算', function(p)
                if p.employees % 7 == 0 then
                  local x = 0
                  for i = 1, 600000 do x = x + i end
                  return x > 0
                end
                return true
              end },
              { '营收为正', function(p) return p.revenue > 0 end },
            } }
            """,
            "miss.lua": "return { id = 'miss', service = 'S-2', conditions = { { '营收为正', function(p) return p.revenue > 0 end } } }",
            "err.lua": """
            return { id = 'err', service = 'S-3', evaluate = function(p)
              if p.employees % 5 == 0 then error('第五家出错') end
              return eligible('好')
            end }
            """,
        ])
        let loaded = try fixture.load()
        let lazy = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 10_000_000))
        let metered = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 3_000_000))
        for k in 1...300 {
            var values: [String: FieldValue] = ["employees": .integer(Int64(k))]
            if k % 3 != 0 { values["revenue"] = .decimal(Double(k % 4)) }
            let profile = BundleFixture.profile(loaded.schema, values)
            let a = lazy.evaluate(profile).enumerated().map { lazy.builder.decision(for: $1, at: $0) }
            let b = metered.evaluate(profile).enumerated().map { metered.builder.decision(for: $1, at: $0) }
            #expect(a == b, "business \(k)")
        }
    }

    /// Each business's values reach Lua with their own bytes and bits, whatever the last business
    /// had: é composed or not (equal for Swift's `==`), 0.0 and -0.0 (equal for `==`), and the list
    /// as given even when a rule tried to change the last one (lists are read-only: the attempt
    /// fails). Guards any reuse of the profile table's values.
    @Test func valuesKeptFromTheLastBusinessAreTheSameBytes() throws {
        let fixture = try BundleFixture(files: [
            "r.lua": """
            return { id = 'r', service = 'SVC-01', evaluate = function(p)
              local n = #p.tags
              pcall(function() p.tags[n + 1] = '改' end)
              return eligible(tostring(p.revenue) .. '|' .. p.name .. '|' .. n)
            end }
            """,
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let composed = "caf\u{E9}", decomposed = "cafe\u{301}"
        #expect(composed == decomposed)  // what Swift's == says; Lua sees other bytes
        let businesses: [(Double, String, String)] = [
            (0.0, composed, "0.0"), (-0.0, decomposed, "-0.0"), (-0.0, decomposed, "-0.0"),
            (0.0, composed, "0.0"), (0.0, decomposed, "0.0"), (-0.0, composed, "-0.0"),
        ]
        for (k, (revenue, name, shown)) in businesses.enumerated() {
            let profile = BundleFixture.profile(loaded.schema, ["revenue": .decimal(revenue), "name": .string(name), "tags": .list(["标签"])])
            let reason = runtime.decisions(for: profile)[0].reasons.first ?? ""
            #expect(Array(reason.utf8) == Array("\(shown)|\(name)|1".utf8), "business \(k): \(reason)")
        }
    }
}
