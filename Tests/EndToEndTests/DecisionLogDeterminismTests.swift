import Foundation
import Huiqi
import TestSupport
import Testing

/// PRODUCT.md §7 "Deterministic": the same profiles, bundle and as-of date give identical
/// decisions in any `--jobs`; exports compared byte for byte apart from run id and timestamps.
@Suite(.serialized) struct DecisionLogDeterminismTests {
    /// Columns that name the run or a time, and so differ between equal runs.
    static let runSpecific: Set<String> = ["决定编号", "运行编号", "审核时间", "审核所在运行"]

    @Test func twoRunsAndAnyJobsExportTheSameDecisions() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles("a.csv", rows: 3000, seed: 5, rejectEvery: 211)
        try fixture.writeProfiles("b.csv", rows: 700, seed: 6)
        // b.csv repeats a.csv's codes: its rows are rejected as duplicates, in a stable order.
        for jobs in ["2", "2", "1"] {
            let r = try HuiqiBinary.run(["run", "a.csv", "b.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--jobs", jobs], cwd: fixture.root)
            #expect(r.status == 1, "\(r.stderr)")
        }
        var exports: [Data] = []
        for run in 1...3 {
            let name = "run\(run).csv"
            let r = try HuiqiBinary.run(["log", "export", String(run), "--out", name], cwd: fixture.root)
            #expect(r.status == 0, "\(r.stderr)")
            let table = try CSVTable(contentsOf: fixture.path(name))
            #expect(table.column("运行编号").allSatisfy { $0 == String(run) })
            let stable = table.dropping(Self.runSpecific)
            exports.append(Data((stable.header + stable.rows.flatMap { $0 }).joined(separator: "\u{1F}").utf8))
        }
        #expect(exports[0] == exports[1])
        #expect(exports[0] == exports[2])
        // The ids differ only in their run part.
        let one = try CSVTable(contentsOf: fixture.path("run1.csv")).column("决定编号")
        let three = try CSVTable(contentsOf: fixture.path("run3.csv")).column("决定编号")
        // a.csv loses every 211th row (bad check digit); b.csv repeats a.csv's codes, so only the three
        // codes a.csv rejected are new there.
        #expect(one.count == (3000 - 3000 / 211 + 3) * 3)
        #expect(zip(one, three).allSatisfy { (Int64($1) ?? 0) - (Int64($0) ?? 0) == 2 * 1_000_000_000_000 })
    }
}
