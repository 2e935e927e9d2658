import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct DecisionLogExportTests {
    @Test func csvOpensInExcelWithChineseHeadersAndOneRowPerDecision() throws {
        let f = try LoggedFixtureRun(rows: 60)
        let (logged, summary) = try f.run()
        let run = try #require(try f.store.run(logged.runID))
        let path = f.fixture.path("export.csv")
        let exporter = try LogExporter(path: path, run: run)
        try f.store.forEachDecision(run: logged.runID, filter: .all) { try exporter.write($0) }
        try exporter.close()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = String(decoding: bytes.dropFirst(3), as: UTF8.self)
        let lines = text.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == LogExporter.csvHeaders.joined(separator: ","))
        #expect(lines.count == summary.evaluated * 3 + 1)
        #expect(exporter.count == summary.evaluated * 3)
        let first = try #require(try f.store.decisions(run: logged.runID).first)
        // The 13-digit id is kept exact in Excel as ="…"; the credit code has letters and is plain.
        #expect(lines[1].hasPrefix("\"=\"\"\(first.id)\"\"\",\(logged.runID),\(run.provenance.asOf),1,\(first.record.creditCode),\(first.record.name),"))
        #expect(text.contains("未审核"))
    }

    /// Yearly-update review: last year's export and this year's, side by side in Excel, said which
    /// run each row came from and nothing of the date it was decided on: 符合 as of when? Every
    /// row carries the run's as-of date (判定日期 after 运行编号; "as_of" in JSON Lines), on the rows
    /// put together from parts and on reviewed ones alike.
    @Test func everyExportedRowCarriesTheRunsAsOfDate() throws {
        let f = try LoggedFixtureRun(rows: 20, rejectEvery: nil)
        let (logged, _) = try f.run()
        let reviewed = try #require(try f.store.decisions(run: logged.runID).first)
        _ = try f.store.addReview(decision: reviewed.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-03T09:00:00Z")
        let run = try #require(try f.store.run(logged.runID))
        let asOf = run.provenance.asOf
        #expect(LogExporter.csvHeaders.prefix(4) == ["决定编号", "运行编号", "判定日期", "数据行序号"])
        let csvPath = f.fixture.path("asof.csv"), jsonPath = f.fixture.path("asof.jsonl")
        for path in [csvPath, jsonPath] {
            let exporter = try LogExporter(path: path, run: run)
            try f.store.forEachDecision(run: logged.runID, filter: .all) { try exporter.write($0) }
            try exporter.close()
        }
        let table = try CSVTable(contentsOf: csvPath)
        #expect(table.rows.count == 60 && table.column("判定日期").allSatisfy { $0 == asOf }, "\(table.column("判定日期").prefix(3))")
        let objects = try String(contentsOfFile: jsonPath, encoding: .utf8).split(separator: "\n").map {
            try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
        #expect(objects.count == 60 && objects.allSatisfy { $0["as_of"] as? String == asOf })
    }

    @Test func jsonLinesCarryConditionsAndTheReview() throws {
        let f = try LoggedFixtureRun(rows: 20, rejectEvery: nil)
        let (logged, _) = try f.run()
        let target = try #require(try f.store.decisions(run: logged.runID, filter: DecisionFilter(serviceID: "SVC-01")).first)
        _ = try f.store.addReview(decision: target.id, verdict: .reject, reviewer: "王五", note: "租赁合同已到期", at: "2025-06-03T09:00:00Z")
        let run = try #require(try f.store.run(logged.runID))
        let path = f.fixture.path("export.jsonl")
        let exporter = try LogExporter(path: path, run: run)
        try f.store.forEachDecision(run: logged.runID, filter: DecisionFilter(creditCode: target.record.creditCode)) { try exporter.write($0) }
        try exporter.close()
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["decision_id"] as? Int64 == target.id.rawValue || object["decision_id"] as? Int == Int(target.id.rawValue))
        #expect(object["service_id"] as? String == "SVC-01")
        #expect(object["outcome"] as? String == target.decision.outcome.rawValue)
        let conditions = try #require(object["conditions"] as? [[String: Any]])
        #expect(conditions.map { $0["label"] as? String } == target.decision.conditions.map(\.label))
        let review = try #require(object["review"] as? [String: Any])
        #expect(review["verdict"] as? String == "reject" && review["reviewer"] as? String == "王五")
        #expect(review["note"] as? String == "租赁合同已到期")
        #expect(review["applies"] as? Bool == true)
        // The amount reviewed, so an export shows why a review no longer applies (review).
        #expect((review["amount_reviewed"] as? NSNumber)?.doubleValue == target.decision.amount
                || (review["amount_reviewed"] is NSNull && target.decision.amount == nil), "\(review)")
    }

    /// Reviewer review: the export marked the condition that raised a rule error `·` (CSV) and
    /// "skipped" (JSON), like one never run; `explain` marks it `!`.
    @Test func theConditionThatRaisedAnErrorIsMarkedAsInExplain() throws {
        let f = try LoggedFixtureRun(rows: 120, rejectEvery: nil)
        let (logged, _) = try f.run()
        let run = try #require(try f.store.run(logged.runID))
        let failed = try f.store.decisions(run: logged.runID, filter: DecisionFilter(outcome: .error))
        let target = try #require(failed.first { $0.decision.serviceID == "SVC-03" })
        for name in ["errors.csv", "errors.jsonl"] {
            let exporter = try LogExporter(path: f.fixture.path(name), run: run)
            try exporter.write(target)
            try exporter.close()
        }
        let csv = try String(contentsOfFile: f.fixture.path("errors.csv"), encoding: .utf8)
        #expect(csv.contains("! 行业代码有效; · 成立满一年"))
        let line = try String(contentsOfFile: f.fixture.path("errors.jsonl"), encoding: .utf8)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        let results = try #require(object["conditions"] as? [[String: Any]]).map { $0["result"] as? String }
        #expect(results == ["error", "skipped"])
        // `run --out` writes the same marks.
        let out = f.fixture.path("decisions.csv")
        let writer = try DecisionFileWriter(path: out)
        try writer.write(target.record)
        try writer.close()
        #expect(try String(contentsOfFile: out, encoding: .utf8).contains("! 行业代码有效; · 成立满一年"))
        #expect(String(decoding: DecisionFileWriter.jsonLine(target.record), as: UTF8.self).contains(#""result":"error""#))
    }

    @Test func refusesAnUnknownExtension() throws {
        let f = try LoggedFixtureRun(rows: 5, rejectEvery: nil)
        let (logged, _) = try f.run()
        let run = try #require(try f.store.run(logged.runID))
        #expect(throws: Diagnostic.self) { try LogExporter(path: f.fixture.path("x.xlsx"), run: run) }
    }

    @Test func listingsShowIDsOutcomesAndReviewStatus() throws {
        let f = try LoggedFixtureRun(rows: 10, rejectEvery: nil)
        let (logged, _) = try f.run()
        let decisions = try f.store.decisions(run: logged.runID, filter: DecisionFilter(limit: 4))
        let table = LogListing.decisionsTable(decisions)
        for d in decisions { #expect(table.contains(d.id.description)) }
        #expect(table.contains("未审核") && table.contains(decisions[0].decision.outcome.label))
        let runs = LogListing.runsTable(try f.store.runs())
        #expect(runs.contains("completed 已完成") && runs.contains(String(f.loaded.bundle.sha256.prefix(12))))
    }
}
