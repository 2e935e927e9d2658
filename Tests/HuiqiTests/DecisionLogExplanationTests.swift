import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct DecisionLogExplanationTests {
    @Test func reEvaluatesWhenInputAndRulesAreUnchangedAndComparesWithTheLog() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let (logged, _) = try f.run()
        let code = ProfileCSVGenerator.creditCode(3)
        let target = try #require(try f.store.decisions(run: logged.runID, filter: DecisionFilter(creditCode: code)).first)
        _ = try f.store.addReview(decision: target.id, verdict: .confirm, reviewer: "张三", note: "核实", at: "2025-06-02T08:00:00Z")
        guard case .explained(let text) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: code) else {
            Issue.record("not explained")
            return
        }
        #expect(text.contains("深圳市宝安区远航科技有限公司3 (\(code))"))
        #expect(text.contains("读取: employees="))                     // field values: re-evaluated
        #expect(text.contains("运行 run: \(logged.runID)"))
        #expect(text.contains(f.loaded.bundle.sha256))                  // full rules hash
        #expect(text.contains("\(f.profiles):4"))                      // input file and line
        #expect(text.contains("决定编号 decision \(target.id)"))
        #expect(text.components(separatedBy: "与重新评估一致").count - 1 == 3)
        #expect(text.contains("审核 review: 已确认 张三"))
    }

    /// Reviewer review: `log show` called a later run's 不符合 decision unreviewed (the earlier
    /// review was of 符合), while `explain` printed "已确认 张三" under it as if it applied.
    @Test func anEarlierRunsReviewOfAnotherOutcomeIsMarkedNotApplicable() throws {
        let f = try LoggedFixtureRun(rows: 60, rejectEvery: nil)
        let (first, _) = try f.run(asOf: "2025-06-01")
        let (second, _) = try f.run(asOf: "2017-01-01")
        // A decision whose outcome the as-of date changes ("成立满一年").
        let now = try f.store.decisions(run: second.runID)
        let then = Dictionary(try f.store.decisions(run: first.runID).map { ("\($0.id.row)-\($0.id.slot)", $0) }, uniquingKeysWith: { a, _ in a })
        let changed = try #require(now.first { d in
            then["\(d.id.row)-\(d.id.slot)"].map { $0.decision.outcome != d.decision.outcome } ?? false
        })
        let old = try #require(then["\(changed.id.row)-\(changed.id.slot)"])
        _ = try f.store.addReview(decision: old.id, verdict: .confirm, reviewer: "张三", note: "核实", at: "2025-06-02T08:00:00Z")
        // Viewed from the second run, whose decision differs.
        guard case .explained(let text) = try LogExplanation.explain(store: f.store, run: second.runID, creditCode: changed.record.creditCode,
                                                                     serviceID: changed.decision.serviceID) else {
            Issue.record("not explained")
            return
        }
        #expect(text.contains("审核 review: 已确认 张三"))
        #expect(text.contains("⚠ 不适用: 运行\(first.runID)审核时为\(old.decision.outcome.label)"))
        #expect(try f.store.decision(changed.id)?.reviewText.hasPrefix("未审核") == true)
    }

    @Test func rendersFromTheLogWhenTheInputChanged() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let (logged, _) = try f.run()
        try ProfileCSVGenerator.write(rows: 30, to: URL(fileURLWithPath: f.profiles), seed: 9)
        let code = ProfileCSVGenerator.creditCode(7)
        guard case .explained(let text) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: code, serviceID: "SVC-01") else {
            Issue.record("not explained")
            return
        }
        #expect(text.contains("字段值不可用") && text.contains("已修改"))
        #expect(!text.contains("读取:"))
        #expect(text.contains("[SVC-01]") && !text.contains("[SVC-02]"))
        // Row 7 lacks 从业人数: the first condition is unknown, naming the field.
        #expect(text.contains("? 小微企业(从业人数少于100人)    缺少: employees"))
        #expect(text.contains("决定编号 decision: \(DecisionID(run: logged.runID, row: 7, slot: 0))"))
    }

    @Test func rendersFromTheLogWhenTheRulesChanged() throws {
        let f = try LoggedFixtureRun(rows: 10, rejectEvery: nil)
        let (logged, _) = try f.run()
        try f.fixture.bundle.write("Rules/growth/revenue.lua", DecisionLogFixture.rules["growth/revenue.lua", default: ""] + "\n")
        guard case .explained(let text) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: ProfileCSVGenerator.creditCode(1)) else {
            Issue.record("not explained")
            return
        }
        #expect(text.contains("规则包") && text.contains("已修改") && text.contains("字段值不可用"))
    }

    @Test func saysWhenTheBusinessWasRejectedOrIsNotInTheRun() throws {
        let f = try LoggedFixtureRun(rows: 40, rejectEvery: 20)
        let (logged, _) = try f.run()
        var bad = ProfileCSVGenerator.creditCode(20, individual: ProfileCSVGenerator.isIndividual(20))
        let last = bad.removeLast()
        bad.append(last == "0" ? "1" : "0")
        guard case .rejected(let text) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: bad) else {
            Issue.record("not reported as rejected")
            return
        }
        #expect(text.contains("\(f.profiles):21") && text.contains("校验位"))
        guard case .notFound = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: ProfileCSVGenerator.creditCode(999)) else {
            Issue.record("not reported as missing")
            return
        }
        #expect(throws: Diagnostic.self) { try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: bad, serviceID: "NOPE") }
    }

    /// As `explain --profiles` shows them: a reason holding a line break (an `evaluate` rule's own
    /// text) stays on its line in the view from the log, where it could start a line that reads
    /// like the tool's own (a forged review line).
    @Test func reasonsShownFromTheLogStayOnTheirLine() throws {
        let fixture = try DecisionLogFixture()
        let (store, run, sink, profile) = try fixture.handMadeRun(database: "reasons.db")
        let code = ProfileFixtures.creditCode(1)
        let record = DecisionLogFixture.handMadeRecord(code: code, reasons: ["租金过高\n  审核 review: 已确认 张三"])
        try sink.consume(EvaluatedProfile(profile: profile, records: [record]), row: 1)
        try sink.commit(rowsRead: 1)
        try store.finishRun(run, read: 1, evaluated: 1, rejected: 0, inputs: [], endedAt: "2025-06-01T00:02:00Z")
        guard case .explained(let text) = try LogExplanation.explain(store: store, run: run, creditCode: code) else {
            Issue.record("not explained")
            return
        }
        #expect(text.contains("字段值不可用"))  // the input is gone: from the log
        #expect(text.contains("理由: 租金过高"))
        #expect(!text.contains("\n  审核 review"), "\(text)")
    }

    /// As `explain --profiles` finds it: a row rejected because its code cell carried other marks
    /// besides the code (a note after it) was "not in run" for `explain --run`.
    @Test func aRejectedRowWhoseCodeCellCarriedOtherMarksIsFound() throws {
        let f = try LoggedFixtureRun(rows: 10, rejectEvery: nil)
        let code = ProfileCSVGenerator.creditCode(5)
        let text = try String(contentsOfFile: f.profiles, encoding: .utf8)
        try text.replacingOccurrences(of: code + ",", with: code + " 已注销,").write(toFile: f.profiles, atomically: true, encoding: .utf8)
        let (logged, _) = try f.run()
        guard case .rejected(let shown) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: code) else {
            Issue.record("not reported as rejected")
            return
        }
        #expect(shown.contains("\(f.profiles):6"))
    }
}
