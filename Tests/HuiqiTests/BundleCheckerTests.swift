import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct BundleCheckerTests {
    /// A file with two rules: each rule's `service` line, found before its first condition.
    @Test func keyLinesAreFoundForTheRightRuleOfAFile() {
        let source = """
        return {
          { id = "a", service = "SVC-01",
            conditions = { { "x", function() return true end } } },
          {
            id = 'b',
            service='SVC-9',
            conditions = { { "y", function() return true end } } },
        }
        """
        #expect(BundleChecker.keyLine("service", "SVC-01", in: source, before: 3) == 2)
        #expect(BundleChecker.keyLine("service", "SVC-9", in: source, before: 7) == 6)
        #expect(BundleChecker.keyLine("id", "b", in: source, before: 7) == 5)
        #expect(BundleChecker.keyLine("id", "b", in: source, before: 3) == nil)
        #expect(BundleChecker.keyLine("service", "SVC-02", in: source, before: nil) == nil)
    }

    /// Yearly-update review: a test case's profile with a misspelt field (`monthly_rents`), a
    /// value of the wrong type or a firm founded after the case's as_of failed `huiqi test` while
    /// `check` was clean. `check` now builds each case's profile as `test` does, with its line.
    @Test func testProfilesAreCheckedAsTestBuildsThem() throws {
        let fixture = try BundleFixture(files: [
            "svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '总是', function() return true end } } }",
            "svc/rule_test.lua": """
            return {
              { name = 'fine', as_of = '2025-06-01', profile = { subject_type = 'enterprise', monthly_rent = 5000 },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'misspelt', as_of = '2025-06-01', profile = { subject_type = 'enterprise', monthly_rents = 5000 },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'type', as_of = '2025-06-01', profile = { subject_type = 'enterprise', employees = 'many' },
                expect = { ['SVC-01'] = 'eligible' } },
            }
            """,
        ], schema: BundleFixture.schemaYAML.replacingOccurrences(of: "label: 成立日期 }", with: "label: 成立日期, max: as_of }"))
        try fixture.write("Rules/svc/late_test.lua", """
            return {
              { name = 'late', as_of = '2025-06-01', profile = { subject_type = 'enterprise', established_on = '2025-07-01' },
                expect = { ['SVC-01'] = 'eligible' } },
            }
            """)
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let messages = report.errors.map(\.description)
        #expect(messages.contains { $0.contains("rule_test.lua:4") && $0.contains("unknown field 'monthly_rents' (did you mean 'monthly_rent'?)") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule_test.lua:6") && $0.contains("profile.employees: expected") }, "\(messages)")
        #expect(messages.contains { $0.contains("late_test.lua:2") && $0.contains("2025-07-01 晚于评估日期 2025-06-01") }, "\(messages)")
        #expect(!messages.contains { $0.contains("rule_test.lua:2") }, "\(messages)")
    }

    /// A dated param that starts after its service opens has no value in between (found in the
    /// analyst review: check was clean, and the rule failed at run time).
    @Test func aDatedParamStartingLateIsAWarning() throws {
        // The fixture's services have no window start; their `cap` starts on 2023-01-01.
        let fixture = try BundleFixture(files: ["svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '总是', function() return true end } } }"])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.warnings.contains { $0.message.contains("service SVC-01: param 'cap' starts on 2023-01-01") }, "\(report.warnings)")
        #expect(!report.warnings.contains { $0.message.contains("param 'rate' starts") })
    }

    /// A field compared with text it never holds: a label instead of the canonical value, 是 for
    /// a boolean (found in the analyst review: always false, and check was clean).
    @Test func comparisonsWithTextAFieldNeverHoldsAreErrors() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '个体户', function(p) return p.subject_type == "个体工商户" end },
              { '未失信', function(p) return p.dishonest ~= '是' end },
              { '企业', function(p) return p.subject_type == "enterprise" and p.street == "新安" end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let messages = report.errors.map(\.description)
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:2: p.subject_type == \"个体工商户\"") && $0.contains("write \"individual\"") })
        #expect(messages.contains { $0.contains("rule.lua:3: p.dishonest ~= \"是\"") })
    }

    /// Found in the analyst review: `effective = { To = … }` was ignored, so the rule kept deciding
    /// after the policy ended, and check was clean.
    @Test func anUnknownKeyInEffectiveIsAnError() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', effective = { from = "2025-01-01", To = "2025-05-31" }, conditions = {
              { '企业', function(p) return p.subject_type == "enterprise" end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.errors.contains { $0.description.contains("unknown key 'To' in effective (did you mean 'to'?)") }, "\(report.diagnostics)")
    }

    /// Found in the analyst review: a param added beside the one the rule reads changed nothing,
    /// and check was clean. The fixture's catalog gives every service `cap` and `rate`.
    @Test func paramsNoRuleReadsAreWarnings() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02", "SVC-03"], files: [
            "a.lua": "return { id = 'a', service = 'SVC-01', evaluate = function(p, ctx) local prm = ctx.params\n return eligible('x', prm.cap) end }",
            "b.lua": "return { id = 'b', service = 'SVC-02', evaluate = function(p, ctx) return eligible('x', helper(p, ctx)) end }",
            "c.lua": "return { id = 'c', service = 'SVC-03', evaluate = function(p, ctx) return eligible('x', ctx.params.cap * ctx.params.rate) end }",
        ])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let unread = report.warnings.map(\.message).filter { $0.contains("is not read by any of its rules") }
        // SVC-02 hands ctx to other code: its reads cannot be seen, so nothing is said.
        #expect(unread == ["service SVC-01: param 'rate' is not read by any of its rules; changing it changes nothing (参数未被规则读取)"], "\(unread)")
    }

    /// Code review: `check` compiled lib modules without the sandbox's prelude, so an assignment to
    /// a sandbox global in a lib only a rare business loads passed `check` and failed in the run.
    @Test func aLibAssigningASandboxGlobalFailsCheck() throws {
        let fixture = try BundleFixture(services: ["SVC-01"], files: [
            "lib/helpers.lua": "local M = {}\nfunction M.f() return true end\nprint = nil\nreturn M",
            "a.lua": "return { id = 'a', service = 'SVC-01', evaluate = function(p) return require('helpers').f() end }",
        ])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.errors.contains { $0.message.contains("attempt to assign to const variable 'print'") && $0.line == 3 }, "\(report.errors)")
    }

    @Test func handingParamsOnIsSeen() {
        #expect(LuaSourceScanner.passesParamsOn("return f(p, ctx)"))
        #expect(LuaSourceScanner.passesParamsOn("local t = ctx.params\nreturn t[k]"))
        #expect(LuaSourceScanner.passesParamsOn("return g(ctx.params)"))
        #expect(!LuaSourceScanner.passesParamsOn("evaluate = function(p, ctx) local prm = ctx.params\n return prm.cap + ctx.params.rate, ctx.as_of end"))
    }

    /// Found in the analyst review: names in quotes were not checked, and a Chinese label read as
    /// a field name was reported at run time only, as "not declared".
    @Test func fieldsNamedInQuotesAreChecked() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '成立', function(p) return p["成立日期"] ~= nil end },
              { '人数', function(p) return has(p, "employes") end },
              { '正确', function(p) return has(p, "employees") and p["revenue"] > 1 end },
            } }
            """])
        let messages = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(messages.count == 2, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:2: unknown profile field '成立日期': that is how inputs name the field 'established_on'") })
        #expect(messages.contains { $0.contains("rule.lua:3: unknown profile field 'employes' (did you mean 'employees'? 字段名可能拼错)") })
    }

    /// Found in the analyst review: a leftover `print` ran for every business with no word from check.
    @Test func aPrintInARuleIsAWarning() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            local log = { print = function() end }
            return { id = 'r', service = 'SVC-01', conditions = {
              { '人数', function(p) print("人数=", p.employees); return p.employees > 1 end },
              { '无', function(p) log.print("x"); return true end },
            } }
            """])
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").warnings.map(\.description)
        #expect(warnings.filter { $0.contains("print in a rule") }.count == 1, "\(warnings)")
        #expect(warnings.contains { $0.contains("rule.lua:3: ") && $0.contains("print in a rule") })
    }

    /// The yearly update: a lib function renamed (`is_small_or_micro` → `is_small_micro`) while the
    /// rules still called the old name. Check was clean, a run started, and every business that
    /// reached the call got a rule error. The name is checked against the module's table.
    @Test func aNameAModuleDoesNotHoldIsAnError() throws {
        let fixture = try BundleFixture(files: [
            "lib/shared.lua": """
            local M = { LIMIT = 10 }
            function M.is_small_micro(p) return p.employees < M.LIMIT end
            return M
            """,
            "lib/lazy.lua": "return setmetatable({}, { __index = function(_, k) return k end })",
            "rule.lua": """
            local shared = require("shared")
            local lazy = require 'lazy'
            return { id = 'r', service = 'SVC-01', conditions = {
              { '小微', function(p) return shared.is_small_or_micro(p) end },
              { '上限', function(p) return p.employees < shared.LIMIT and lazy.anything ~= nil end },
              { '可选', function(p) return (shared.optional_check or function() return true end)(p) end },
            } }
            """,
        ])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let errors = report.errors.map(\.description)
        #expect(errors.count == 1, "\(errors)")
        let error = try #require(report.errors.first)
        #expect(error.file?.hasSuffix("Rules/rule.lua") == true && error.line == 4, "\(errors)")
        #expect(error.message.hasPrefix("module 'shared' ("))
        #expect(error.message.hasSuffix("lib/shared.lua) has no 'is_small_or_micro' (did you mean 'is_small_micro'?): "
            + "calling or indexing it fails for every business that reaches it (模块中没有该名字)"), "\(errors)")
        // A plain read is nil, which `or` means: a warning, not an error that refuses the bundle
        // (code review: check and run refused a bundle that runs fine).
        #expect(report.warnings.contains { $0.line == 6 && $0.message.contains("has no 'optional_check'") && $0.message.contains("reading it gives nil") },
                "\(report.warnings)")
        // A run refuses the bundle, as it does for an unknown global.
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        #expect(BundleChecker.problemsThatStopARun(runtime, loaded: loaded).contains { $0.message.contains("has no 'is_small_or_micro'") })
    }

    /// The yearly update: a rule's `effective` dates written as rows and test cases may write them
    /// were refused without the ISO form or the line, and a day that does not exist passed.
    @Test func effectiveDatesWrittenAnotherWaySayWhatToWrite() throws {
        let fixture = try BundleFixture(files: ["rent.lua": """
            return {
              { id = 'rent.2025', service = 'SVC-01', effective = { to = '2025-02-30' }, evaluate = function() return true end },
              { id = 'rent.2026', service = 'SVC-01',
                effective = { from = "2026/1/1" }, evaluate = function() return true end },
            }
            """])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors
        let file = fixture.rulesDirectory + "/rent.lua"
        #expect(errors.contains { $0.file == file && $0.line == 2
                && $0.message == "rule 1 (rent.2025): effective.to \"2025-02-30\" is not a real day (expected YYYY-MM-DD) (生效日期无效)" },
                "\(errors.map(\.description))")
        #expect(errors.contains { $0.file == file && $0.line == 4
                && $0.message == "rule 2 (rent.2026): effective.from \"2026/1/1\" must be written YYYY-MM-DD: write \"2026-01-01\" (生效日期无效)" },
                "\(errors.map(\.description))")
        #expect(errors.contains { $0.description.hasPrefix("\(file):2: rule 1 (rent.2025): effective.to") }, "file:line, as every location is shown")
        // A `from` after the `to` gives its line too (analyst review: the file alone).
        let inverted = try BundleFixture(files: ["rent.lua": """
            return {
              { id = 'rent.2026', service = 'SVC-01',
                effective = { from = "2026-06-01", to = "2026-01-01" }, evaluate = function() return true end },
            }
            """])
        let invertedErrors = BundleChecker.check(directory: inverted.rulesDirectory, asOf: "2026-03-01").errors
        #expect(invertedErrors.contains { $0.line == 3 && $0.message.contains("effective.from 2026-06-01 is after effective.to 2026-01-01") },
                "\(invertedErrors.map(\.description))")
    }

    /// An invalid `effective` date is reported at the line that declares it: each rule's own
    /// declaration in a file of several (a date copied into the next rule was reported at the first
    /// rule's line, and a date mentioned in a comment above took its line), the key's own line in a
    /// table written over several lines, and a number, which no line spelled, at its line too.
    @Test func anInvalidEffectiveDateIsReportedAtTheLineThatDeclaresIt() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02", "SVC-03"], files: ["rent.lua": """
            -- 2025年口径: 到 "2025-12-32" 为止 (笔误, 见下)
            return {
              { id = 'rent.2025', service = 'SVC-01',
                effective = { to = "2025-12-32" }, evaluate = function() return true end },
              { id = 'rent.2025b', service = 'SVC-02',
                effective = {
                  from = "2025-01-01",
                  to = "2025-12-32",
                },
                evaluate = function() return true end },
              { id = 'rent.2026', service = 'SVC-03', effective = { from = 20260101 }, evaluate = function() return true end },
              { id = 'rent.2027', service = 'SVC-03', effective = { From = "2027-01-01" }, evaluate = function() return true end },
            }
            """])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors
        func line(of text: String) -> Int? { errors.first { $0.message.contains(text) }?.line }
        #expect(line(of: "rule 1 (rent.2025): effective.to \"2025-12-32\" is not a real day") == 4, "\(errors.map(\.description))")
        #expect(line(of: "rule 2 (rent.2025b): effective.to \"2025-12-32\" is not a real day") == 8, "\(errors.map(\.description))")
        #expect(line(of: "rule 3 (rent.2026): effective.from must be a date string like \"2026-01-01\", got number 20260101") == 11,
                "\(errors.map(\.description))")
        #expect(line(of: "rule 4 (rent.2027): unknown key 'From' in effective (did you mean 'from'?)") == 12, "\(errors.map(\.description))")
        // A period given by name: its declaration's line, not a `from =` in the code below it.
        let named = try BundleFixture(files: ["rent.lua": """
            local PERIOD = { from = "2025-02-30" }
            return {
              id = 'rent.p', service = 'SVC-01',
              effective = PERIOD,
              conditions = {
                { "承租", function(p)
                    local from = p.monthly_rent
                    return from > 0 end },
              },
            }
            """])
        let namedErrors = BundleChecker.check(directory: named.rulesDirectory, asOf: "2026-03-01").errors
        #expect(namedErrors.contains { $0.line == 4 && $0.message.contains("effective.from \"2025-02-30\" is not a real day") },
                "\(namedErrors.map(\.description))")
        // `run` refuses the bundle with the same locations.
        let runtime = #expect(throws: DiagnosticList.self) { try RuleRuntime(bundle: try fixture.load(), asOf: "2026-03-01") }
        #expect(runtime?.diagnostics.contains { $0.line == 8 && $0.message.contains("rule 2 (rent.2025b): effective.to") } == true,
                "\(String(describing: runtime))")
    }

    /// The yearly update: a rule split in two with the new one's `from` on or before the old one's
    /// `to`. The error said "overlapping periods" without the days; it names them.
    @Test func overlappingRulesNameTheDaysBothDecide() throws {
        let fixture = try BundleFixture(files: ["rent.lua": """
            return {
              { id = 'rent.2025', service = 'SVC-01', effective = { to = '2025-12-31' }, evaluate = function() return true end },
              { id = 'rent.2026', service = 'SVC-01', effective = { from = '2025-12-01' }, evaluate = function() return true end },
              { id = 'rent.any', service = 'SVC-01', subjects = { 'market' }, evaluate = function() return true end },
              { id = 'rent.any2', service = 'SVC-01', subjects = { 'market' }, evaluate = function() return true end },
            }
            """])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors.map(\.message)
        #expect(errors.contains("rules 'rent.2025' and 'rent.2026' both serve SVC-01 for the same subjects from 2025-12-01 to 2025-12-31; "
            + "give them `effective` dates that do not overlap (the earlier rule's `to` before the later rule's `from`) or disjoint `subjects` (规则生效期重叠)"), "\(errors)")
        #expect(errors.contains { $0.hasPrefix("rules 'rent.any' and 'rent.any2' both serve SVC-01 for the same subjects at all times (neither has `effective` dates)") }, "\(errors)")
    }

    /// Yearly-update review: two rules of a service written over several lines each (as the
    /// bundle's are) that overlap were reported at the later rule's first condition, a line with
    /// no date on it; the error is at the `from` that starts the days both decide.
    @Test func overlappingRulesAreReportedAtTheFromThatStartsTheOverlap() throws {
        let fixture = try BundleFixture(files: ["rent.lua": """
            return {
              {
                id = 'rent.2026',
                service = 'SVC-01',
                effective = { to = '2027-01-31' },
                conditions = { { '总是', function() return true end } },
              },
              {
                id = 'rent.2027',
                service = 'SVC-01',
                effective = { from = '2027-01-01' },
                conditions = {
                  { '总是', function() return true end },
                },
              },
            }
            """])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors
        let overlap = try #require(errors.first { $0.message.contains("both serve SVC-01") }, "\(errors.map(\.description))")
        #expect(overlap.line == 11 && overlap.message.contains("from 2027-01-01 to 2027-01-31"), "\(overlap.description)")
    }

    /// The yearly update: next year's amount added as a dated value while the window still closes
    /// this year. The value never applied, and check was clean.
    @Test func aDatedValueAfterTheWindowClosesIsAWarning() throws {
        let fixture = try BundleFixture(files: [
            "catalog.yaml": """
            version: "t"
            services:
              - id: RENT-02
                name: 租金减免
                category: rent
                mode: 申请即享
                window: { from: "2025-01-01", to: "2026-12-31" }
                params: { cap: { "2025-01-01": 100000, "2026-01-01": 80000, "2027-01-01": 90000, "2028-01-01": 95000 }, months: 3 }
            """,
            "rent.lua": "return { id = 'r', service = 'RENT-02', evaluate = function(p, ctx) return eligible('x', { amount = ctx.params.cap * ctx.params.months }) end }",
        ])
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings.map(\.message)
        #expect(warnings.contains("service RENT-02: param 'cap' has a value from 2027-01-01, after the service's window closes on 2026-12-31: "
            + "it never applies; extend the window's `to` if the service goes on (参数日期晚于服务期)"), "\(warnings)")
        #expect(warnings.filter { $0.contains("after the service's window closes") }.count == 1, "\(warnings)")
    }

    /// The yearly update: a new service (window 2026) whose rule and cases were copied from last
    /// year's. Every case kept its 2025 as_of, outside the new window, so none evaluated the rule,
    /// and check was clean: the period a rule must have a case in is its effective period within
    /// its service's window.
    @Test func casesDatedOutsideTheServicesWindowDoNotTestItsRule() throws {
        let fixture = try BundleFixture(files: [
            "catalog.yaml": """
            version: "t"
            services:
              - { id: RENT-03, name: 租金减免(2026), category: rent, mode: 申请即享, window: { from: "2026-01-01", to: "2026-12-31" } }
            """,
            "rent03.lua": "return { id = 'rent.2026', service = 'RENT-03', evaluate = function() return true end }",
            "rent03_test.lua": """
            return { { name = '去年的用例', as_of = '2025-06-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                       expect = { ['RENT-03'] = 'eligible' } } }
            """,
        ])
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings.map(\.message)
        #expect(warnings.contains("rule 'rent.2026' (RENT-03) has no test case dated while it is effective (from 2026-01-01 to 2026-12-31, within the window of RENT-03): cases dated outside the window are not evaluated (该规则生效期内没有测试用例)"), "\(warnings)")

        // A case dated inside the window is enough.
        _ = try fixture.write("Rules/rent03_test.lua", """
            return { { name = '今年的用例', as_of = '2026-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                       expect = { ['RENT-03'] = 'eligible' } } }
            """)
        #expect(!BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings.contains { $0.message.contains("no test case") })
    }

    /// Warnings about a catalog service (no rule, a gap between its rules, a param no rule reads)
    /// named catalog.yaml without a line: the analyst had to search for the id.
    @Test func catalogWarningsGiveTheServicesLine() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02"], files: [
            "a.lua": "return { id = 'a1', service = 'SVC-01', effective = { to = '2026-04-30' }, evaluate = function(p, ctx) return ctx.params.cap > 0 end }",
        ])
        let catalogLines = BundleFixture.catalogYAML(services: ["SVC-01", "SVC-02"]).split(separator: "\n", omittingEmptySubsequences: false)
        let line = { (id: String) in (catalogLines.firstIndex { $0.hasSuffix("- id: \(id)") } ?? -1) + 1 }
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings
        let gap = warnings.first { $0.message.hasPrefix("service SVC-01: no rule is effective from 2026-05-01") }
        let unread = warnings.first { $0.message.hasPrefix("service SVC-01: param 'rate' is not read") }
        let noRule = warnings.first { $0.message.hasPrefix("service SVC-02 服务SVC-02 has no rule") }
        #expect(line("SVC-01") == 3 && line("SVC-02") > 3)
        #expect(gap?.line == line("SVC-01"), "\(warnings)")
        #expect(unread?.line == line("SVC-01"), "\(warnings)")
        #expect(noRule?.line == line("SVC-02"), "\(warnings)")
    }

    /// Found in the analyst review: a service split into two rules with a gap between, a rule
    /// effective only outside its service's window, and a rule with no case in its own period all
    /// passed check. (The fixture's services are always open.)
    @Test func gapsDeadRulesAndUntestedPeriodsAreWarnings() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02"], files: [
            "a.lua": """
            return {
              { id = 'a1', service = 'SVC-01', effective = { to = '2026-04-30' }, evaluate = function() return true end },
              { id = 'a2', service = 'SVC-01', effective = { from = '2026-06-01', to = '2026-12-31' }, evaluate = function() return true end },
            }
            """,
            "a_test.lua": """
            return { { name = 'x', as_of = '2026-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                       expect = { ['SVC-01'] = 'eligible', ['SVC-02'] = 'eligible' } } }
            """,
            "b.lua": "return { id = 'b', service = 'SVC-02', evaluate = function() return true end }",
        ])
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings.map(\.message)
        // The rules on either side, with their lines: the warning is at the catalog's service, and
        // the fix is in a rule's `to` or `from` (yearly-update review).
        let gap = try #require(warnings.first { $0.hasPrefix("service SVC-01: no rule is effective from 2026-05-01 to 2026-05-31, inside its window: not evaluated then; ") })
        #expect(gap.contains("rule 'a1' (") && gap.contains("a.lua:2) ends on 2026-04-30 and 'a2' (") && gap.contains("a.lua:3) starts on 2026-06-01")
                && gap.hasSuffix(" (服务期内无生效规则)"), "\(gap)")
        let after = try #require(warnings.first { $0.hasPrefix("service SVC-01: no rule is effective from 2027-01-01, inside its window: not evaluated then; ") })
        #expect(after.contains("rule 'a2' (") && after.contains("a.lua:3) ends on 2026-12-31 (服务期内无生效规则)"), "\(after)")
        #expect(warnings.contains { $0.hasPrefix("rule 'a2' (SVC-01) has no test case dated while it is effective (from 2026-06-01 to 2026-12-31)") }, "\(warnings)")
        #expect(!warnings.contains { $0.hasPrefix("rule 'a1'") || $0.contains("SVC-02: no rule") }, "\(warnings)")

        // A rule effective only before its service's window opens never decides.
        let dead = try BundleFixture(files: [
            "catalog.yaml": """
            version: "t"
            services:
              - { id: SVC-01, name: 服务, category: rent, mode: 免申即享, window: { from: "2026-01-01", to: "2026-12-31" } }
            """,
            "a.lua": """
            return {
              { id = 'old', service = 'SVC-01', effective = { to = '2025-12-31' }, evaluate = function() return true end },
              { id = 'new', service = 'SVC-01', effective = { from = '2026-01-01' }, evaluate = function() return true end },
            }
            """,
        ])
        let deadWarnings = BundleChecker.check(directory: dead.rulesDirectory, asOf: "2026-03-01").warnings.map(\.message)
        #expect(deadWarnings.contains { $0.hasPrefix("rule 'old' is effective until 2025-12-31 only outside the window of SVC-01 (from 2026-01-01 to 2026-12-31)") },
                "\(deadWarnings)")
        #expect(!deadWarnings.contains { $0.contains("no rule is effective") }, "\(deadWarnings)")
    }

    /// Yearly-update review: a service split into last year's and this year's rule with a gap
    /// between, and a case dated in the gap (or after the window) expecting an outcome, passed
    /// check; only `test` failed it, saying "no rule for it is effective on 2026-12-15" without
    /// which rules there are. Check now refuses such a case at its line, naming the rules'
    /// periods (or the window), and `test` names them too; a case expecting 未评估 there is right.
    @Test func aCaseDatedWhenItsServiceIsNotEvaluatedIsFoundByCheck() throws {
        let fixture = try BundleFixture(files: [
            "catalog.yaml": """
            version: "t"
            services:
              - { id: SVC-01, name: 服务, category: rent, mode: 免申即享, window: { from: "2025-01-01", to: "2027-12-31" } }
            """,
            "a.lua": """
            return {
              { id = 'old', service = 'SVC-01', effective = { to = '2026-11-30' }, evaluate = function() return true end },
              { id = 'new', service = 'SVC-01', effective = { from = '2027-01-01' }, evaluate = function() return true end },
            }
            """,
            "a_test.lua": """
            return {
              { name = 'old year', as_of = '2026-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'december', as_of = '2026-12-15', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'off', as_of = '2026-12-15', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                expect = { ['SVC-01'] = '未评估' } },
              { name = 'new year', as_of = '2027-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'after', as_of = '2028-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                expect = { ['SVC-01'] = { outcome = 'eligible' } } },
            }
            """,
        ])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors
        #expect(errors.map(\.line) == [4, 10], "\(errors.map(\.description))")
        let gap = try #require(errors.first)
        #expect(gap.message.contains("expects SVC-01 on 2026-12-15, when no rule of SVC-01 is effective")
                && gap.message.contains("'old' until 2026-11-30, 'new' from 2027-01-01"), "\(gap.message)")
        #expect(errors.last?.message.contains("outside the window of SVC-01 (from 2025-01-01 to 2027-12-31)") == true, "\(errors.map(\.message))")

        let r = try RuleTestRunner(loaded: fixture.load()).run()
        #expect(r.map(\.passed) == [true, false, true, true, false], "\(r.map(\.failures))")
        #expect(r[1].failures.contains { $0.contains("no rule for it is effective on 2026-12-15") && $0.contains("'old' until 2026-11-30, 'new' from 2027-01-01") },
                "\(r[1].failures)")
    }

    /// Yearly-update review: a new service's rule put `baoan.not_dishonest` in its conditions, as
    /// rules.md says, and its catalog entry had no `exclude_dishonest`. The condition reads that
    /// param through the rule's ctx, inside lib/baoan.lua, so check was clean, `run` started and
    /// every business the condition reached was a rule error. A lib export's param reads count as
    /// the rule's own: an unknown one is an error at the rule's line, naming the lib's line.
    @Test func aParamReadByALibConditionMustBeInTheRulesService() throws {
        let fixture = try BundleFixture(files: [
            "lib/m.lua": """
            local M = {}
            M.not_x = { "未列入x名单", function(p, ctx)
              if not ctx.params.exclude_x then return true end
              return not p.dishonest
            end }
            function M.capped(n, ctx) return math.min(n, ctx.params.cap) end
            return M
            """,
            "a.lua": """
            local m = require("m")
            return {
              id = 'a', service = 'SVC-01',
              conditions = {
                { '承租', function(p) return p.state_owned_premises end },
                m.not_x,
              },
              amount = function(p, ctx) return m.capped(p.monthly_rent, ctx) end,
            }
            """,
        ])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors
        #expect(errors.count == 1, "\(errors.map(\.description))")
        let error = try #require(errors.first)
        #expect(error.file?.hasSuffix("a.lua") == true && error.line == 6, "\(error.description)")
        #expect(error.message.contains("m.not_x reads ctx.params.exclude_x") && error.message.contains("m.lua:3")
                && error.message.contains("SVC-01"), "\(error.message)")
        // A run refuses it, as it does a param the rule file itself reads.
        let runtime = try RuleRuntime(bundle: fixture.load(), asOf: "2025-06-01")
        #expect(BundleChecker.problemsThatStopARun(runtime, loaded: try fixture.load()).contains { $0.message.contains("exclude_x") })
    }

    /// Yearly-update review: the new year's cap added as a dated value (rules.md §12, §13) and no
    /// case dated from that day: the tests passed on last year's cases alone, and nothing tested the
    /// new amount. Each later value of a dated param needs a case of its service dated while it
    /// holds; the first value is last year's, tested as before.
    @Test func aDatedParamsNewValueWithoutACaseIsAWarning() throws {
        func fixture(_ dates: [String]) throws -> BundleFixture {
            let cases = dates.map { "  { name = '\($0)', as_of = '\($0)', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise', monthly_rent = 1 }, expect = { ['SVC-01'] = 'eligible' } },\n" }
            return try BundleFixture(files: [
                "catalog.yaml": """
                version: "t"
                services:
                  - id: SVC-01
                    name: 服务
                    category: rent
                    mode: 免申即享
                    window: { from: "2025-01-01", to: "2027-12-31" }
                    params:
                      cap: { "2025-01-01": 100000, "2027-01-01": 80000 }
                """,
                "a.lua": "return { id = 'a', service = 'SVC-01', conditions = { { '有租金', function(p) return p.monthly_rent > 0 end } }, amount = function(p, ctx) return ctx.params.cap end }",
                "a_test.lua": "return {\n" + cases.joined() + "}",
            ])
        }
        let lastYears = try fixture(["2025-06-01", "2026-06-01"])  // (kept: its directory goes with it)
        let untested = BundleChecker.check(directory: lastYears.rulesDirectory, asOf: "2026-03-01").warnings
        let warning = try #require(untested.first { $0.message.contains("'cap'") }, "\(untested.map(\.description))")
        #expect(warning.message == "service SVC-01: param 'cap' is 80000 from 2027-01-01 (to 2027-12-31), and no test case of SVC-01 is dated then: "
                + "the new value is not tested; add a case dated on or after 2027-01-01 (参数的新值没有测试用例)", "\(warning.message)")
        #expect(warning.line == 3, "\(warning.description)")
        let bothYears = try fixture(["2025-06-01", "2027-03-01"])
        let tested = BundleChecker.check(directory: bothYears.rulesDirectory, asOf: "2026-03-01").warnings
        #expect(!tested.contains { $0.message.contains("'cap'") }, "\(tested.map(\.description))")
    }

    /// Yearly-update review: "rule 'rent.state-premises.2027' (RENT-02) has no test case dated while
    /// it is effective" named the rule's file and no line, in a file holding last year's rule and
    /// this year's; the warnings are at the rule's `id`.
    @Test func aRuleWithoutCasesIsWarnedAboutAtItsID() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02"], files: [
            "a.lua": """
            return {
              {
                id = 'old', service = 'SVC-01', effective = { to = '2026-12-31' },
                evaluate = function() return true end,
              },
              {
                id = 'new', service = 'SVC-01', effective = { from = '2027-01-01' },
                evaluate = function() return true end,
              },
              {
                id = 'other',
                service = 'SVC-02',
                evaluate = function() return true end,
              },
            }
            """,
            "a_test.lua": """
            return { { name = 'x', as_of = '2026-03-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' },
                       expect = { ['SVC-01'] = 'eligible' } } }
            """,
        ])
        let warnings = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").warnings
        let untested = try #require(warnings.first { $0.message.hasPrefix("rule 'new' (SVC-01) has no test case dated") }, "\(warnings.map(\.description))")
        #expect(untested.line == 7, "\(untested.description)")
        let none = try #require(warnings.first { $0.message.hasPrefix("rule 'other' (SVC-02) has no test case") }, "\(warnings.map(\.description))")
        #expect(none.line == 11, "\(none.description)")
    }

    /// Yearly-update review: a new service's file copied from last year's kept its rule id; the
    /// error said "first in rent02.lua:13", the first condition of a rule written over several
    /// lines, not the id the analyst has to compare. Both places are the `id` lines.
    @Test func aDuplicateRuleIDNamesBothIDLines() throws {
        let rule = { (service: String) in """
            return {
              id = 'rent.2027',
              service = '\(service)',
              conditions = {
                { '总是', function() return true end },
              },
            }
            """ }
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02"], files: ["a.lua": rule("SVC-01"), "b.lua": rule("SVC-02")])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2026-03-01").errors
        let duplicate = try #require(errors.first { $0.message.contains("duplicate rule id 'rent.2027'") }, "\(errors.map(\.description))")
        #expect(duplicate.file?.hasSuffix("b.lua") == true && duplicate.line == 2, "\(duplicate.description)")
        #expect(duplicate.message.contains("a.lua:2)"), "\(duplicate.message)")
    }

    /// Found in the docs review: a Rules directory that is a symlink read as an empty bundle, and
    /// a run went ahead with no rule at all.
    @Test func aRulesDirectoryThatIsASymlinkIsReadThroughIt() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": "return { id = 'r', service = 'SVC-01', evaluate = function() return true end }"])
        let link = fixture.root.appendingPathComponent("Linked")
        try FileManager.default.createSymbolicLink(at: link, withDestinationURL: URL(fileURLWithPath: fixture.rulesDirectory))
        let direct = try RuleBundle(directory: fixture.rulesDirectory), linked = try RuleBundle(directory: link.path)
        #expect(linked.ruleFiles.count == 1)
        #expect(linked.sha256 == direct.sha256)
    }

    /// Comparisons that are wrong whatever the profile holds, which check let through (analyst
    /// review): a date against text that is not YYYY-MM-DD, a number against a text or boolean
    /// field, an ordering on an enum (its codes compare as letters: C, D and M "≥ B").
    @Test func comparisonsWithTheWrongKindOfLiteralAreErrors() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            local limit = 10; return { id = 'r', service = 'SVC-01', conditions = {
              { '成立', function(p) return p.established_on <= "2025/3/1" end },
              { '未失信', function(p) return p.dishonest == 1 end },
              { '行业', function(p) return p.industry_code == 6 end },
              { '主体', function(p) return p.subject_type >= "individual" end },
              { '人数', function(p) return p.employees == true end },
              { '正确', function(p) return p.established_on <= "2025-03-01" and p.employees < 100 and p.dishonest == false end },
              { '变量', function(p) return p.employees < limit and p.subject_type == "market" and p.industry_code == "C" end },
              { '长度', function(p) return #p.tags > 0 and # p.name >= 4 and p.established_on < "2020" end },
              { '永不', function(p) return p.subject_type >= "企业" or p.established_on == "2020" or p.established_on < "2025-3" end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let messages = report.errors.map(\.description)
        #expect(messages.count == 7, "\(messages)")
        // Wrong for every business, so errors (second review): an order against a text that is
        // none of the enum's values, a date equal to a partial date, a month not zero-padded.
        #expect(messages.contains { $0.contains("rule.lua:10: p.subject_type >= \"企业\"") && $0.contains("none of its values") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:10: p.established_on == \"2020\"") && $0.contains("never equal") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:10: p.established_on < \"2025-3\"") }, "\(messages)")
        // Can be meant, so warnings (review): an order on an enum, a date against a partial date.
        let warnings = report.warnings.map(\.description)
        #expect(warnings.contains { $0.contains("rule.lua:5: warning: p.subject_type >= \"individual\"") && $0.contains("has no order") }, "\(warnings)")
        #expect(warnings.contains { $0.contains("rule.lua:9: warning: p.established_on < \"2020\": not a whole date") }, "\(warnings)")
        #expect(!messages.contains { $0.contains("rule.lua:9") }, "#p.tags is a length, not the list (review)")
        #expect(messages.contains { $0.contains("rule.lua:2: p.established_on <= \"2025/3/1\"") && $0.contains("write \"2025-03-01\"") })
        #expect(messages.contains { $0.contains("rule.lua:3: p.dishonest == 1") && $0.contains("true or false") })
        #expect(messages.contains { $0.contains("rule.lua:4: p.industry_code == 6") && $0.contains("write \"6\"") })
        #expect(messages.contains { $0.contains("rule.lua:6: p.employees == true") })
    }

    /// Analyst review: `p.tags == "首次进入省百强"` is false for every business (a list is never
    /// equal to a text) and check was clean; `p.tags == 5` was told to write "5", which is never
    /// equal either. A list field compared with a literal is an error saying how to ask whether
    /// the list holds an item; its items and its length compare as usual.
    @Test func aListComparedWithALiteralIsAnError() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '百强', function(p) return p.tags == "首次进入省百强" end },
              { '不是', function(p) return p.tags ~= "失信" end },
              { '数字', function(p) return p.tags == 5 end },
              { '正确', function(p) return p.tags[1] == "首次进入省百强" and #p.tags > 0 end },
            } }
            """])
        let messages = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(messages.count == 3, "\(messages)")
        for line in 2...4 {
            #expect(messages.contains { $0.contains("rule.lua:\(line): p.tags ") && $0.contains("is a list") && $0.contains("ipairs(p.tags)") }, "\(line): \(messages)")
        }
        #expect(!messages.contains { $0.contains("write \"5\"") }, "\(messages)")
    }

    /// Analyst review: `scale_of(p) == "小型"` is false for every business (scale_of gives
    /// "large", "medium", "small" or "micro") and check was clean.
    @Test func scaleOfComparedWithANameItNeverGivesIsAnError() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '小型', function(p) return scale_of(p) == "小型" end },
              { '小微', function(p) return scale_of( p ) ~= '小微' end },
              { '顺序', function(p) return scale_of(p) <= "small" end },
              { '正确', function(p) return scale_of(p) == "small" or scale_of(p) == "micro" end },
            } }
            """])
        let messages = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:2: scale_of(p) == \"小型\"") && $0.contains("write \"small\"") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:3: scale_of(p) ~= \"小微\"") && $0.contains("is_small_or_micro") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:4: scale_of(p) <= \"small\"") && $0.contains("no order") }, "\(messages)")
    }

    /// Found in the analyst review: a name a file reads that is neither a local nor a sandbox
    /// global (`ctx` in a function without that parameter, a misspelt helper, a module never
    /// required) passed `check`, and every business reaching the line failed in the run.
    @Test func unknownGlobalsAreErrorsWithTheirLines() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            local function local_helper(x) return x end
            return { id = 'r', service = 'SVC-01', conditions = {
              { '满1年', function(p) return years_between(p.established_on, ctx.as_of) >= 1 end },
              { '拼错', function(p)
                  return year_between(p.established_on, "2025-01-01") >= 1
                end },
              { '没有 require', function(p) return local_helper(baoan.x) end },
              { '系统', function(p) return os.time() > 0 end },
            },
              amount = function(p, ctx) return ctx.params.cap end }
            """, "lib/baoan.lua": "return { x = true }"])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let messages = report.errors.map(\.description)
        #expect(messages.count == 3, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:3: unknown global 'ctx'") && $0.contains("function(p, ctx)") })
        #expect(messages.contains { $0.contains("rule.lua:5: unknown global 'year_between' (did you mean 'years_between'?)") })
        #expect(messages.contains { $0.contains("rule.lua:7: unknown global 'baoan'") && $0.contains("local baoan = require(\"baoan\")") })
        // A name of standard Lua the sandbox leaves out: code may probe for it, so a warning.
        #expect(report.warnings.contains { $0.description.contains("rule.lua:8: warning: 'os' is not available to rules") }, "\(report.warnings)")
        // They stop a run, as unknown fields and params do.
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        #expect(BundleChecker.problemsThatStopARun(runtime, loaded: loaded).count == 3)
    }

    /// Analyst review: `local` forgotten inside a function (`list = {}`) fails every business at
    /// that line ("global variables are read-only"), but check named only the later reads of the
    /// name, as unknown globals, and not the line that made them so. The assignment is the error,
    /// saying to write `local`; the reads say where the name was assigned.
    @Test func anAssignmentToAGlobalIsAnErrorSayingLocal() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', evaluate = function(p, ctx)
                list = {}
                list[1] = p.employees
                return list[1] > 1
              end }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let messages = report.errors.map(\.description)
        #expect(messages.contains { $0.contains("rule.lua:2: ") && $0.contains("'list'") && $0.contains("local list =") }, "\(messages)")
        #expect(messages.contains { $0.contains("rule.lua:3: unknown global 'list'") && $0.contains("line 2") }, "\(messages)")
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        #expect(BundleChecker.problemsThatStopARun(runtime, loaded: loaded).contains { $0.line == 2 })
    }

    /// Review of the check: a compatibility probe (`table.unpack or unpack`) stopped a valid bundle;
    /// a name inside a multi-line expression was reported at the line that closes it; a long name,
    /// or one past a function's 256th constant, was not seen; a comment naming _ENV turned the
    /// check off for the file.
    @Test func unknownGlobalsInOddPlaces() throws {
        let codes = (1...300).map { "\"C\($0)\"" }.joined(separator: ", ")
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            local unpack = table.unpack or unpack -- 不要用 _ENV
            local function list(p)
              local t = {
                "a",
                unknown_list_last
              }
              return math.max(1,
                unknown_arg
              )
            end
            local function many(p) local codes = { \(codes) }; return yeers_between(p.established_on, "2025-01-01") end
            return { id = 'r', service = 'SVC-01', conditions = {
              { '长名', function(p) return this_is_a_rather_long_unknown_global_name_over_40 end },
              { '其他', function(p) return list(p) and many(p) end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        let errors = report.errors.map(\.description)
        #expect(errors.count == 4, "\(errors)")
        #expect(errors.contains { $0.contains("rule.lua:5: unknown global 'unknown_list_last'") })
        #expect(errors.contains { $0.contains("rule.lua:8: unknown global 'unknown_arg'") })
        #expect(errors.contains { $0.contains("rule.lua:11: unknown global 'yeers_between'") })
        #expect(errors.contains { $0.contains("rule.lua:13: unknown global 'this_is_a_rather_long_unknown_global_name_over_40'") })
        #expect(report.warnings.contains { $0.description.contains("rule.lua:1: warning: 'unpack' is not available") }, "\(report.warnings)")
        // A file that makes its own _ENV is left alone: its globals are another table.
        let own = try BundleFixture(files: ["svc/rule.lua": """
            local _ENV = setmetatable({ helper = function() return true end }, { __index = _ENV })
            return { id = 'r', service = 'SVC-01', conditions = { { '总是', function(p) return helper() end } } }
            """])
        #expect(BundleChecker.check(directory: own.rulesDirectory, asOf: "2025-06-01").errors.isEmpty)
    }

    /// The shipped rules and their libraries read no unknown global: the check sees every file.
    @Test func theShippedRulesReadNoUnknownGlobal() throws {
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        for file in loaded.bundle.ruleFiles + Array(loaded.bundle.libraries.values) {
            let found = runtime.unknownGlobals(source: file.source, chunkName: file.chunkName)
            #expect(found != nil && found?.isEmpty == true, "\(file.displayPath): \(String(describing: found))")
        }
        // And one that reads one, in a nested function far down a long file, is seen at its line.
        let long = (1...150).map { "local v\($0) = \"s\($0)\"" }.joined(separator: "\n") + "\nreturn function() return unknown_name end"
        #expect(runtime.unknownGlobals(source: long, chunkName: "=long")?.map(\.line) == [151])
    }

    /// Found in the analyst review: `ctx.asof` read nil and the rule failed further on.
    @Test func anUnknownCtxKeyIsAnError() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '满1年', function(p, ctx) return years_between(p.established_on, ctx.asof) >= 1 end },
              { '服务', function(p, ctx) return ctx.service.id == "SVC-01" and ctx.as_of > "2000" end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.errors.map(\.description) == ["\(fixture.rulesDirectory)/svc/rule.lua:2: ctx.asof: ctx has no field 'asof' (did you mean 'as_of'?); a rule's ctx has as_of, service and params (ctx 没有该字段)"],
                "\(report.errors)")
        // A lib function's own parameter may be called ctx (final review: refused).
        let lib = try BundleFixture(files: [
            "svc/rule.lua": "local fmt = require('fmt')\nreturn { id = 'r', service = 'SVC-01', conditions = { { '总是', function(p) return fmt.money(1, { prefix = '¥' }) ~= '' end } } }",
            "lib/fmt.lua": "local M = {}\nfunction M.money(n, ctx) return string.format('%s%.2f', ctx.prefix, n) end\nreturn M",
        ])
        #expect(BundleChecker.check(directory: lib.rulesDirectory, asOf: "2025-06-01").errors.isEmpty)
    }

    /// Analyst review: a condition copied with its label left unchanged gave a business the other
    /// condition's reason, and check was clean.
    @Test func twoConditionsWithOneLabelAreAWarning() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '经营满1年', function(p) return p.employees > 0 end },
              { '经营满1年', function(p) return p.revenue > 0 end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.errors.isEmpty, "\(report.errors)")
        #expect(report.warnings.contains { $0.description.contains("rule.lua:3: warning: rule 'r': conditions 1 and 2 have the same label \"经营满1年\"") },
                "\(report.warnings)")
    }

    /// Usability review: a label holding ';' ("租用国有物业; 月租金大于0") read as two conditions in
    /// every table and export, which join reasons with "; " (the printed lists with "；"), the
    /// second with no ✓/✗.
    @Test func aLabelHoldingASemicolonIsAWarning() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'r', service = 'SVC-01', conditions = {
              { '人数大于0；营收大于0', function(p) return p.employees > 0 end },
              { '租用国有物业; 月租金大于0', function(p) return p.revenue > 0 end },
            } }
            """])
        let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
        #expect(report.errors.isEmpty, "\(report.errors)")
        let semicolons = report.warnings.filter { $0.description.contains("holds '") }
        #expect(semicolons.count == 2, "\(report.warnings)")
        #expect(semicolons.contains { $0.description.contains("rule.lua:2: warning: rule 'r': condition 1's label \"人数大于0；营收大于0\" holds '；'") },
                "\(semicolons)")
        #expect(semicolons.contains { $0.description.contains("rule.lua:3: warning: rule 'r': condition 2's label") }, "\(semicolons)")
    }

    /// Usability review: test cases in a file named `…_tests.lua` were read as rules, six errors a
    /// case ("unknown key 'expect'", "'id' must be a non-empty string", …) and a warning that the
    /// rule has no test case. One error says to rename it.
    @Test func testCasesInAMisnamedFileAreOneProblemSayingTheName() throws {
        let cases = "return { { name = 'a', as_of = '2025-06-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' }, expect = { ['SVC-01'] = 'eligible' } },\n"
            + "  { name = 'b', as_of = '2025-06-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise' }, expect = { ['SVC-01'] = 'eligible' } } }"
        for (misnamed, wanted) in [("svc/rule_tests.lua", "svc/rule_test.lua"), ("svc/rule.test.lua", "svc/rule_test.lua"), ("svc/test_rule.lua", "svc/rule_test.lua")] {
            let fixture = try BundleFixture(files: [
                "svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '总是', function() return true end } } }",
                misnamed: cases,
            ])
            let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
            #expect(report.errors.count == 1, "\(report.errors)")
            #expect(report.errors.first?.description.contains("\(misnamed): holds test cases") == true
                    && report.errors.first?.description.contains("rename it \(fixture.rulesDirectory)/\(wanted)") == true, "\(report.errors)")
            #expect(!report.warnings.contains { $0.description.contains("has no test case") }, "\(report.warnings)")
        }
        // A rule file whose rule has a stray `as_of` (the date its analyst had in mind; rules take
        // `effective`) is a rule file with problems of its own, not test cases to rename.
        let stray = try BundleFixture(files: [
            "svc/rule.lua": "return { id = 'r', service = 'SVC-01', as_of = '2025-01-01', servce_name = 'x', conditions = { { '总是', function() return true end } } }",
        ])
        let strayErrors = BundleChecker.check(directory: stray.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(!strayErrors.contains { $0.contains("holds test cases") }, "\(strayErrors)")
        #expect(strayErrors.contains { $0.contains("unknown key 'as_of'") } && strayErrors.contains { $0.contains("servce_name") }, "\(strayErrors)")
        #expect(MisnamedTestFile.testName(for: "rent03-test.lua") == "rent03_test.lua")
        #expect(MisnamedTestFile.testName(for: "a/rent03_cases.lua") == "a/rent03_cases_test.lua")
    }

    /// Analyst review: a param renamed in the catalog only (annual_cap → annual_limit) gave an
    /// error for the rule's read and a warning for the unread param, neither naming the other:
    /// the names are too far apart for "did you mean". The error names the unread param.
    @Test func aParamRenamedInTheCatalogOnlyIsNamedInTheError() throws {
        let fixture = try BundleFixture(files: [
            "svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '租金', function(p, ctx) return p.monthly_rent * ctx.params.rate <= ctx.params.upper_limit end } } }",
        ])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(errors.contains { $0.contains("ctx.params.upper_limit: no such param for SVC-01") && $0.contains("renamed 'cap' in catalog.yaml?") }, "\(errors)")
    }

    /// Analyst review: a misspelt key of a rule (`subject = …`, `evalute = …`) was reported for the
    /// file and the rule's number, without the line; in a file of several rules, hard to find.
    @Test func anUnknownKeyOfARuleGivesItsLine() throws {
        let fixture = try BundleFixture(files: ["svc/rule.lua": """
            return {
              { id = 'a', service = 'SVC-01', conditions = { { '总是', function() return true end } } },
              { id = 'b', service = 'SVC-01',
                subject = { "enterprise" },
                conditions = { { '总是', function() return true end } } },
            }
            """])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors
        // As file:line, the form editors jump to (first-day review: the line was at the end).
        let subject = try #require(errors.first { $0.message.contains("unknown key 'subject' (did you mean 'subjects'?)") }, "\(errors)")
        #expect(subject.line == 4 && subject.description.contains("rule.lua:4: "), "\(subject.description)")
        // An amount or score of the wrong kind: its line too, and what it is.
        let scored = try BundleFixture(files: ["svc/rule.lua": """
            return { id = 'a', service = 'SVC-01',
              conditions = { { '总是', function() return true end } },
              score = "高",
            }
            """])
        let score = try #require(BundleChecker.check(directory: scored.rulesDirectory, asOf: "2025-06-01").errors
            .first { $0.message.contains("'score' must be a number or a function(p, ctx), got the text \"高\" (评分须为数字或函数)") })
        #expect(score.line == 3, "\(score.description)")
        // In a file of several rules, the line of this rule's key, not the first rule's (code review).
        let two = try BundleFixture(files: ["svc/rule.lua": """
            local function score(p) return 1 end
            return {
              { id = 'a', service = 'SVC-01',
                conditions = { { '总是', function() return true end } },
                score = score },
              { id = 'b', service = 'SVC-01',
                conditions = { { '总是', function() return true end } },
                score = "高" },
            }
            """])
        let second = try #require(BundleChecker.check(directory: two.rulesDirectory, asOf: "2025-06-01").errors
            .first { $0.message.contains("rule 2 (b): 'score' must be") })
        #expect(second.line == 8, "\(second.description)")
    }

    /// Analyst review: a test profile naming a field by its Chinese label (`["月租金(元)"] = 8000`,
    /// copied from an input file's header) was told only "unknown field".
    @Test func aTestProfileNamingAFieldByItsLabelIsToldTheName() throws {
        let fixture = try BundleFixture(files: [
            "svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '租金', function(p) return p.monthly_rent > 0 end } } }",
            "svc/rule_test.lua": "return { { name = 'a', as_of = '2025-06-01', profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise', ['月租金(元)'] = 8000 }, expect = { ['SVC-01'] = 'eligible' } } }",
        ])
        let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
        #expect(errors.contains { $0.contains("'月租金(元)' is how input files name the field 'monthly_rent'") && $0.contains("monthly_rent = …") }, "\(errors)")
    }

    /// Analyst review: a catalog saved as `catalog.yaml.txt` (Notepad) or `catalog.yml` was told
    /// only that the bundle "needs catalog.yaml", next to the file it had.
    @Test func aMissingSchemaOrCatalogNamesTheFileThatIsThere() throws {
        for (saved, needed) in [("catalog.yaml.txt", "catalog.yaml"), ("Schema.yml", "schema.yaml")] {
            let fixture = try BundleFixture(files: [:])
            let rules = fixture.root.appendingPathComponent("Rules")
            try FileManager.default.moveItem(at: rules.appendingPathComponent(needed), to: rules.appendingPathComponent(saved))
            let errors = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01").errors.map(\.description)
            #expect(errors.count == 1 && errors[0].contains("needs \(needed)") && errors[0].contains("found \(saved): rename it \(needed)"), "\(errors)")
        }
    }

    /// Analyst review: a rule saved with Windows (CRLF) or old Mac (CR) line ends loads and runs as
    /// with LF, but check's own reading of the source split lines on LF only: with CRLF a misspelt
    /// module name passed check and the service key and test cases were placed on line 1; with CR
    /// the first comment ran to the end of the file, so a misspelt field passed check too, and every
    /// param read "is not read by any of its rules".
    @Test func lineEndingsOtherThanLFAreReadAsLuaReadsThem() throws {
        let rule = """
        -- 规则说明
        local shared = require("shared")
        return { id = 'r', service = 'SVC-1',
          conditions = {
            { '小微', function(p) return shared.is_small_micro(p) end },
            { '人数', function(p) return p.employes >= 1 and p.employees <= ctx_cap end },
            { '租金', function(p, ctx) return p.monthly_rent <= ctx.params.cap end },
          } }
        """.replacingOccurrences(of: "ctx_cap", with: "10")
        let cases = """
        return {
          { name = 'a', as_of = '2025-06-01',
            profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise', employees = 1, monthly_rent = 1 },
            expect = { ['SVC-01'] = 'eligible' } },
          { name = 'b', as_of = '2025-06-01',
            profile = { credit_code = '91350100M000100Y43', name = '测试', subject_type = 'enterprise', employees = 1, monthly_rent = 1 },
            expect = { ['SVC-01'] = 'eligible' } },
        }
        """
        var seen: [String: [String]] = [:]
        for (name, end) in [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r"), ("LF CR", "\n\r")] {
            let fixture = try BundleFixture(files: [
                "lib/shared.lua": "local M = {}\nfunction M.is_small_or_micro(p) return true end\nreturn M\n",
                "svc/rule.lua": rule.replacingOccurrences(of: "\n", with: end),
                "svc/rule_test.lua": cases.replacingOccurrences(of: "\n", with: end),
            ])
            let report = BundleChecker.check(directory: fixture.rulesDirectory, asOf: "2025-06-01")
            seen[name] = report.diagnostics.map { "\($0.line.map(String.init) ?? "-") \($0.severity) \($0.message.replacingOccurrences(of: fixture.root.path, with: ""))" }.sorted()
            let errors = report.errors.map { "\($0.line.map(String.init) ?? "-"): \($0.message)" }
            #expect(errors.contains { $0.hasPrefix("3: ") && $0.contains("unknown service 'SVC-1'") }, "\(name): \(errors)")
            #expect(errors.contains { $0.hasPrefix("5: ") && $0.contains("has no 'is_small_micro'") }, "\(name): \(errors)")
            #expect(errors.contains { $0.hasPrefix("6: ") && $0.contains("unknown profile field 'employes'") }, "\(name): \(errors)")
            #expect(!report.warnings.contains { $0.message.contains("not read by any of its rules") }, "\(name): \(report.warnings)")
            // Test cases are placed on their own lines.
            let runner = try RuleTestRunner(loaded: fixture.load())
            let lines = try runner.run().filter { $0.name == "a" || $0.name == "b" }.map(\.line)
            #expect(lines == [2, 5], "\(name): \(lines)")
        }
        #expect(Set(seen.values).count == 1, "\(seen)")
    }
}
