import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// `--shard K/N` (PRODUCT.md §9): which rows a shard owns, and that the N shards' rows are the
/// whole input, each row once, read exactly as an unsplit run reads it.
@Suite struct RunShardTests {
    @Test func parsesKOverN() {
        #expect(RunShard(parsing: "2/4") == RunShard(index: 2, count: 4))
        #expect(RunShard(parsing: " 2 / 4 ") == RunShard(index: 2, count: 4))
        #expect(RunShard(parsing: "2／4") == RunShard(index: 2, count: 4))
        #expect(RunShard(parsing: "1/1")?.description == "1/1")
        #expect(RunShard(parsing: "1024/1024") != nil)
        for bad in ["0/4", "5/4", "1/0", "-1/4", "1/1025", "a/b", "2", "2/4/8", "/4", ""] {
            #expect(RunShard(parsing: bad) == nil, "\(bad)")
        }
    }

    /// Shards run by different builds on different machines must agree, so the owner of a code is
    /// pinned: FNV-1a 64 of the code's bytes, modulo N (values worked out with a separate script).
    @Test func theOwnerOfACodeIsFixed() {
        let pinned: [(code: String, n: Int, owner: Int)] = [
            ("91440300MA5DDJLX3C", 4, 2), ("91440300MA5DDJLX3C", 7, 4), ("91440300MA5DDJLX3C", 1024, 998),
            ("92440306L557UQ53AD", 4, 2), ("92440306L557UQ53AD", 7, 1), ("92440306L557UQ53AD", 1024, 294),
            ("91440300L86BRPWY2C", 4, 4), ("91440300L86BRPWY2C", 7, 1), ("91440300L86BRPWY2C", 1024, 104),
        ]
        for p in pinned {
            let owners = (1...p.n).filter { RunShard(index: $0, count: p.n)!.owns(code: p.code, row: 1) }
            #expect(owners == [p.owner], "\(p)")
            // Case and blanks do not move a code to another shard.
            #expect(RunShard(index: p.owner, count: p.n)!.owns(code: " " + p.code.lowercased() + "\t", row: 99))
        }
    }

    @Test func rowsWithoutACodeGoRoundRobin() {
        let shards = (1...3).map { RunShard(index: $0, count: 3)! }
        for row in 1...9 {
            let owners = shards.filter { $0.owns(code: row % 2 == 0 ? nil : "  ", row: row) }.map(\.index)
            #expect(owners == [(row - 1) % 3 + 1], "row \(row)")
        }
        #expect(RunShard(index: 1, count: 1)!.owns(code: nil, row: 5))
    }

    /// The reader passes a CSV row over by its code cell, before coercing it; a JSON Lines row
    /// once read. Either way each row must land in exactly one shard, the one its record's code
    /// names, and come out exactly as an unsplit read gives it: duplicates (also written in lower
    /// case or with blanks), invalid check digits, empty codes and broken rows included.
    @Test(arguments: ["csv", "jsonl"])
    func theShardsReadEveryRowOnceAsAWholeReadDoes(format: String) throws {
        let dir = try TemporaryDirectory()
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let file = dir.file("profiles.\(format)")
        let generator = SampleGenerator(schema: loaded.schema, seed: 11, invalidShare: 0.2)
        if format == "csv" { try generator.writeCSV(count: 600, to: file) } else { try generator.writeJSONLines(count: 600, to: file) }
        // Rows whose code only normalising makes equal to another's, or that have none.
        var text = try String(contentsOf: file, encoding: .utf8)
        let lines = text.split(separator: "\n").map(String.init)
        let firstCode = try #require(lines.dropFirst().lazy.compactMap { line -> String? in
            guard let r = line.range(of: #"9[0-9A-Z]{17}"#, options: .regularExpression) else { return nil }
            return String(line[r])
        }.first)
        let template = try #require(lines.dropFirst().first { $0.contains(firstCode) })
        let fullWidth = String(String.UnicodeScalarView(firstCode.unicodeScalars.map { Unicode.Scalar($0.value + 0xFEE0)! }))
        for variant in [firstCode.lowercased(), " \(firstCode) ", fullWidth, "", "91440300MA5DDJLX3D"] {
            text += template.replacingOccurrences(of: firstCode, with: variant) + "\n"
        }
        text += (format == "csv" ? "\"broken,row\n" : "{\"credit_code\": \n")
        try text.write(to: file, atomically: true, encoding: .utf8)

        func stream() throws -> ProfileStream {
            try ProfileStream(files: [file], schema: loaded.schema, asOf: "2025-06-01")
        }
        var whole = try stream()
        var expected: [ProfileRecord] = []
        while let r = try whole.next() { expected.append(r) }
        #expect(whole.rowsRead == expected.count && whole.otherShardRows == 0)
        #expect(expected.contains { if case .rejected(let r) = $0 { r.reason.contains("重复") } else { false } })
        let codeIndex = loaded.schema.index(of: Schema.creditCodeField)

        for n in [2, 3, 5] {
            var seen = [ProfileRecord?](repeating: nil, count: expected.count + 1)
            var rejected = 0
            for k in 1...n {
                let shard = try #require(RunShard(index: k, count: n))
                var s = try stream()
                s.shard = shard
                var owned = 0
                while let r = try s.next() {
                    let row = s.rowsRead
                    #expect(seen[row] == nil, "row \(row) read by two shards of \(n)")
                    #expect(shard.owns(code: r.creditCode(at: codeIndex), row: row), "row \(row): shard \(shard)")
                    seen[row] = r
                    owned += 1
                }
                #expect(s.rowsRead == expected.count)
                #expect(owned + s.otherShardRows == expected.count)
                #expect(s.counts.map(\.read) == whole.counts.map(\.read))
                rejected += s.counts[0].rejected
            }
            #expect(rejected == whole.counts[0].rejected && rejected > 0)
            for (i, r) in expected.enumerated() {
                #expect(seen[i + 1] == r, "row \(i + 1) with \(n) shards")
            }
        }
    }

    /// A JSON Lines code written as a number (`"credit_code": 914403007919158383`) is read as the
    /// same code as the string: its duplicate below the string row must fall to the same shard,
    /// whether the shard reading it saw the first row (a reject) or passed it over (a profile).
    @Test func aDuplicateCodeWrittenAsANumberIsReadByOneShard() throws {
        let dir = try TemporaryDirectory()
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let file = dir.file("profiles.jsonl")
        try SampleGenerator(schema: loaded.schema, seed: 5, invalidShare: 0).writeJSONLines(count: 40, to: file)
        var lines = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").map(String.init)
        let template = try #require(lines.first { $0.range(of: #""91[0-9A-Z]{16}""#, options: .regularExpression) != nil })
        let quoted = try #require(template.range(of: #""91[0-9A-Z]{16}""#, options: .regularExpression))
        // All digits, valid check digits; each pair at its own rows, so that for every N one of
        // them has a row-number owner other than its code's.
        let codes = ["914403007919158383", "914403007919316768", "914403007919475149", "914403007919712711",
                     "914403007919791904", "914403007919871090"]
        for (k, code) in codes.enumerated() {
            lines.insert(template.replacingCharacters(in: quoted, with: code), at: 3 + 5 * k)
            lines.insert(template.replacingCharacters(in: quoted, with: "\"\(code)\""), at: 3 + 5 * k)
        }
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        func stream() throws -> ProfileStream { try ProfileStream(files: [file], schema: loaded.schema, asOf: "2025-06-01") }
        var whole = try stream()
        var expected: [ProfileRecord] = []
        while let r = try whole.next() { expected.append(r) }
        #expect(expected.contains { if case .rejected(let r) = $0 { r.reason.contains("重复") } else { false } })
        for n in 2...7 {
            var seen = [Int](repeating: 0, count: expected.count + 1)
            for k in 1...n {
                var s = try stream()
                s.shard = RunShard(index: k, count: n)
                while try s.next() != nil { seen[s.rowsRead] += 1 }
            }
            for row in 1...expected.count {
                #expect(seen[row] == 1, "row \(row) read by \(seen[row]) of \(n) shards")
            }
        }
    }

    /// A shard run that is interrupted and resumed evaluates the same rows as one that was not:
    /// the shard is recorded with the run and `--resume` keeps it.
    @Test func aResumedShardRunKeepsItsShard() throws {
        let f = try LoggedFixtureRun(rows: 500)
        let shard = try #require(RunShard(index: 2, count: 3))
        var options = f.options(chunkSize: 32)
        options.shard = shard
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: options, commandLine: "huiqi run --shard 2/3 (test)")
        #expect(try f.store.run(logged.runID)?.provenance.shard == shard)
        let interrupt = InterruptSignal(signals: [])
        do {
            _ = try logged.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(3, interrupt: interrupt)])
            Issue.record("the run was not interrupted")
        } catch is RunInterrupted {}
        let resumed = try LoggedRun.resume(store: f.store, runID: logged.runID, jobs: 1)
        #expect(resumed.options.shard == shard)
        let summary = try resumed.execute()
        #expect(summary.read == 500 && summary.otherShards > 0)
        #expect(summary.evaluated + summary.rejected + summary.otherShards == 500)

        var again = f.options(chunkSize: 32)
        again.shard = shard
        let (whole, wholeSummary) = try {
            let l = try LoggedRun.start(store: f.store, loaded: f.loaded, options: again, commandLine: "huiqi run --shard 2/3 (test)")
            return (l, try l.execute())
        }()
        #expect(summary.evaluated == wholeSummary.evaluated && summary.rejected == wholeSummary.rejected)
        let resumedRows = try f.store.decisions(run: logged.runID).map { [$0.id.row, $0.id.slot] }
        let wholeRows = try f.store.decisions(run: whole.runID).map { [$0.id.row, $0.id.slot] }
        #expect(resumedRows == wholeRows && !resumedRows.isEmpty)
        #expect(try f.store.decisions(run: logged.runID).map(\.record) == f.store.decisions(run: whole.runID).map(\.record))
        #expect(try f.store.rejects(run: logged.runID).map(\.reject.line) == f.store.rejects(run: whole.runID).map(\.reject.line))
        // Every row of the shard, and only those.
        let codeIndex = f.loaded.schema.index(of: Schema.creditCodeField)
        var stream = try ProfileStream(files: [URL(fileURLWithPath: f.profiles)], schema: f.loaded.schema)
        var owned: [Int] = []
        var row = 0
        while let r = try stream.next() {
            row += 1
            if case .profile = r, shard.owns(code: r.creditCode(at: codeIndex), row: row) { owned.append(row) }
        }
        #expect(Array(Set(resumedRows.map { $0[0] })).sorted() == owned)
    }

    /// `explain` of a business another shard holds says which shard that is, rather than only
    /// "not in run 1", as if the input lacked it.
    @Test func explainingABusinessOfAnotherShardNamesItsShard() throws {
        let f = try LoggedFixtureRun(rows: 60, rejectEvery: nil)
        var options = f.options()
        options.shard = RunShard(index: 1, count: 2)
        let logged = try LoggedRun.start(store: f.store, loaded: f.loaded, options: options, commandLine: "huiqi run --shard 1/2 (test)")
        _ = try logged.execute()
        let codes = (1...60).map { ProfileCSVGenerator.creditCode($0) }
        let elsewhere = try #require(codes.first { RunShard.owner(code: $0, count: 2) == 2 })
        let here = try #require(codes.first { RunShard.owner(code: $0, count: 2) == 1 })
        guard case .notFound(let message) = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: elsewhere) else {
            Issue.record("expected not found")
            return
        }
        #expect(message.contains("run \(logged.runID) is shard 1/2 of a split run and this code falls to shard 2/2"), "\(message)")
        guard case .explained = try LogExplanation.explain(store: f.store, run: logged.runID, creditCode: here) else {
            Issue.record("expected the business of shard 1 to be explained")
            return
        }
    }
}
