import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// `log export` writes a CSV row from parts encoded once (`LogExporter.write(_: SelectedDecision)`);
/// the bytes must be those of the decision built and encoded cell by cell.
@Suite struct LogExportFastPathTests {
    /// A run with errors, reviews (this run's, one that no longer applies) and names that need
    /// quoting or defusing: the store's export and the decision-by-decision one give the same file.
    @Test func exportGivesTheBytesOfTheDecisionByDecisionPath() throws {
        let f = try LoggedFixtureRun(rows: 150, rejectEvery: 41)
        let (logged, _) = try f.run()
        let all = try f.store.decisions(run: logged.runID)
        let eligible = try #require(all.first { $0.decision.outcome == .eligible })
        let other = try #require(all.first { $0.decision.outcome == .ineligible })
        _ = try f.store.addReview(decision: eligible.id, verdict: .confirm, reviewer: "张三", note: "=走访, \"核实\"", at: "2025-06-03T09:00:00Z")
        _ = try f.store.addReview(decision: other.id, verdict: .reject, reviewer: "李四", note: nil, at: "2025-06-03T10:00:00Z")
        #expect(all.contains { $0.decision.outcome == .error })
        let run = try #require(try f.store.run(logged.runID))
        let filters = [DecisionFilter.all, DecisionFilter(outcome: .eligible), DecisionFilter(serviceID: "SVC-02", unreviewed: true),
                       DecisionFilter(limit: 7)]
        for (ext, filter) in ["csv", "jsonl"].flatMap({ ext in filters.map { (ext, $0) } }) {
            let slow = f.fixture.path("slow.\(ext)"), fast = f.fixture.path("fast.\(ext)")
            let a = try LogExporter(path: slow, run: run)
            try f.store.forEachDecision(run: logged.runID, filter: filter) { try a.write($0) }
            try a.close()
            let b = try LogExporter(path: fast, run: run)
            var before = 0
            try f.store.export(run: logged.runID, filter: filter, to: b) { before += 1 }
            try b.close()
            #expect(b.count == a.count && before == a.count)
            #expect(try Data(contentsOf: URL(fileURLWithPath: fast)) == Data(contentsOf: URL(fileURLWithPath: slow)), "\(ext) \(filter)")
        }
    }

    /// The id and number cells written as digits are what the cells would encode to.
    @Test func digitsWrittenDirectlyMatchTheCells() throws {
        for id in [DecisionID(run: 1, row: 1, slot: 0), DecisionID(run: 3, row: 1_205, slot: 7), DecisionID(run: 12, row: 999_999_999, slot: 999)] {
            var bytes: [UInt8] = []
            LogExporter.appendIDCells(id, to: &bytes)
            #expect(bytes == CSVWriter.encodedCells(LogExporter.idCells(id)[...]))
        }
        // The id's cell alone (lists.csv), short ids and 0 too, which are written otherwise.
        for id in [DecisionID(run: 1, row: 1, slot: 0), DecisionID(run: 0, row: 5, slot: 1), DecisionID(run: 0, row: 0, slot: 7),
                   DecisionID(run: 0, row: 0, slot: 0), DecisionID(run: 0, row: 999_999_999, slot: 999), DecisionID(run: 12, row: 3, slot: 2)] {
            var bytes: [UInt8] = []
            LogExporter.appendIDCell(id, to: &bytes)
            #expect(bytes == CSVWriter.encodedCells([.identifier(id.description)][...]), "\(id.rawValue)")
        }
        let amounts: [Double?] = [nil, 0, -0.0, 0.004, -0.004, -0.005, 0.1, 12.345, 12.355, 99.999, -42795.45, 1e16, 8.99e16, 9e16, 1e300, -1e300,
                                  .nan, .infinity, -.infinity]
        let scores: [Double?] = [nil, 0, -0.0, 1, -3, 2.5, -0.25, 1e14, 1e15, 1e20, .nan, .infinity]
        for amount in amounts {
            for score in scores {
                var bytes: [UInt8] = []
                LogExporter.appendNumberCells(amount: amount, score: score, to: &bytes)
                #expect(bytes == CSVWriter.encodedCells(LogExporter.numberCells(amount: amount, score: score)[...]), "\(String(describing: amount)) \(String(describing: score))")
            }
        }
    }
}
