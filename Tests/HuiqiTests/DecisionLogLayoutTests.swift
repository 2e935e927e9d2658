import Foundation
import GRDB
@testable import Huiqi
import TestSupport
import Testing

/// The v2 layout: a business's decisions packed into one blob, and the migration from v1 rows.
@Suite struct DecisionLogLayoutTests {
    @Test func blobsRoundTripEveryKindOfEntry() throws {
        let entries = [
            LogEntry(outcome: 1, rule: 0, conditions: 0b010101, reason: 7, amount: 1234.56, score: 8),
            LogEntry(outcome: 2, rule: 300, conditions: 0b100101, reason: 1 << 40),
            LogEntry(outcome: 3, rule: 2, conditions: 0b111101, reason: 9, missing: 12),
            LogEntry(outcome: 4, rule: 5, conditions: 0b01, reason: 3, error: 99),
            LogEntry(outcome: 2, rule: nil, reason: 4),
            // 32 conditions, the last failed: the packed states use the sign bit.
            LogEntry(outcome: 2, rule: 1, conditions: Int64(bitPattern: 0xA555_5555_5555_5555), reason: 5, amount: -0.0, score: .infinity),
            LogEntry(outcome: 0),
        ]
        let blob = DecisionBlob.encode(entries)
        #expect(try DecisionBlob.decode(blob) == entries)
        #expect(blob.first == DecisionBlob.version)
        // The common decision (outcome, rule, conditions, reason) stays within a few bytes.
        #expect(DecisionBlob.encode([LogEntry(outcome: 2, rule: 20, conditions: 0b1001, reason: 300)]).count == 1 + 5)
    }

    @Test func damagedBlobsAreReportedNotMisread() throws {
        let good = DecisionBlob.encode([LogEntry(outcome: 1, rule: 3, conditions: 5, reason: 7, amount: 10)])
        #expect(throws: DecisionBlob.Malformed.self) { try DecisionBlob.decode(Array(good.dropLast())) }
        #expect(throws: DecisionBlob.Malformed.self) { try DecisionBlob.decode([9] + good.dropFirst()) }
        #expect(throws: DecisionBlob.Malformed.self) { try DecisionBlob.decode([]) }
        #expect(try DecisionBlob.decode([DecisionBlob.version]).isEmpty)
    }

    @Test func aLogWrittenInTheV1LayoutIsConvertedAndReadsTheSame() throws {
        let f = try LoggedFixtureRun(rows: 90)
        let (logged, summary) = try f.run()
        let run = logged.runID
        let someDecision = try #require(try f.store.decisions(run: run).first { $0.decision.outcome == .eligible })
        _ = try f.store.addReview(decision: someDecision.id, verdict: .confirm, reviewer: "李四", note: "核实", at: "2025-06-02T00:00:00Z")
        let expected = try f.store.decisions(run: run)
        let expectedCounts = try f.store.outcomeCounts(run: run)
        #expect(expected.count == summary.evaluated * DecisionLogFixture.services.count)
        #expect(expected.contains { $0.decision.outcome == .error } && expected.contains { $0.decision.outcome == .undetermined })

        try Self.downgradeToV1(f.fixture.path("huiqi.db"))

        let reopened = try SQLiteDecisionStore(path: f.fixture.path("huiqi.db"), create: false)
        #expect(try reopened.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        #expect(try !reopened.tableNames().contains("decisions"))
        // A review made before v5 gets the amount of the decision it reviewed (review: left
        // empty, it carried over to any later amount).
        #expect(expected.contains { $0.review?.amount != nil })
        #expect(try reopened.decisions(run: run) == Self.asBeforeV8(expected))
        #expect(try reopened.outcomeCounts(run: run) == expectedCounts)
        #expect(try reopened.decision(someDecision.id)?.isReviewed == true)
    }

    /// The log's compact path (reasons from patterns, `evaluate` reasons, subject mismatches) must
    /// read back exactly what the engine's reviewer-facing decisions say, for every shipped rule.
    @Test func theLogReadsBackWhatTheEngineDecidedOnTheShippedSamples() throws {
        let fixture = try DecisionLogFixture()
        let store = try SQLiteDecisionStore(path: fixture.path("samples.db"))
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let input = PackagePaths.root.appendingPathComponent("Samples/profiles.csv").path
        let options = BatchRun.Options(inputs: [input], asOf: "2025-06-01", rejectsPath: fixture.path("rejects.csv"), jobs: 2, chunkSize: 50)
        let logged = try LoggedRun.start(store: store, loaded: loaded, options: options, commandLine: "huiqi run (test)")
        _ = try logged.execute()

        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        var stream = try ProfileStream(files: [URL(fileURLWithPath: input)], schema: loaded.schema)
        var expected: [DecisionRecord] = []
        while let record = try stream.next() {
            if case .profile(let p) = record { expected += runtime.records(for: p) }
        }
        let stored = try store.decisions(run: logged.runID).map(\.record)
        #expect(stored.count == expected.count)
        for (s, e) in zip(stored, expected) where s != e {
            Issue.record("\(e.creditCode) \(e.decision.serviceID): logged \(s.decision.reasons) \(s.decision.outcome), engine \(e.decision.reasons) \(e.decision.outcome)")
        }
    }

    /// `log show --firm` on a district-sized run must look the business up by code, not walk the
    /// run's million rows (SQLite prefers the primary key for `ORDER BY row`).
    @Test func aFirmIsFoundByItsCodeIndex() throws {
        let fixture = try DecisionLogFixture()
        let store = try SQLiteDecisionStore(path: fixture.path("plan.db"))
        let (sql, arguments) = SQLiteDecisionStore.businessQuery(run: 1, filter: DecisionFilter(creditCode: "91440300MA5FXXXX1X"))
        let plan = try store.queue.read { db in
            try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + sql, arguments: arguments).map { $0["detail"] as String }
        }
        #expect(plan.contains { $0.contains("business_codes") } && !plan.contains { $0.contains("SCAN b") }, "\(plan)")
    }

    /// An index that cannot be built (here the log may not grow: `max_page_count`, as a full disk)
    /// loses nothing: the run's rows are found by the scan, the connection has its settings back,
    /// and the next open for writing builds the index (review: such a run stayed unindexed).
    @Test func aFailedIndexLosesNothingAndIsBuiltAtTheNextOpen() throws {
        let fixture = try DecisionLogFixture()
        let (store, run, sink, profile) = try fixture.handMadeRun(database: "full.db")
        let codes = (1...400).map { ProfileFixtures.creditCode($0) }
        for (i, code) in codes.enumerated() {
            let record = DecisionLogFixture.handMadeRecord(code: code, name: "企业\(i)", outcome: .eligible, reasons: ["条件甲"])
            try sink.consume(EvaluatedProfile(profile: profile, records: [record]), row: i + 1)
        }
        try sink.commit(rowsRead: 400)
        try store.finishRun(run, read: 400, evaluated: 400, rejected: 0, inputs: [], endedAt: "2025-06-01T00:02:00Z")
        try store.queue.inDatabase { db in
            let pages = try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0
            try db.execute(sql: "PRAGMA max_page_count = \(pages)")
        }
        #expect(throws: (any Error).self) { try store.indexCodes(run: run) }
        func state(_ store: SQLiteDecisionStore) throws -> [Int] {
            try store.queue.inDatabase { db in
                [try Int.fetchOne(db, sql: "SELECT count(*) FROM business_codes") ?? -1,
                 try Int.fetchOne(db, sql: "SELECT codes_indexed FROM runs WHERE id = ?", arguments: [run]) ?? -1,
                 try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0, try Int.fetchOne(db, sql: "PRAGMA threads") ?? -1]
            }
        }
        #expect(try state(store) == [0, 0, SQLiteDecisionStore.cacheSize, 0])
        #expect(try store.run(run)?.status == .completed)
        #expect(try store.decisions(run: run, filter: DecisionFilter(creditCode: codes[123])).map(\.id.row) == [124])
        let reopened = try SQLiteDecisionStore(path: fixture.path("full.db"))
        #expect(try state(reopened).prefix(2) == [400, 400])
        #expect(try reopened.decisions(run: run, filter: DecisionFilter(creditCode: codes[123])).map(\.id.row) == [124])
    }

    /// A run writes with a small page cache (peak RSS of a 5M-row run), and the connection has the
    /// log's own cache back once the run's codes are indexed.
    @Test func aRunWritesWithASmallCacheAndGivesItBack() throws {
        let fixture = try DecisionLogFixture()
        let (store, run, sink, _) = try fixture.handMadeRun(database: "cache.db")
        func cache() throws -> Int { try store.queue.inDatabase { db in try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0 } }
        #expect(try cache() == SQLiteDecisionStore.runCacheSize)
        try sink.commit(rowsRead: 0)
        try store.finishRun(run, read: 0, evaluated: 0, rejected: 0, inputs: [], endedAt: "2025-06-01T00:02:00Z")
        try store.indexCodes(run: run)
        #expect(try cache() == SQLiteDecisionStore.cacheSize)
    }

    /// Businesses are found by code while a run is still writing (not yet in `business_codes`),
    /// after it stops, and after a resume adds more rows.
    @Test func firmsAreFoundBeforeAndAfterTheirRunIndexesItsCodes() throws {
        let fixture = try DecisionLogFixture()
        let (store, run, sink, profile) = try fixture.handMadeRun(database: "codes.db")
        func business(_ code: String, row: Int) throws {
            let record = DecisionLogFixture.handMadeRecord(code: code, name: "企业\(row)", outcome: .eligible, reasons: ["条件甲"])
            try sink.consume(EvaluatedProfile(profile: profile, records: [record]), row: row)
        }
        let codes = (1...40).map { ProfileFixtures.creditCode($0) }
        for (i, code) in codes.prefix(20).enumerated() { try business(code, row: i + 1) }
        try sink.commit(rowsRead: 20)
        func found(_ code: String) throws -> [Int] {
            try store.decisions(run: run, filter: DecisionFilter(creditCode: code)).map(\.id.row)
        }
        #expect(try found(codes[7]) == [8])                      // running: found by the scan
        try store.markRun(run, status: .interrupted, endedAt: "2025-06-01T00:01:00Z")
        #expect(try found(codes[7]) == [8])                      // interrupted, not yet indexed: scanned
        try store.indexCodes(run: run)
        #expect(try found(codes[7]) == [8])                      // interrupted: indexed
        #expect(try store.business(run: run, creditCode: codes[7])?.row == 8)
        for (i, code) in codes.suffix(20).enumerated() { try business(code, row: 21 + i) }
        try sink.commit(rowsRead: 40)
        #expect(try found(codes[30]) == [31] && found(codes[7]) == [8])   // resumed: half indexed, half scanned
        try store.finishRun(run, read: 40, evaluated: 40, rejected: 0, inputs: [], endedAt: "2025-06-01T00:02:00Z")
        try store.indexCodes(run: run)
        #expect(try found(codes[30]) == [31] && found(codes[7]) == [8])
        #expect(try found("91440300MA5FXXXX1X").isEmpty)
        let indexed = try store.queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM business_codes WHERE run = ?", arguments: [run]) }
        #expect(indexed == 40)
    }

    /// Rewrites a log as v1 wrote it: a `decisions` row per slot, no blob column, the code index,
    /// no "v2", "v3" and "v4" migrations.
    /// Final review: migration v5 crashed on a business whose decisions value was not a blob, and
    /// then no command could open the log. That review now has no amount (it carries over by
    /// outcome); the others get theirs.
    @Test func theV5UpgradeSurvivesADamagedDecisionsValue() throws {
        let f = try LoggedFixtureRun(rows: 40, rejectEvery: nil)
        let (logged, _) = try f.run()
        let decisions = try f.store.decisions(run: logged.runID, filter: DecisionFilter(serviceID: "SVC-01"))
        let damaged = try #require(decisions.first), intact = try #require(decisions.last)
        _ = try f.store.addReview(decision: damaged.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        _ = try f.store.addReview(decision: intact.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:01Z")
        let path = f.fixture.path("huiqi.db")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                ALTER TABLE reviews DROP COLUMN amount;
                DELETE FROM grdb_migrations WHERE identifier = 'v5';
                """)
            try db.execute(sql: "UPDATE businesses SET decisions = 5 WHERE run = ? AND row = ?", arguments: [logged.runID, damaged.id.row])
        }
        let reopened = try SQLiteDecisionStore(path: path, create: false)
        #expect(try reopened.appliedMigrations().last == "v9")
        let amounts = try reopened.queue.read { db in try String?.fetchAll(db, sql: "SELECT amount FROM reviews ORDER BY id") }
        #expect(amounts == [nil, Review.amountText(intact.decision.amount)], "\(amounts)")
    }

    /// Upgrading to v8, a review made before gets the id of the rule that made its decision, read
    /// from the decision; the runs logged before keep no rule file's hash, so between them the
    /// same rule is the same id in the same bundle: a review carries over to a run of the same
    /// bundle, not to one of a bundle edited since. A review whose decision cannot be read keeps
    /// no rule, and carries over by outcome and amount (as v5 left its amount).
    @Test func theV8UpgradeGivesEachReviewTheRuleOfItsDecision() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let (first, _) = try f.run()
        let (same, _) = try f.run()
        let file = URL(fileURLWithPath: f.fixture.rulesDirectory).appendingPathComponent("growth/revenue.lua")
        try Data((try String(contentsOf: file, encoding: .utf8) + "\n-- edited\n").utf8).write(to: file)
        let edited = try LoggedRun.start(store: f.store, loaded: try f.fixture.bundle.load(), options: f.options(), commandLine: "huiqi run (test)")
        _ = try edited.execute()
        let rent = try f.store.decisions(run: first.runID, filter: DecisionFilter(serviceID: "SVC-01"))
        let reviewed = try #require(rent.first), damaged = try #require(rent.last)
        _ = try f.store.addReview(decision: reviewed.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        _ = try f.store.addReview(decision: damaged.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:01Z")
        let path = f.fixture.path("huiqi.db")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                ALTER TABLE run_rules DROP COLUMN sha256;
                ALTER TABLE run_rules DROP COLUMN modules;
                ALTER TABLE reviews DROP COLUMN rule_id;
                DELETE FROM grdb_migrations WHERE identifier IN ('v8', 'v9');
                """)
            try db.execute(sql: "UPDATE businesses SET decisions = 5 WHERE run = ? AND row = ?", arguments: [first.runID, damaged.id.row])
        }
        let reopened = try SQLiteDecisionStore(path: path, create: false)
        #expect(try reopened.appliedMigrations().last == "v9")
        let rules = try reopened.queue.read { db in try String?.fetchAll(db, sql: "SELECT rule_id FROM reviews ORDER BY id") }
        #expect(rules == ["rent.relief", nil], "\(rules)")
        #expect(try reopened.runs().allSatisfy { $0.provenance.rules.allSatisfy { $0.sourceSHA256 == nil } })

        func later(_ run: Int64, _ d: LoggedDecision) throws -> LoggedDecision {
            try #require(try reopened.decision(DecisionID(run: run, row: d.id.row, slot: d.id.slot)))
        }
        #expect(try later(same.runID, reviewed).isReviewed)
        let now = try later(edited.runID, reviewed)
        #expect(now.decision.outcome == reviewed.decision.outcome && now.decision.amount == reviewed.decision.amount)
        #expect(!now.isReviewed && now.reviewText == "未审核 (运行\(first.runID)审核后规则 rent.relief 已修改)", "\(now.reviewText)")
        #expect(try later(edited.runID, damaged).isReviewed)
    }

    /// Upgrading to v9, the runs logged before keep no modules (`LoggedRule.modules` nil). A review
    /// made on one carries over to a later run of the same bundle; once the bundle changed, the
    /// log cannot tell whether the modules a rule requires did: only a rule that requires none
    /// keeps the review.
    @Test func theV9UpgradeLeavesEarlierRunsWithoutModules() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let rules = URL(fileURLWithPath: f.fixture.rulesDirectory)
        try FileManager.default.createDirectory(at: rules.appendingPathComponent("lib"), withIntermediateDirectories: true)
        try Data("return {}\n".utf8).write(to: rules.appendingPathComponent("lib/rent_util.lua"))
        let relief = rules.appendingPathComponent("rent/relief.lua")
        try Data(("local rent_util = require('rent_util')\n" + (try String(contentsOf: relief, encoding: .utf8))).utf8).write(to: relief)
        func run(_ store: SQLiteDecisionStore) throws -> Int64 {
            let logged = try LoggedRun.start(store: store, loaded: try f.fixture.bundle.load(), options: f.options(), commandLine: "huiqi run (test)")
            _ = try logged.execute()
            return logged.runID
        }
        let first = try run(f.store)
        let rent = try #require(try f.store.decisions(run: first, filter: DecisionFilter(serviceID: "SVC-01")).first)
        let growth = try #require(try f.store.decisions(run: first, filter: DecisionFilter(serviceID: "SVC-02")).first)
        for d in [rent, growth] {
            _ = try f.store.addReview(decision: d.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        }
        let path = f.fixture.path("huiqi.db")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: """
                ALTER TABLE run_rules DROP COLUMN modules;
                DELETE FROM grdb_migrations WHERE identifier = 'v9';
                """)
        }
        let reopened = try SQLiteDecisionStore(path: path, create: false)
        #expect(try reopened.appliedMigrations().last == "v9")
        #expect(try reopened.runs().allSatisfy { $0.provenance.rules.allSatisfy { $0.modules == nil && $0.sourceSHA256 != nil } })
        func later(_ run: Int64, _ d: LoggedDecision) throws -> LoggedDecision {
            try #require(try reopened.decision(DecisionID(run: run, row: d.id.row, slot: d.id.slot)))
        }

        let second = try run(reopened)
        #expect(try later(second, rent).isReviewed && later(second, growth).isReviewed)
        #expect(try later(second, rent).ruleVersion.modules?.hasPrefix("rent_util ") == true)
        #expect(try later(second, growth).ruleVersion.modules == "")

        try Data("return { edited = true }\n".utf8).write(to: rules.appendingPathComponent("lib/rent_util.lua"))
        let third = try run(reopened)
        let now = try later(third, rent)
        #expect(!now.isReviewed && now.reviewText == "未审核 (运行\(first)的日志未记录规则 rent.relief 所用的模块 (升级到日志 v9 之前), 其后规则包已修改)",
                "\(now.reviewText)")
        #expect(try later(third, growth).isReviewed)
    }

    /// A fixture run's log, reopened, with the blob of its first SVC-01 decision's business set to
    /// `blob` (an SQL literal); the run and that decision, and the fixture, which keeps the files.
    private func logWithDamagedBlob(_ blob: String) throws -> (SQLiteDecisionStore, LoggedRun, LoggedDecision, LoggedFixtureRun) {
        let f = try LoggedFixtureRun(rows: 4, rejectEvery: nil)
        let (logged, _) = try f.run()
        let decision = try #require(try f.store.decisions(run: logged.runID, filter: DecisionFilter(serviceID: "SVC-01")).first)
        try DatabaseQueue(path: f.fixture.path("huiqi.db")).write { db in
            try db.execute(sql: "UPDATE businesses SET decisions = \(blob) WHERE run = ? AND row = ?", arguments: [logged.runID, decision.id.row])
        }
        return (try SQLiteDecisionStore(path: f.fixture.path("huiqi.db"), create: false), logged, decision, f)
    }

    /// Code review: a review of a decision whose stored data is damaged said "no decision", which
    /// sent the reviewer looking for a mistyped id; it now names the damage.
    @Test func reviewingADamagedDecisionSaysItIsDamaged() throws {
        let (reopened, _, decision, fixture) = try logWithDamagedBlob("X'FF01'")
        defer { withExtendedLifetime(fixture) {} }
        let error = #expect(throws: Diagnostic.self) {
            _ = try reopened.addReview(decision: decision.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        }
        #expect(error?.message.contains("决策数据损坏 damaged log") == true, "\(String(describing: error))")
    }

    /// Crash-safety review: random bytes written over a blob unpacked into decisions of service
    /// "?", errors without a message and changed outcomes, exit 0. A blob that unpacks into what
    /// cannot be the run's (an outcome code no decision has, a rule the run lacks, more decisions
    /// than services) is damage now, named with the run and row, in every reader.
    @Test(arguments: ["X'0107'", "X'01087F'", "X'01" + String(repeating: "00", count: 40) + "'"])
    func aBlobThatCannotBeTheRunsIsDamage(blob: String) throws {
        let (reopened, logged, decision, fixture) = try logWithDamagedBlob(blob)
        defer { withExtendedLifetime(fixture) {} }
        let reads: [() throws -> Void] = [
            { _ = try reopened.decisions(run: logged.runID, filter: DecisionFilter()) },
            { _ = try reopened.decision(decision.id) },
            { _ = try reopened.outcomeCounts(run: logged.runID) },
            { _ = try reopened.forEachDifference(before: logged.runID, after: logged.runID) { _ in } },
        ] + (blob == "X'01087F'" ? [] : [  // counting reads outcomes only, not rules
            { _ = try reopened.countDecisions(run: logged.runID, filter: DecisionFilter()) },
        ])
        for (k, read) in reads.enumerated() {
            let error = #expect(throws: Diagnostic.self, "read \(k)") { try read() }
            #expect(error?.message.contains("run \(logged.runID), business row \(decision.id.row)") == true
                    && error?.message.contains("决策日志已损坏") == true, "\(String(describing: error))")
        }
    }

    /// Decisions as a log upgraded from before v8 reads them: its runs kept no rule file's hash
    /// (`LoggedRule.sourceSHA256`) nor modules (v9), so neither do their decisions' rules nor their reviews'.
    static func asBeforeV8(_ decisions: [LoggedDecision]) -> [LoggedDecision] {
        decisions.map { d in
            var d = d
            d.ruleVersion.sourceSHA256 = nil
            d.ruleVersion.modules = nil
            d.review?.rule?.sourceSHA256 = nil
            d.review?.rule?.modules = nil
            return d
        }
    }

    static func downgradeToV1(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE decisions (
                  run INTEGER NOT NULL, row INTEGER NOT NULL, slot INTEGER NOT NULL, rule INTEGER,
                  outcome INTEGER NOT NULL, conditions INTEGER NOT NULL, reason_id INTEGER, missing_id INTEGER,
                  amount REAL, score REAL, error_id INTEGER, PRIMARY KEY (run, row, slot)) WITHOUT ROWID
                """)
            for r in try Row.fetchAll(db, sql: "SELECT run, row, decisions FROM businesses") {
                let entries = try DecisionBlob.decode([UInt8](r[2] as Data))
                for (slot, e) in entries.enumerated() {
                    try db.execute(sql: "INSERT INTO decisions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", arguments: [
                        r[0] as Int64, r[1] as Int64, slot, e.rule, e.outcome, e.conditions, e.reason, e.missing, e.amount, e.score, e.error])
                }
            }
            try db.execute(sql: "ALTER TABLE businesses DROP COLUMN decisions")
            try db.execute(sql: """
                DROP TABLE business_codes;
                DROP TABLE module_changes;
                ALTER TABLE runs DROP COLUMN codes_indexed;
                ALTER TABLE reviews DROP COLUMN amount;
                ALTER TABLE run_services DROP COLUMN params;
                DROP TABLE run_parts;
                ALTER TABLE runs DROP COLUMN shard;
                ALTER TABLE runs DROP COLUMN shards;
                ALTER TABLE run_rules DROP COLUMN sha256;
                ALTER TABLE run_rules DROP COLUMN modules;
                ALTER TABLE reviews DROP COLUMN rule_id;
                CREATE INDEX businesses_by_code ON businesses(credit_code, run);
                DELETE FROM grdb_migrations WHERE identifier IN ('v2', 'v3', 'v4', 'v5', 'v6', 'v7', 'v8', 'v9');
                """)
        }
    }
}
