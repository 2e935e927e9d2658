import Foundation
import TestSupport
import Testing

/// A rule that fills its memory cap with blocks of one size, then of another, must not leave the
/// process holding a cap's worth per size: the Lua states' small-block pool once kept every size
/// class's blocks until the state closed, and `huiqi run`'s peak memory grew by ~390 MiB under a
/// 64 MiB cap (found in review). Measured in a child process, so other tests cannot skew it.
@Suite struct MemoryBoundTests {
    @Test func aRuleCyclingThroughBlockSizesStaysNearItsCap() throws {
        let fixture = try BundleFixture(files: ["hog.lua": """
            local n = 0
            return { id = 'hog', service = 'SVC-01', evaluate = function(p, ctx)
              n = n + 1
              local c = 5 + n % 28                        -- blocks of 16*c bytes: a string's header 24 + len + 1
              local pad = string.rep("x", 16 * c - 25 - 7)
              local t = {}
              for i = 1, (40 * 1024 * 1024) // (16 * c + 16) do t[i] = pad .. (1000000 + i) end
              return eligible("built " .. #t)
            end }
            """])
        try ProfileCSVGenerator.write(rows: 28, to: fixture.root.appendingPathComponent("p.csv"))
        let (output, maxRSSKiB) = try HuiqiBinary.runMeasuringMemory(
            ["run", "p.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--jobs", "1", "--out", "d.jsonl"], cwd: fixture.root)
        #expect(output.status == 0, "\(output.stderr)")
        let decisions = try String(contentsOf: fixture.root.appendingPathComponent("d.jsonl"), encoding: .utf8)
        #expect(decisions.split(separator: "\n").count == 28)
        #expect(!decisions.contains("\"error\""), "every business fits in the 64 MiB cap")
        // The cap's worth at once, plus the process (~40 MiB): about 110 MiB; without the bound, 450.
        #expect(maxRSSKiB < 200 * 1024, "peak RSS \(maxRSSKiB >> 10) MiB")
    }

    /// Crash-safety review: `log show RUN --limit 0` (a table of every decision) built the whole
    /// table in memory: 2.3 GB for 50k businesses, ~47 GB at a district's million. It prints a
    /// page at a time. 3,000 businesses: about 180 MiB before, about 35 after.
    @Test func aTableOfEveryDecisionIsPrintedInBoundedMemory() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-show-all")
        let profiles = dir.file("p.csv").path, db = dir.file("h.db").path
        let root = HuiqiBinary.packageRoot
        #expect(try HuiqiBinary.run(["sample", "--count", "3000", "--seed", "4", "--out", profiles], cwd: root).status == 0)
        let run = try HuiqiBinary.run(["run", profiles, "--as-of", "2025-06-01", "--db", db], cwd: root)
        #expect(run.status == 0, "\(run.stderr)")
        let (output, maxRSSKiB) = try HuiqiBinary.runMeasuringMemory(["log", "show", "1", "--limit", "0", "--db", db], cwd: root)
        #expect(output.status == 0, "\(output.stderr)")
        let all = try HuiqiBinary.run(["log", "show", "1", "--limit", "0", "--format", "jsonl", "--db", db], cwd: root)
        let expected = all.stdout.split(separator: "\n").count
        #expect(expected > 2000 * 24)
        #expect(output.stdout.components(separatedBy: "\n").filter { $0.prefix(13).allSatisfy(\.isNumber) && $0.count > 13 }.count == expected)
        #expect(maxRSSKiB < 100 * 1024, "peak RSS \(maxRSSKiB >> 10) MiB")
    }
}
