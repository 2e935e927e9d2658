import Foundation
@testable import Huiqi
import HuiqiLua
import TestSupport
import Testing

/// The evaluation drivers are Lua source generated from the plan, one per subject type
/// (`EngineLua.compile_driver`). These tests check what they must keep from the general loop they
/// replaced: decisions that depend on the business alone, a fresh budget for every slot, the same
/// errors in a run and in `explain`, and the benchmark's per-service reference loops.
@Suite struct GeneratedDriverTests {
    /// Every shipped rule over generated businesses of every kind, also with the subject type
    /// removed or unknown to every rule: one runtime takes them in order, another in reverse order,
    /// and each decision is also made again with tracing (`explain`). Missing fields, resumed
    /// conditions, amounts and `evaluate` reasons all occur among them.
    @Test func decisionsDependOnTheBusinessAloneNotOnItsNeighboursOrTracing() throws {
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let dir = try TemporaryDirectory()
        try SampleGenerator(schema: loaded.schema, seed: 11).writeCSV(count: 1200, to: dir.file("p.csv"))
        var stream = try ProfileStream(files: [dir.file("p.csv")], schema: loaded.schema)
        let subject = try #require(loaded.schema.index(of: Schema.subjectTypeField))
        var businesses: [Profile] = []
        while let record = try stream.next() {
            guard case .profile(let profile) = record else { continue }
            businesses.append(profile)
            if businesses.count % 10 == 0 {
                var none = profile, other = profile
                none.values[subject] = nil
                other.values[subject] = .string("unknown-kind")
                businesses += [none, other]
            }
        }
        let forward = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let backward = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let inOrder = businesses.map { forward.decisions(for: $0) }
        let reversed = Array(businesses.reversed().map { backward.decisions(for: $0) }.reversed())
        var outcomes: [Outcome: Int] = [:]
        var withMissing = 0, mismatches = 0
        var firstMismatch: String?
        for (k, profile) in businesses.enumerated() {
            let traced = forward.decisions(for: profile, trace: true).map(GeneratedDriverTests.withoutReads)
            for (j, d) in inOrder[k].enumerated() where d != reversed[k][j] || d != traced[j] {
                mismatches += 1
                if firstMismatch == nil { firstMismatch = "business \(k): \(d) / \(reversed[k][j]) / \(traced[j])" }
            }
            for d in inOrder[k] { outcomes[d.outcome, default: 0] += 1 }
            if inOrder[k].contains(where: { $0.conditions.contains { $0.state == .unknown } }) { withMissing += 1 }
        }
        #expect(mismatches == 0, "first: \(firstMismatch ?? "")")
        #expect(businesses.count > 1200)
        #expect(withMissing > 100)
        #expect(outcomes[.eligible, default: 0] > 100 && outcomes[.ineligible, default: 0] > 100 && outcomes[.undetermined, default: 0] > 100)
    }

    /// The host's pass for markers a rule swallowed (`RuleRuntime.evaluateSwallowingNoMarker`, run
    /// when more markers were raised than recorded) changes nothing when no marker was swallowed.
    /// Its first version took `has(p, x)` of a missing field for a swallowed read: the shipped
    /// rules' decisions changed whenever a lazily metered attempt was redone under load.
    @Test func thePassForSwallowedMarkersChangesNothingElse() throws {
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let dir = try TemporaryDirectory()
        try SampleGenerator(schema: loaded.schema, seed: 5).writeCSV(count: 400, to: dir.file("p.csv"))
        var stream = try ProfileStream(files: [dir.file("p.csv")], schema: loaded.schema)
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        var compared = 0
        while let record = try stream.next() {
            guard case .profile(let profile) = record else { continue }
            let results = runtime.evaluate(profile)
            let plain = results.indices.map { runtime.decision(for: results[$0], at: $0) }
            let passed = runtime.evaluateSwallowingNoMarker(profile)
            #expect(passed.indices.map { runtime.decision(for: passed[$0], at: $0) } == plain, "\(profile.line)")
            compared += 1
        }
        #expect(compared > 300)
    }

    static func withoutReads(_ d: Decision) -> Decision {
        var d = d
        d.fieldsRead = nil
        for k in d.conditions.indices { d.conditions[k].fieldsRead = nil }
        return d
    }

    /// SVC-01 burns `employees` loop iterations, then is eligible; `followers` more services have
    /// only a rule for individuals (no rule for an enterprise: code 5).
    private func burnRuntime(followers: Int) throws -> (RuleRuntime, Schema) {
        let ids = (1...(followers + 1)).map { String(format: "SVC-%02d", $0) }
        var files = ["burn.lua": """
            return { id = 'burn', service = 'SVC-01', evaluate = function(p)
              local x = 0
              for i = 1, p.employees do x = x + i end
              return eligible('done')
            end }
            """]
        for id in ids.dropFirst() {
            files["\(id).lua"] = "return { id = 'ind-\(id)', service = '\(id)', subjects = { 'individual' }, conditions = { { '总是', function() return true end } } }"
        }
        let fixture = try BundleFixture(services: ids, files: files)
        let loaded = try fixture.load()
        return (try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 20_000, hookStep: 1)), loaded.schema)
    }

    /// The smallest loop count for which SVC-01 ends in an error (binary search: monotonic).
    private func threshold(_ runtime: RuleRuntime, _ schema: Schema) -> Int {
        var lo = 0, hi = 20_000
        while lo < hi {
            let mid = (lo + hi) / 2
            let r = runtime.evaluate(BundleFixture.profile(schema, ["employees": .integer(Int64(mid))]))
            if r[0].code == 4 { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }

    /// Each slot starts with a fresh budget, including slots with no rule for the subject: how many
    /// of those follow SVC-01 must not change whether SVC-01's own rule fits in its budget.
    /// (Found in review: the generated driver first charged those slots to the rule before them.)
    @Test func slotsWithoutARuleForTheSubjectDoNotEatThePreviousSlotsBudget() throws {
        let (one, schema1) = try burnRuntime(followers: 1)
        let (many, schema2) = try burnRuntime(followers: 60)
        let t1 = threshold(one, schema1), tMany = threshold(many, schema2)
        #expect(t1 == tMany, "SVC-01 fails from \(t1) iterations with 1 follower, from \(tMany) with 60")
        #expect(t1 > 1000)
        let d = many.decisions(for: BundleFixture.profile(schema2, ["employees": .integer(Int64(t1 - 1))]))[0]
        #expect(d.outcome == .eligible, "\(d.outcome) \(d.errorMessage ?? "")")
    }

    /// `referenceLoop(slots: 0...0)` runs only the first service (the benchmark's per-service
    /// breakdown). (Found in review: the generated drivers ran every slot after it too.)
    @Test func referenceLoopRunsOnlyTheRequestedSlots() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02", "SVC-03"], files: [
            "a.lua": "return { id = 'a', service = 'SVC-01', evaluate = function() print('slot1'); return true end }",
            "b.lua": "return { id = 'b', service = 'SVC-02', evaluate = function() print('slot2'); return true end }",
            "c.lua": "return { id = 'c', service = 'SVC-03', evaluate = function() print('slot3'); return true end }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let profile = BundleFixture.profile(loaded.schema, [:])
        _ = runtime.takePrinted()
        #expect(try runtime.referenceLoop([profile], slots: 0...0).evaluations == 1)
        #expect(runtime.takePrinted() == ["slot1"])
        #expect(try runtime.referenceLoop([profile], slots: 1...1).evaluations == 1)
        #expect(runtime.takePrinted() == ["slot2"])
        #expect(try runtime.referenceLoop([profile]).evaluations == 3)
        #expect(runtime.takePrinted() == ["slot1", "slot2", "slot3"])
        // The full drivers are back for the next evaluation.
        _ = runtime.decisions(for: profile)
        #expect(runtime.takePrinted() == ["slot1", "slot2", "slot3"])
    }

    /// A loop that reads fields runs out of budget in a run and in `explain` (whose tracing
    /// `__index` spends budget too); both name the rule's line, and `explain --run` sees no
    /// difference even where the budget ran out on another line of the loop (found in review).
    @Test func budgetErrorsAgreeBetweenARunAndExplain() throws {
        let fixture = try BundleFixture(files: [
            "r.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '循环', function(p)\n local n = 0\n while p.employees ~= -1 do\n n = n + p.employees\n end\n end } } }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01", limits: LuaLimits(maxInstructions: 200_000))
        let p = BundleFixture.profile(loaded.schema, ["employees": .integer(3)])
        let run = try #require(runtime.decisions(for: p).first)
        let explained = try #require(runtime.decisions(for: p, trace: true).map(GeneratedDriverTests.withoutReads).first)
        for d in [run, explained] {
            #expect(d.outcome == .error)
            let message = d.errorMessage ?? ""
            #expect(message.contains("r.lua:3: instruction budget exceeded") || message.contains("r.lua:4: instruction budget exceeded"), "\(message)")
        }
        #expect(LogExplanation.differences(logged: run, now: explained) == [])
        let at3 = "rule 'r' (Rules/r.lua): Rules/r.lua:3: instruction budget exceeded: more than 200000 instructions"
        #expect(LogExplanation.comparable(at3) == LogExplanation.comparable(at3.replacingOccurrences(of: "r.lua:3:", with: "r.lua:4:")))
        #expect(LogExplanation.comparable(at3) == "rule 'r' (Rules/r.lua): instruction budget exceeded: more than 200000 instructions")
        #expect(LogExplanation.comparable("Rules/r.lua:3: boom") == "Rules/r.lua:3: boom")
        var other = explained
        other.errorMessage = run.errorMessage.map { $0.replacingOccurrences(of: "instruction budget", with: "memory") }
        #expect(LogExplanation.differences(logged: run, now: other) == ["错误信息 error differs"])
    }

    /// A rule error is recorded the same in a run and in `explain` (found in review: `explain` took
    /// another driver), so `huiqi explain --run` finds no difference. It compares the message.
    @Test func ruleErrorsAreTheSameInARunAndInExplain() throws {
        let fixture = try BundleFixture(services: ["SVC-01", "SVC-02", "SVC-03", "SVC-04", "SVC-05"], files: [
            "r.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '出错', function(p) return p.employees > nil end } } }",
            "s.lua": "return { id = 's', service = 'SVC-02', conditions = { { '出错', function(p) error('bad input', 2) end } } }",
            // Amount and score of an eligible decision: written out in the generated driver for a
            // conditions rule, through extras() for an evaluate rule.
            "a.lua": "return { id = 'a', service = 'SVC-03', conditions = { { '总是', function() return true end } },\n amount = function(p) error('金额出错') end }",
            "e.lua": "return { id = 'e', service = 'SVC-04', evaluate = function() return eligible('好') end,\n score = function(p) error('评分出错') end }",
            // A misspelt field: `explain` reads fields through its own tracing __index, so the
            // engine's frames in the traceback differ from a run's; the message does not.
            "u.lua": "return { id = 'u', service = 'SVC-05', conditions = { { '拼错', function(p) return p.employes > 1 end } } }",
        ])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let p = BundleFixture.profile(loaded.schema, ["employees": .integer(3)])
        let run = runtime.decisions(for: p)
        let explained = runtime.decisions(for: p, trace: true).map(GeneratedDriverTests.withoutReads)
        for j in 0..<4 {
            #expect(run[j].outcome == .error)
            #expect(LogExplanation.differences(logged: run[j], now: explained[j]) == [])
            #expect(run[j].errorMessage == explained[j].errorMessage)
            #expect(run[j].traceback == explained[j].traceback)
        }
        // Found in review: `huiqi explain --run` flagged every misspelt-field error as differing
        // from the log, because it compared the engine's frames of the traceback too.
        #expect(run[4].outcome == .error)
        #expect(run[4].errorMessage?.contains("u.lua:1: unknown profile field 'employes'") == true, "\(run[4].errorMessage ?? "")")
        #expect(run[4].errorMessage == explained[4].errorMessage)
        #expect(LogExplanation.differences(logged: run[4], now: explained[4]) == [])
        // An error in the amount comes after every condition: they keep their results.
        #expect(run[2].conditions.map(\.state) == [.passed])
        // The message and the traceback point at the rule's own line.
        #expect(run[2].errorMessage?.contains("a.lua:2: 金额出错") == true, "\(run[2].errorMessage ?? "")")
        #expect(run[2].traceback?.contains("a.lua:2:") == true, "\(run[2].traceback ?? "")")
        #expect(run[3].errorMessage?.contains("e.lua:2: 评分出错") == true, "\(run[3].errorMessage ?? "")")
        #expect(run[3].traceback?.contains("e.lua:2:") == true, "\(run[3].traceback ?? "")")
    }
}
