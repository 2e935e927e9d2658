import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// `lists` reads a run's decisions as `SelectedDecision`s (`DecisionStore.forEachSelected`) instead
/// of building a `LoggedDecision` for each: what it reads must be what that decision says.
@Suite struct SelectedDecisionTests {
    /// Two runs of the same log with reviews of both (confirmed, rejected eligible, rejected pending,
    /// carried over from the first run or not): every field the lists read, under the lists' filter
    /// and others, equals the `LoggedDecision` `forEachDecision` gives for the same decision.
    @Test func selectedDecisionsSayWhatTheirLoggedDecisionsSay() throws {
        let f = try LoggedFixtureRun(rows: 150, rejectEvery: 41)
        let (first, _) = try f.run()
        let before = try f.store.decisions(run: first.runID)
        let eligible = before.filter { $0.decision.outcome == .eligible }, pending = before.filter { $0.decision.outcome == .undetermined }
        #expect(eligible.count >= 4 && pending.count >= 3)
        let at = "2025-06-03T09:00:00Z"
        // Made in the first run, carried over to the second.
        _ = try f.store.addReview(decision: eligible[0].id, verdict: .reject, reviewer: "李四", note: nil, at: at)
        _ = try f.store.addReview(decision: eligible[1].id, verdict: .confirm, reviewer: "张三<组长>&\"审核\"", note: nil, at: at)
        _ = try f.store.addReview(decision: pending[0].id, verdict: .reject, reviewer: "王五", note: "x", at: at)
        let (second, _) = try f.run()
        let after = try f.store.decisions(run: second.runID)
        let eligible2 = after.filter { $0.decision.outcome == .eligible }, pending2 = after.filter { $0.decision.outcome == .undetermined }
        // The second run's own: one overturns a carried-over reject.
        _ = try f.store.addReview(decision: eligible2[0].id, verdict: .confirm, reviewer: "赵六", note: nil, at: at)
        _ = try f.store.addReview(decision: eligible2[2].id, verdict: .reject, reviewer: "钱七", note: nil, at: at)
        _ = try f.store.addReview(decision: pending2[1].id, verdict: .reject, reviewer: "钱七", note: nil, at: at)

        var lists = DecisionFilter()
        lists.anyOfOutcomes = [.eligible, .undetermined]
        var reviewed = 0
        for run in [first.runID, second.runID] {
            for filter in [lists, DecisionFilter.all, DecisionFilter(outcome: .eligible, unreviewed: true), DecisionFilter(street: "新安"),
                           DecisionFilter(limit: 9)] {
                var logged: [LoggedDecision] = []
                try f.store.forEachDecision(run: run, filter: filter) { logged.append($0) }
                var k = 0
                try f.store.forEachSelected(run: run, filter: filter) { s in
                    defer { k += 1 }
                    guard k < logged.count else { return }
                    let d = logged[k]
                    #expect(s.id == d.id)
                    #expect(s.outcome == d.decision.outcome)
                    #expect(s.entry.amount == d.decision.amount && s.entry.score == d.decision.score, "\(d.id)")
                    let reasons = try s.reasons()
                    #expect(reasons == d.decision.reasons, "\(d.id)")
                    #expect(s.service.id == d.decision.serviceID && s.service.name == d.record.serviceName)
                    #expect(s.business.name == d.record.name && s.business.creditCode == d.record.creditCode && s.business.street == d.record.street)
                    #expect(s.review == d.review && s.isReviewed == d.isReviewed, "\(d.id)")
                    if s.isReviewed { reviewed += 1 }
                }
                #expect(k == logged.count, "\(run) \(filter)")
            }
        }
        #expect(reviewed > 0)
    }
}
