import Huiqi
import HuiqiLua
import TestSupport
import Testing

/// `unknown("理由")` and a condition's `return undetermined("理由")`: undetermined for a reason no
/// missing field explains. Each case is decided twice: traced (as `explain` and `huiqi test`
/// evaluate) and untraced (as a run does), in one runtime after a profile that raised nothing,
/// and again after it, so a reason never leaks from one business to the next.
@Suite struct UnknownReasonTests {
    private static let sizeLib = """
    local M = {}
    -- 金融业不按本表划型: 无法判断。
    function M.small(p)
      if p.industry_code:sub(1, 1) == "J" then unknown("金融业划型标准未收录") end
      return p.employees < 100
    end
    return M
    """

    private static let conditionsRule = """
    local size = require("size")
    return {
      id = "r", service = "SVC-01",
      conditions = {
        { "小微企业", function(p) return size.small(p) end },
        { "租用国有物业", function(p) return p.state_owned_premises end },
      },
      amount = function(p) if p.monthly_rent > 50000 then unknown("租金过高, 需人工核实") end return p.monthly_rent end,
    }
    """

    /// Decisions for `values`, traced and untraced, each in a runtime that first decided a plain
    /// profile and afterwards decides it again (checked to be unchanged).
    private func decide(_ rule: String, _ values: [String: FieldValue], lib: String = sizeLib) throws -> [Decision] {
        let fixture = try BundleFixture(files: ["svc/rule.lua": rule, "lib/size.lua": lib])
        let loaded = try fixture.load()
        let plain = BundleFixture.profile(loaded.schema, ["industry_code": .string("C3981"), "employees": .integer(10),
                                                         "state_owned_premises": .boolean(true), "monthly_rent": .decimal(1000)])
        var out: [Decision] = []
        for trace in [true, false] {
            let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
            let before = try #require(runtime.decisions(for: plain, trace: trace).first)
            out.append(try #require(runtime.decisions(for: BundleFixture.profile(loaded.schema, values), trace: trace).first))
            let after = try #require(runtime.decisions(for: plain, trace: trace).first)
            #expect(before.outcome == .eligible && after.outcome == .eligible, "trace \(trace)")
            #expect(before.reasons == after.reasons && after.conditions.allSatisfy { $0.note == nil }, "trace \(trace)")
        }
        return out
    }

    @Test func unknownInAConditionMakesItUnknownWithTheReason() throws {
        for d in try decide(Self.conditionsRule, ["industry_code": .string("J6620"), "employees": .integer(10),
                                                  "state_owned_premises": .boolean(true), "monthly_rent": .decimal(1000)]) {
            #expect(d.outcome == .undetermined)
            #expect(d.reasons == ["小微企业: 金融业划型标准未收录"])
            #expect(d.conditions.map(\.state) == [.unknown, .passed])
            #expect(d.conditions[0].note == "金融业划型标准未收录" && d.conditions[0].missingField == nil)
            #expect(d.amount == nil)
        }
    }

    @Test func aLaterFailedConditionStillMakesItIneligible() throws {
        for d in try decide(Self.conditionsRule, ["industry_code": .string("J6620"), "employees": .integer(10),
                                                  "state_owned_premises": .boolean(false), "monthly_rent": .decimal(1000)]) {
            #expect(d.outcome == .ineligible)
            #expect(d.reasons == ["租用国有物业"])
            #expect(d.conditions.map(\.state) == [.unknown, .failed])
        }
    }

    @Test func unknownBesideAMissingFieldGivesBothReasons() throws {
        for d in try decide(Self.conditionsRule, ["industry_code": .string("J6620"), "employees": .integer(10), "monthly_rent": .decimal(1000)]) {
            #expect(d.outcome == .undetermined)
            #expect(d.reasons.count == 2 && d.reasons[0] == "小微企业: 金融业划型标准未收录" && d.reasons[1].hasPrefix("租用国有物业: 缺少数据"))
        }
    }

    @Test func unknownInTheAmountMakesTheDecisionUndetermined() throws {
        for d in try decide(Self.conditionsRule, ["industry_code": .string("C3981"), "employees": .integer(10),
                                                  "state_owned_premises": .boolean(true), "monthly_rent": .decimal(60000)]) {
            #expect(d.outcome == .undetermined)
            #expect(d.reasons == ["无法计算金额: 租金过高, 需人工核实"])
            #expect(d.conditions.map(\.state) == [.passed, .passed])
            #expect(d.amount == nil)
        }
    }

    @Test func unknownInEvaluateAndUndeterminedReturnedByAConditionAreTheSame() throws {
        let evaluate = """
        local size = require("size")
        return { id = "r", service = "SVC-01", evaluate = function(p)
          if size.small(p) then return eligible("小微企业") end
          return ineligible("非小微企业")
        end }
        """
        for d in try decide(evaluate, ["industry_code": .string("J6620"), "employees": .integer(10)]) {
            #expect(d.outcome == .undetermined && d.reasons == ["金融业划型标准未收录"])
        }
        let returned = """
        return { id = "r", service = "SVC-01", conditions = {
          { "小微企业", function(p)
              if p.industry_code:sub(1, 1) == "J" then return undetermined("金融业划型标准未收录") end
              return p.employees < 100
            end },
          { "租用国有物业", function(p) return p.state_owned_premises end },
        } }
        """
        for d in try decide(returned, ["industry_code": .string("J6620"), "employees": .integer(10), "state_owned_premises": .boolean(true)]) {
            #expect(d.outcome == .undetermined && d.reasons == ["小微企业: 金融业划型标准未收录"])
            #expect(d.conditions.map(\.state) == [.unknown, .passed])
        }
    }

    @Test func unknownWithoutAReasonIsARuleErrorAtItsLine() throws {
        let rule = """
        return { id = "r", service = "SVC-01", conditions = {
          { "小微企业", function(p)
              if p.industry_code:sub(1, 1) == "J" then unknown() end
              return true
            end },
        } }
        """
        for d in try decide(rule, ["industry_code": .string("J6620")]) {
            #expect(d.outcome == .error)
            #expect(d.errorMessage?.contains("unknown: the reason must be a non-empty string") == true)
            #expect(d.errorMessage?.contains("rule.lua:3:") == true, "\(d.errorMessage ?? "")")
        }
    }

    /// `decision(for:at:)` keeps the texts of decisions by rule and condition states: a reason
    /// given with unknown(…) is each business's own.
    @Test func eachBusinessKeepsItsOwnReason() throws {
        let rule = """
        return { id = "r", service = "SVC-01", conditions = {
          { "小微企业", function(p) unknown("员工" .. p.employees .. "人, 待核实") return true end },
          { "租用国有物业", function(p) return p.state_owned_premises end },
        } }
        """
        let fixture = try BundleFixture(files: ["svc/rule.lua": rule])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let decided = [(5, true), (7, true), (5, false), (7, false)].map { n, premises in
            let r = runtime.evaluate(BundleFixture.profile(loaded.schema, ["employees": .integer(Int64(n)), "state_owned_premises": .boolean(premises)]))
            return runtime.decision(for: r[0], at: 0)
        }
        #expect(decided.map(\.reasons) == [["小微企业: 员工5人, 待核实"], ["小微企业: 员工7人, 待核实"], ["租用国有物业"], ["租用国有物业"]])
        #expect(decided.map { $0.conditions[0].note } == ["员工5人, 待核实", "员工7人, 待核实", "员工5人, 待核实", "员工7人, 待核实"])
    }
}
