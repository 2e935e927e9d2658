import Foundation
import Huiqi
import TestSupport
import Testing

/// `huiqi run --shard K/N` (PRODUCT.md §9), through the real binary: the N shards of a run
/// together decide every row of the input exactly as one unsplit run does, each in one shard.
@Suite(.serialized) struct ShardRunCommandTests {
    private func huiqi(_ args: [String], in fixture: DecisionLogFixture) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: fixture.root)
    }

    /// The exported rows of run 1 of `db`, header dropped: decision id, row, code, outcome, reasons…
    private func exported(_ db: String, _ fixture: DecisionLogFixture) throws -> [String] {
        let out = "\(db).csv"
        let r = try huiqi(["log", "export", "1", "--db", db, "--out", out], in: fixture)
        #expect(r.status == 0, "\(r.stderr)")
        return try CSVTable(contentsOf: fixture.path(out)).rows.map { $0.joined(separator: "\u{1F}") }
    }

    @Test func threeShardsDecideWhatOneRunDecides() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles("p.csv", rows: 400, rejectEvery: 13)
        let whole = try huiqi(["run", "p.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "whole.db"], in: fixture)
        #expect(whole.status == 1, "\(whole.stderr)")  // it has rejects
        var evaluated = 0, rejected = 0
        var rows: [String] = []
        for k in 1...3 {
            let r = try huiqi(["run", "p.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--shard", "\(k)/3", "--db", "s\(k).db"],
                              in: fixture)
            #expect(r.status == 0 || r.status == 1, "\(r.stderr)")
            let line = try #require(r.stdout.split(separator: "\n").first { $0.hasPrefix("读取 read:") })
            // 读取 read: 400   分片 shard 2/3: 评估 evaluated: E   拒收 rejected: R   其他分片 other shards: O
            let numbers = line.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
            #expect(numbers.count == 6 && numbers[0] == 400 && numbers[1] == k && numbers[2] == 3, "\(line)")
            #expect(numbers[3] + numbers[4] + numbers[5] == 400, "\(line)")
            #expect(numbers[3] > 0, "\(line)")
            // The step after the last shard.
            #expect(r.stdout.contains("huiqi log merge SHARD1.db … SHARD3.db --db MERGED.db (本分片日志 this shard's log: s\(k).db)"), "\(r.stdout)")
            evaluated += numbers[3]
            rejected += numbers[4]
            rows += try exported("s\(k).db", fixture)
        }
        #expect(whole.stdout.contains("读取 read: 400   评估 evaluated: \(evaluated)   拒收 rejected: \(rejected)"), "\(whole.stdout)")
        #expect(rejected > 0)
        // The same decisions, ids included (run 1 of each log, rows numbered over the whole input).
        let all = try exported("whole.db", fixture)
        #expect(rows.sorted() == all.sorted())
        #expect(rows.count == all.count && Set(rows).count == rows.count)
        // The rejects too, each in one shard.
        var rejects: [String] = []
        for k in 1...3 {
            let r = try huiqi(["log", "rejects", "1", "--db", "s\(k).db", "--out", "r\(k).csv"], in: fixture)
            #expect(r.status == 0, "\(r.stderr)")
            rejects += try CSVTable(contentsOf: fixture.path("r\(k).csv")).rows.map { $0.joined(separator: "\u{1F}") }
        }
        let r = try huiqi(["log", "rejects", "1", "--db", "whole.db", "--out", "r.csv"], in: fixture)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(rejects.sorted() == (try CSVTable(contentsOf: fixture.path("r.csv")).rows.map { $0.joined(separator: "\u{1F}") }.sorted()))
    }

    @Test func aBadShardIsAUsageError() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles("p.csv", rows: 10)
        for bad in ["0/3", "4/3", "3", "1/2000", "a/b"] {
            let r = try huiqi(["run", "p.csv", "--rules", "Rules", "--shard", bad], in: fixture)
            #expect(r.status == 64 || r.status == 2, "\(bad): \(r.status)")
            #expect(r.stderr.contains("--shard must be K/N"), "\(bad): \(r.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.path("huiqi.db")))
        let resume = try huiqi(["run", "--resume", "1", "--shard", "1/2"], in: fixture)
        #expect(resume.status != 0 && resume.stderr.contains("--shard"), "\(resume.stderr)")
    }
}
