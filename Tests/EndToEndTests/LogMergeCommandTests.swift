import Foundation
import GRDB
import Huiqi
import TestSupport
import Testing

/// `huiqi log merge`: a run split across machines (`huiqi run --shard K/N`, PRODUCT.md §9) and
/// merged reads, through every command, as the unsplit run of the same input into a fresh log.
@Suite struct LogMergeCommandTests {
    private let tempDirectory: TemporaryDirectory
    private var temp: URL { tempDirectory.url }

    init() throws {
        tempDirectory = try TemporaryDirectory(prefix: "huiqi-merge")
        try FileManager.default.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Rules"))
    }

    @discardableResult
    private func huiqi(_ args: [String], expect status: Int32? = 0) throws -> HuiqiBinary.Output {
        let r = try HuiqiBinary.run(args, cwd: temp)
        if let status { #expect(r.status == status, "huiqi \(args.joined(separator: " ")): \(r.stdout)\(r.stderr)") }
        return r
    }

    private func bytes(_ name: String) throws -> Data { try Data(contentsOf: temp.appendingPathComponent(name)) }

    /// Every file under `directory`, by relative path, with its bytes.
    private func files(_ directory: String) throws -> [String: Data] {
        let root = temp.appendingPathComponent(directory)
        var out: [String: Data] = [:]
        for name in try FileManager.default.subpathsOfDirectory(atPath: root.path) {
            let url = root.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = try Data(contentsOf: url)
            }
        }
        return out
    }

    /// Runs `inputs` unsplit into a.db and as three shards merged into b.db, then compares what
    /// every read command gives of run 1 in each.
    private func splitAndCompare(_ inputs: [String]) throws {
        let asOf = ["--as-of", "2025-06-01"]
        try huiqi(["run"] + inputs + asOf + ["--db", "a.db"], expect: nil)
        for k in 1...3 { try huiqi(["run"] + inputs + asOf + ["--shard", "\(k)/3", "--db", "s\(k).db"], expect: nil) }
        let merge = try huiqi(["log", "merge", "s1.db", "s2.db", "s3.db", "--db", "b.db"])
        #expect(merge.stdout.contains("合并 merged 3 shards"), "\(merge.stdout)")
        #expect(merge.stdout.contains("决策日志 log: b.db (run 1; huiqi log show 1 --db b.db)"), "\(merge.stdout)")
        // The merged run's rejects are pointed to, as `run` names its rejects file (operator review).
        let rejected = !merge.stdout.contains("evaluated / 0 rejected")
        #expect(merge.stdout.contains("huiqi log rejects 1 --db b.db --out FILE.csv") == rejected, "\(merge.stdout)")

        for db in ["a", "b"] {
            try huiqi(["log", "export", "1", "--out", "\(db).csv", "--db", "\(db).db"])
            try huiqi(["log", "export", "1", "--out", "\(db).jsonl", "--db", "\(db).db"])
            try huiqi(["log", "rejects", "1", "--out", "\(db)-rejects.csv", "--db", "\(db).db"])
            try huiqi(["lists", "1", "--out", "lists-\(db)", "--db", "\(db).db"])
        }
        #expect(try bytes("a.csv") == bytes("b.csv"))
        #expect(try bytes("a.jsonl") == bytes("b.jsonl"))
        #expect(try bytes("a-rejects.csv") == bytes("b-rejects.csv"))
        // The pages name their own log in the command that lists the rejects: the one thing that differs.
        let lists = try files("lists-a")
        let mergedLists = try files("lists-b").mapValues {
            Data(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "huiqi log rejects 1 --db b.db", with: "huiqi log rejects 1 --db a.db").utf8)
        }
        #expect(!lists.isEmpty && lists == mergedLists)

        let show = try ["a", "b"].map { try huiqi(["log", "show", "1", "--limit", "0", "--db", "\($0).db"]).stdout }
        #expect(show[0] == show[1])
        let csv = try CSVTable(contentsOf: temp.appendingPathComponent("a.csv").path)
        let codeColumn = try #require(csv.header.firstIndex(of: "统一社会信用代码"))
        let codes = Set(csv.rows.map { $0[codeColumn] })
        #expect(codes.count > 1)
        for code in codes.sorted().prefix(3) {
            // All but the run's start time (provenance: the merged run started when its first shard did).
            let explained = try ["a", "b"].map {
                try huiqi(["explain", code, "--run", "1", "--db", "\($0).db"]).stdout.split(separator: "\n").filter { !$0.contains("开始 started:") }
            }
            #expect(explained[0].count > 10 && explained[0] == explained[1], "\(code)")
            #expect(explained[0].first?.contains(code) == true)
        }

        // The runs' counts, per input too, as `log runs` shows them.
        let cards = try ["a", "b"].map { try huiqi(["log", "runs", "1", "--db", "\($0).db"]).stdout }
        func counts(_ card: String) -> [Substring] {
            card.split(separator: "\n").filter { $0.hasPrefix("读取/评估/拒收") || $0.contains(" rows, ") }
        }
        #expect(!counts(cards[0]).isEmpty && counts(cards[0]) == counts(cards[1]))
        #expect(cards[1].contains("合并自 merged from") && cards[1].contains("分片 shard 2/3: \(temp.appendingPathComponent("s2.db").path) run 1"))
        #expect(try huiqi(["log", "runs", "--db", "s2.db"]).stdout.contains("分片 shard 2/3"))
        #expect(try huiqi(["log", "runs", "--db", "b.db"]).stdout.contains("合并自 merged from 3 shards"))

        // Merged into the log of the unsplit run: run 1 stays, and nothing differs.
        let again = try huiqi(["log", "merge", "s1.db", "s2.db", "s3.db", "--db", "a.db"])
        #expect(again.stdout.contains("(run 2; huiqi log show 2 --db a.db)"))
        let diff = try huiqi(["log", "diff", "1", "2", "--db", "a.db"])
        #expect(diff.stdout.contains("no decision changed (没有变化的决定)"), "\(diff.stdout)")
        #expect(diff.stdout.contains("only in run 1: 0, only in run 2: 0 businesses"), "\(diff.stdout)")
        try huiqi(["log", "export", "1", "--out", "a1-again.csv", "--db", "a.db"])
        #expect(try bytes("a.csv") == bytes("a1-again.csv"))

        // The same decision id reviews the same decision; the review then shows the same way.
        let idColumn = try #require(csv.header.firstIndex(of: "决定编号"))
        let id = String(try #require(csv.rows.dropFirst(5).first)[idColumn].filter(\.isNumber))
        let reviewed = try ["a", "b"].map {
            try huiqi(["review", id, "--confirm", "--by", "张三", "--note", "核对", "--db", "\($0).db"]).stdout.components(separatedBy: " at ")[0]
        }
        #expect(reviewed[0] == reviewed[1] && reviewed[0].contains(id), "\(reviewed)")
        let unreviewed = try ["a", "b"].map { try huiqi(["log", "show", "1", "--unreviewed", "--format", "csv", "--limit", "0", "--db", "\($0).db"]).stdout }
        #expect(unreviewed[0] == unreviewed[1] && !unreviewed[0].contains(id))
    }

    @Test func theSampleProfilesSplitAndMergedReadAsTheUnsplitRun() throws {
        try splitAndCompare([HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path])
    }

    /// Rejected rows of every kind the sample makes, duplicate credit codes among them, over two inputs.
    @Test func inputsWithRejectsAndDuplicatesSplitAndMergedReadAsTheUnsplitRun() throws {
        try huiqi(["sample", "--count", "400", "--seed", "11", "--invalid-share", "0.15", "--out", "p1.csv"])
        try huiqi(["sample", "--count", "200", "--seed", "12", "--invalid-share", "0.15", "--out", "p2.jsonl"])
        try splitAndCompare(["p1.csv", "p2.jsonl"])
        let rejects = try CSVTable(contentsOf: temp.appendingPathComponent("b-rejects.csv").path)
        #expect(rejects.rows.count > 20)
        #expect(rejects.rows.contains { $0.joined().contains("重复") }, "the sample's duplicate codes are among the rejects")
    }

    @Test func aRefusedMergeWritesNothingAndRemovesTheLogItCreated() throws {
        try huiqi(["sample", "--count", "120", "--seed", "3", "--invalid-share", "0.1", "--out", "p.csv"])
        for k in 1...3 { try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--shard", "\(k)/3", "--db", "s\(k).db"], expect: nil) }
        let missing = try huiqi(["log", "merge", "s1.db", "s3.db", "--db", "new.db"], expect: 2)
        #expect(missing.stderr.contains("missing shard 2 of 3 (缺少分片 2)"), "\(missing.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("new.db").path))

        // A refusal found while copying (a row in two shards) rolls back, and the new log goes.
        let s1 = temp.appendingPathComponent("s1.db").path, s2 = temp.appendingPathComponent("s2-bad.db").path
        try FileManager.default.copyItem(atPath: temp.appendingPathComponent("s2.db").path, toPath: s2)
        let taken = try #require(try DatabaseQueue(path: s1).read { db in try Int.fetchOne(db, sql: "SELECT min(row) FROM businesses") })
        try DatabaseQueue(path: s2).write { db in
            try db.execute(sql: "UPDATE businesses SET row = ? WHERE row = (SELECT max(row) FROM businesses)", arguments: [taken])
        }
        let overlap = try huiqi(["log", "merge", "s1.db", "s2-bad.db", "s3.db", "--db", "new.db"], expect: 2)
        #expect(overlap.stderr.contains("input row \(taken) is in two shards (行重叠)"), "\(overlap.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("new.db").path))

        // An existing log is left as it was.
        try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--db", "all.db"], expect: nil)
        let before = try huiqi(["log", "runs", "--db", "all.db"]).stdout
        let twice = try huiqi(["log", "merge", "s1.db", "s2.db", "s2.db", "s3.db", "--db", "all.db"], expect: 2)
        #expect(twice.stderr.contains("shard 2/3 is given twice"), "\(twice.stderr)")
        #expect(try huiqi(["log", "runs", "--db", "all.db"]).stdout == before)

        let help = try huiqi(["log", "merge", "--help"])
        #expect(help.stdout.contains("huiqi log merge shard1.db shard2.db shard3.db --db huiqi.db"))
    }

    /// Every shard log stays open during a merge (3 files each), and the usual soft limit of open
    /// files is 1,024: 350 shards failed with "s339.db: unable to open database file", of a log
    /// that was fine. The merge raises the soft limit as far as the hard one allows, and refuses
    /// up front, saying so, when even that is too low.
    @Test func aMergeOfManyShardsRaisesTheOpenFileLimitOrSaysWhatToDo() throws {
        let sample = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        try sample.split(separator: "\n", omittingEmptySubsequences: false).prefix(31).joined(separator: "\n")
            .write(to: temp.appendingPathComponent("p.csv"), atomically: true, encoding: .utf8)
        let n = 21  // 63 shard files and the process's own, past a limit of 64
        for k in 1...n { try huiqi(["run", "p.csv", "--as-of", "2025-06-01", "--shard", "\(k)/\(n)", "--db", "s\(k).db", "--jobs", "1"]) }
        let logs = (1...n).map { "s\($0).db" }

        let raised = try HuiqiBinary.runUnblocked(["log", "merge"] + logs + ["--db", "m.db"], cwd: temp, prefix: "ulimit -Sn 64")
        #expect(raised.status == 0, "\(raised.stdout)\(raised.stderr)")
        #expect(raised.stdout.contains("合并 merged \(n) shards: 30 read"), "\(raised.stdout)")

        let refused = try HuiqiBinary.runUnblocked(["log", "merge"] + logs + ["--db", "r.db"], cwd: temp, prefix: "ulimit -n 64")
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("merging \(n) shard logs keeps about \(3 * n + 16) files open") && refused.stderr.contains("ulimit -n: 64")
                && refused.stderr.contains("hard limit"), "\(refused.stderr)")
        #expect(!FileManager.default.fileExists(atPath: temp.appendingPathComponent("r.db").path))
    }
}
