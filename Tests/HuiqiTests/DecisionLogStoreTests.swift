import Foundation
import GRDB
@testable import Huiqi
import TestSupport
import Testing

@Suite struct DecisionLogStoreTests {
    @Test func migrationsCreateTheSchemaOnceAndReopen() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("log.db")
        let store = try SQLiteDecisionStore(path: path)
        #expect(try store.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        #expect(try store.tableNames() == ["business_codes", "businesses", "errors", "module_changes", "rejects", "reviews", "rule_conditions",
                                           "run_inputs", "run_parts", "run_rules", "run_services", "runs", "texts"])
        let again = try SQLiteDecisionStore(path: path, create: false)
        #expect(try again.appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        #expect(try again.runs().isEmpty)
    }

    @Test func manyConnectionsOpeningANewLogAtOnceAllSucceed() throws {
        // Each store has its own connection, as two processes would.
        for round in 0..<5 {
            let fixture = try DecisionLogFixture()
            let path = fixture.path("race\(round).db")
            let failures = LockedList()
            DispatchQueue.concurrentPerform(iterations: 6) { _ in
                do {
                    let store = try SQLiteDecisionStore(path: path)
                    _ = try store.runs()
                } catch {
                    failures.append(String(describing: error))
                }
            }
            #expect(failures.items.isEmpty, "\(failures.items)")
            #expect(try SQLiteDecisionStore(path: path).appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
        }
    }

    @Test func refusesToCreateWhenAskedToOpenOnly() throws {
        let fixture = try DecisionLogFixture()
        let path = fixture.path("missing.db")
        #expect(throws: Diagnostic.self) { try SQLiteDecisionStore(path: path, create: false) }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test func runRecordsItsProvenance() throws {
        let f = try LoggedFixtureRun(rows: 120)
        let (logged, summary) = try f.run(jobs: 2)
        let run = try #require(try f.store.run(logged.runID))
        #expect(run.status == .completed)
        #expect(run.provenance.asOf == "2025-06-01")
        #expect(run.provenance.rulesSHA256 == f.loaded.bundle.sha256)
        #expect(run.provenance.schemaSHA256 == f.loaded.schema.sha256)
        #expect(run.provenance.catalogVersion == "test-1")
        #expect(run.provenance.toolVersion == HuiqiVersion.current)
        #expect(run.provenance.jobs == 2)
        #expect(run.provenance.services.map(\.id) == ["SVC-01", "SVC-02", "SVC-03"])
        #expect(run.provenance.rules.map(\.id).sorted() == ["compliance.fragile", "growth.revenue", "rent.relief"])
        let input = try #require(run.provenance.inputs.first)
        #expect(input.sha256 == (try FileDigest.sha256(path: f.profiles)).hex)
        #expect(input.rows == 120 && input.rejected == summary.rejected)
        #expect(run.read == 120 && run.evaluated == summary.evaluated && run.rejected == summary.rejected)
        #expect(run.rowsCommitted == 120)
        #expect(run.endedAt != nil)
    }

    @Test func decisionsRoundTripExactlyIncludingChineseErrorsAndMissingData() throws {
        let f = try LoggedFixtureRun(rows: 300)
        let (logged, summary) = try f.run()
        let expected = try f.expectedRecords()
        let stored = try f.store.decisions(run: logged.runID)
        #expect(stored.count == summary.evaluated * 3)
        #expect(stored.map(\.record) == expected.flatMap(\.records))
        #expect(stored.map(\.id.row) == expected.flatMap { e in e.records.map { _ in e.row } })
        // The cases the fixture is built to produce are really there.
        let decisions = stored.map(\.decision)
        #expect(decisions.contains { $0.outcome == .error && $0.traceback != nil && $0.errorMessage?.contains("无法识别的行业代码") == true })
        #expect(decisions.contains { $0.outcome == .undetermined && $0.conditions.contains { $0.missingField == "employees" } })
        #expect(decisions.contains { $0.reasons.first?.hasPrefix("年营业收入") == true && $0.amount == 100000 })
        #expect(stored.contains { $0.record.name.hasPrefix("深圳市宝安区") && $0.record.street == "西乡街道" })
        #expect(try f.store.outcomeCounts(run: logged.runID) == summary.outcomes)
    }

    @Test func rejectsAreLoggedWithLineFieldAndReason() throws {
        let f = try LoggedFixtureRun(rows: 100, rejectEvery: 30)
        let (logged, summary) = try f.run()
        let rejects = try f.store.rejects(run: logged.runID)
        #expect(rejects.count == 3 && summary.rejected == 3)
        #expect(rejects.map(\.row) == [30, 60, 90])
        #expect(rejects.map(\.reject.line) == [31, 61, 91])
        #expect(rejects.allSatisfy { $0.reject.field == "credit_code" && $0.reject.reason.contains("校验位") })
        #expect(rejects.allSatisfy { $0.reject.file == f.profiles })
    }

    @Test func filtersSelectByServiceOutcomeStreetFirmAndLimit() throws {
        let f = try LoggedFixtureRun(rows: 200)
        let (logged, _) = try f.run()
        let all = try f.store.decisions(run: logged.runID)
        func query(_ filter: DecisionFilter) throws -> [DecisionID] { try f.store.decisions(run: logged.runID, filter: filter).map(\.id) }

        #expect(try query(DecisionFilter(serviceID: "SVC-02")) == all.filter { $0.decision.serviceID == "SVC-02" }.map(\.id))
        #expect(try query(DecisionFilter(outcome: .error)) == all.filter { $0.decision.outcome == .error }.map(\.id))
        let xinan = all.filter { $0.record.street == "新安街道" }.map(\.id)
        #expect(!xinan.isEmpty)
        #expect(try query(DecisionFilter(street: "新安街道")) == xinan)
        #expect(try query(DecisionFilter(street: "新安")) == xinan)
        let code = ProfileCSVGenerator.creditCode(5)
        #expect(try query(DecisionFilter(creditCode: code)) == all.filter { $0.record.creditCode == code }.map(\.id))
        #expect(try query(DecisionFilter(creditCode: code)).count == 3)
        let both = all.filter { $0.decision.serviceID == "SVC-01" && $0.decision.outcome == .eligible && $0.record.street == "西乡街道" }
        #expect(try query(DecisionFilter(serviceID: "SVC-01", outcome: .eligible, street: "西乡街道")) == both.map(\.id))
        #expect(try query(DecisionFilter(limit: 7)) == Array(all.prefix(7)).map(\.id))
        #expect(throws: Diagnostic.self) { try query(DecisionFilter(serviceID: "NOPE-01")) }
        // A near miss gets a "did you mean" (analyst review: only the list of the run's services).
        #expect { try query(DecisionFilter(serviceID: "SVC01")) } throws: { "\($0)".contains("did you mean 'SVC-01'") }
    }

    @Test func decisionByIDAndBusinessLookup() throws {
        let f = try LoggedFixtureRun(rows: 40)
        let (logged, _) = try f.run()
        let first = try #require(try f.store.decisions(run: logged.runID).first)
        #expect(try f.store.decision(first.id) == first)
        #expect(try f.store.decision(DecisionID(run: logged.runID, row: 999, slot: 0)) == nil)
        let business = try #require(try f.store.business(run: logged.runID, creditCode: ProfileCSVGenerator.creditCode(3)))
        #expect(business.row == 3 && business.line == 4 && business.input == 0)
        #expect(business.name == "深圳市宝安区远航科技有限公司3")
        #expect(try f.store.business(run: logged.runID, creditCode: "000") == nil)
    }

    @Test func reviewsSurviveLaterRunsAndShowWhereTheyCameFrom() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let (first, _) = try f.run()
        let target = try #require(try f.store.decisions(run: first.runID, filter: DecisionFilter(serviceID: "SVC-01")).first)
        let review = try f.store.addReview(decision: target.id, verdict: .confirm, reviewer: "张三", note: "电话核实", at: "2025-06-02T08:00:00Z")
        #expect(review.outcome == target.decision.outcome && review.creditCode == target.record.creditCode)
        #expect(try f.store.decision(target.id)?.review == review)
        #expect(try f.store.decision(target.id)?.isReviewed == true)

        let (second, _) = try f.run()
        let later = DecisionID(run: second.runID, row: target.id.row, slot: target.id.slot)
        let carried = try #require(try f.store.decision(later))
        #expect(carried.review == review)
        #expect(carried.reviewIsCarriedOver && carried.isReviewed)
        #expect(carried.reviewText == "已确认 张三 (运行\(first.runID))")
        let unreviewed = try f.store.decisions(run: second.runID, filter: DecisionFilter(unreviewed: true))
        #expect(!unreviewed.contains { $0.id == later })
        #expect(unreviewed.count == (try f.store.decisions(run: second.runID)).count - 1)

        // A review in the later run wins there, and never shows in the earlier run.
        let rejection = try f.store.addReview(decision: later, verdict: .reject, reviewer: "李四", note: nil, at: "2025-07-01T08:00:00Z")
        #expect(try f.store.decision(later)?.review == rejection)
        #expect(try f.store.decision(target.id)?.review == review)
        #expect(try f.store.reviews(for: later) == [review, rejection])
        #expect(try f.store.reviews(for: target.id) == [review])
    }

    /// Reviewer and analyst reviews: a confirmation of 50,000 元 carried over as 已确认 to a later
    /// run that gave 80,000 元 (the cap rose), and `--unreviewed` hid it. A review carries over
    /// only with the same outcome and amount.
    @Test func aReviewDoesNotCarryOverToAChangedAmount() throws {
        let f = try LoggedFixtureRun(rows: 40, rejectEvery: nil)
        let (first, _) = try f.run(asOf: "2024-03-01")  // SVC-01's cap: 50,000 until 2024-07-01, then 80,000
        let eligible = try f.store.decisions(run: first.runID, filter: DecisionFilter(serviceID: "SVC-01", outcome: .eligible))
        let capped = try #require(eligible.first { $0.decision.amount == 50000 })
        let small = try #require(eligible.first { ($0.decision.amount ?? 0) < 50000 })
        let rejected = try #require(eligible.first { $0.decision.amount == 50000 && $0.id != capped.id })
        _ = try f.store.addReview(decision: rejected.id, verdict: .reject, reviewer: "李四", note: "资料不实", at: "2025-06-02T07:00:00Z")
        let review = try f.store.addReview(decision: capped.id, verdict: .confirm, reviewer: "孙审", note: nil, at: "2025-06-02T08:00:00Z")
        #expect(review.amount == "50000.00")
        // Kept as every listing shows an amount (review: `%.2f` kept 500.00 where listings showed
        // 500.01), and no negative zero.
        #expect(Review.amountText(1000.01 * 0.5) == DecisionFileWriter.money(1000.01 * 0.5))
        #expect(Review.amountText(-0.0) == "0.00" && Review.amountText(nil) == "")
        _ = try f.store.addReview(decision: small.id, verdict: .confirm, reviewer: "孙审", note: nil, at: "2025-06-02T08:01:00Z")

        let (second, _) = try f.run(asOf: "2025-06-01")
        let changed = try #require(try f.store.decision(DecisionID(run: second.runID, row: capped.id.row, slot: capped.id.slot)))
        #expect(changed.decision.amount == 80000 && changed.decision.outcome == .eligible)
        #expect(!changed.isReviewed)
        #expect(changed.reviewText == "未审核 (运行\(first.runID)审核时金额为 50000.00)")
        let same = try #require(try f.store.decision(DecisionID(run: second.runID, row: small.id.row, slot: small.id.slot)))
        #expect(same.isReviewed && same.reviewText == "已确认 孙审 (运行\(first.runID))")
        let unreviewed = try f.store.decisions(run: second.runID, filter: DecisionFilter(serviceID: "SVC-01", unreviewed: true)).map(\.id)
        #expect(unreviewed.contains(changed.id) && !unreviewed.contains(same.id))
        // A reject stands while the outcome does, whatever the amount (final review: an upgraded
        // log put a rejected business back on a delivered run's lists).
        let stillRejected = try #require(try f.store.decision(DecisionID(run: second.runID, row: rejected.id.row, slot: rejected.id.slot)))
        #expect(stillRejected.decision.amount != 50000 && stillRejected.decision.outcome == .eligible)
        #expect(stillRejected.isReviewed && stillRejected.review?.verdict == .reject, "\(String(describing: stillRejected.review))")
    }

    /// A review carries over to a later run's decision only when the same rule made it: the same
    /// rule id and the same text of its file, as each run records it (log v8). Another file of the
    /// bundle edited (another service's rule) keeps the review; the rule's own file edited, with the
    /// same outcome and amount, does not, for a confirmation or a reject, and says why.
    @Test func aReviewCarriesOverOnlyToADecisionOfTheSameRule() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let (first, _) = try f.run()
        let rent = try f.store.decisions(run: first.runID, filter: DecisionFilter(serviceID: "SVC-01"))
        let confirmed = try #require(rent.first { $0.decision.outcome == .eligible })
        let rejected = try #require(rent.first { $0.decision.outcome == .ineligible })
        let review = try f.store.addReview(decision: confirmed.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T08:00:00Z")
        _ = try f.store.addReview(decision: rejected.id, verdict: .reject, reviewer: "李四", note: "已迁出", at: "2025-06-02T08:01:00Z")
        let logged = try #require(try f.store.run(first.runID)?.provenance.rules.first { $0.id == "rent.relief" })
        #expect(logged.sourceSHA256 == LoggedRule.sourceSHA256(of: try #require(f.loaded.bundle.ruleFiles.first { $0.displayPath == logged.file })))
        #expect(logged.modules == "", "the rule requires no lib module")
        #expect(review.rule == RuleVersion(id: "rent.relief", sourceSHA256: logged.sourceSHA256, modules: "", bundleSHA256: f.loaded.bundle.sha256))
        #expect(try f.store.reviews(for: confirmed.id) == [review])

        func run(after edit: String) throws -> Int64 {
            let file = URL(fileURLWithPath: f.fixture.rulesDirectory).appendingPathComponent(edit)
            try Data((try String(contentsOf: file, encoding: .utf8) + "\n-- 复核 \(UUID())\n").utf8).write(to: file)
            let loaded = try f.fixture.bundle.load()
            let logged = try LoggedRun.start(store: f.store, loaded: loaded, options: f.options(), commandLine: "huiqi run (test)")
            _ = try logged.execute()
            return logged.runID
        }
        func later(_ run: Int64, _ d: LoggedDecision) throws -> LoggedDecision {
            try #require(try f.store.decision(DecisionID(run: run, row: d.id.row, slot: d.id.slot)))
        }
        // Another service's rule edited: the bundle differs, SVC-01's rule does not.
        let second = try run(after: "growth/revenue.lua")
        #expect(try f.store.run(second)?.provenance.rulesSHA256 != f.loaded.bundle.sha256)
        #expect(try later(second, confirmed).reviewText == "已确认 张三 (运行\(first.runID))")
        #expect(try later(second, rejected).isReviewed)

        // SVC-01's rule edited (a comment: the same outcomes and amounts): a new review is needed.
        let third = try run(after: "rent/relief.lua")
        let now = try later(third, confirmed), stillRejected = try later(third, rejected)
        #expect(now.decision.outcome == confirmed.decision.outcome && now.decision.amount == confirmed.decision.amount)
        #expect(!now.isReviewed && now.reviewText == "未审核 (运行\(first.runID)审核后规则 rent.relief 已修改)", "\(now.reviewText)")
        #expect(stillRejected.decision.outcome == .ineligible && !stillRejected.isReviewed)
        let unreviewed = try f.store.decisions(run: third, filter: DecisionFilter(serviceID: "SVC-01", unreviewed: true)).map(\.id)
        #expect(unreviewed.contains(now.id) && unreviewed.contains(stillRejected.id))
        #expect(try f.store.countDecisions(run: third, filter: DecisionFilter(serviceID: "SVC-01", unreviewed: true)) == unreviewed.count)
        #expect(unreviewed.count == (try f.store.decisions(run: third, filter: DecisionFilter(serviceID: "SVC-01"))).count)
    }

    /// A `lib/` module is part of the rules that require it (log v9): with the rule's file as it
    /// was but a module it requires edited, its decisions need a new review, and the reason names
    /// the module; a module no rule of the service requires edited keeps the review.
    @Test func aReviewDoesNotCarryOverOnceAModuleTheRuleRequiresChanged() throws {
        let f = try LoggedFixtureRun(rows: 30, rejectEvery: nil)
        let rules = URL(fileURLWithPath: f.fixture.rulesDirectory)
        func edit(_ relative: String, _ change: (String) -> String) throws {
            let file = rules.appendingPathComponent(relative)
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(change(text).utf8).write(to: file)
        }
        try edit("lib/rent_util.lua") { _ in "return { months = 3 }\n" }
        try edit("lib/other.lua") { _ in "return {}\n" }
        try edit("rent/relief.lua") { "local rent_util = require(\"rent_util\")\n" + $0 }
        func run() throws -> Int64 {
            let logged = try LoggedRun.start(store: f.store, loaded: try f.fixture.bundle.load(), options: f.options(),
                                             commandLine: "huiqi run (test)")
            _ = try logged.execute()
            return logged.runID
        }
        let first = try run()
        let rule = try #require(try f.store.run(first)?.provenance.rules.first { $0.id == "rent.relief" })
        #expect(rule.modules?.hasPrefix("rent_util ") == true && rule.modules?.contains("\n") == false, "\(rule.modules ?? "nil")")
        let decisions = try f.store.decisions(run: first, filter: DecisionFilter(serviceID: "SVC-01"))
        let confirmed = try #require(decisions.first { $0.decision.outcome == .eligible })
        let review = try f.store.addReview(decision: confirmed.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T08:00:00Z")
        #expect(review.rule?.modules == rule.modules)
        func later(_ run: Int64) throws -> LoggedDecision {
            try #require(try f.store.decision(DecisionID(run: run, row: confirmed.id.row, slot: confirmed.id.slot)))
        }

        try edit("lib/other.lua") { $0 + "-- 复核\n" }
        let second = try run()
        #expect(try later(second).reviewText == "已确认 张三 (运行\(first))")

        try edit("lib/rent_util.lua") { $0 + "-- 2026 复核\n" }
        let third = try run()
        let now = try later(third)
        #expect(now.decision.outcome == confirmed.decision.outcome && now.decision.amount == confirmed.decision.amount)
        #expect(!now.isReviewed && now.reviewText == "未审核 (运行\(first)审核后规则 rent.relief 所用的模块 lib/rent_util.lua 已修改)",
                "\(now.reviewText)")
        let (a, b) = (try #require(try f.store.run(second)), try #require(try f.store.run(third)))
        #expect(RunRecord.ruleChanges(of: "SVC-01", from: a, to: b)
                == ["rent.relief 所用的模块已修改 a module it requires changed (lib/rent_util.lua; 之前的审核不再沿用 earlier reviews do not carry over)"])
    }

    /// Reviewer review: 李四 rejected run 2's decision, then 张三 confirmed the same business ×
    /// service from run 1's export. Run 3 showed 李四's older reject (reviews ranked by run), and
    /// `lists` left the service off. The latest review made wins in later runs; a run's own
    /// review still wins in that run.
    @Test func theLatestReviewMadeWinsInLaterRunsWhateverRunItWasMadeIn() throws {
        let f = try LoggedFixtureRun(rows: 10, rejectEvery: nil)
        let (first, _) = try f.run()
        let (second, _) = try f.run()
        let target = try #require(try f.store.decisions(run: first.runID, filter: DecisionFilter(serviceID: "SVC-01")).first)
        let inSecond = DecisionID(run: second.runID, row: target.id.row, slot: target.id.slot)
        let rejection = try f.store.addReview(decision: inSecond, verdict: .reject, reviewer: "李四", note: "误判", at: "2025-07-01T08:00:00Z")
        let confirmation = try f.store.addReview(decision: target.id, verdict: .confirm, reviewer: "张三", note: nil, at: "2025-07-01T09:00:00Z")
        let (third, _) = try f.run()
        let inThird = DecisionID(run: third.runID, row: target.id.row, slot: target.id.slot)
        #expect(try f.store.decision(inThird)?.review == confirmation)
        #expect(try f.store.decisions(run: third.runID, filter: DecisionFilter(serviceID: "SVC-01"))
            .first { $0.id == inThird }?.review == confirmation)
        #expect(try f.store.decision(inSecond)?.review == rejection)  // its own review
        #expect(try f.store.decision(target.id)?.review == confirmation)
        #expect(try f.store.reviews(for: inThird) == [rejection, confirmation])  // in the order made
    }

    /// Crash-safety review: a full temporary directory (log diff sorts there) read as the log's
    /// disk being full, and a truncated log said only that it was no huiqi log. Each says where
    /// to look, or what to do.
    @Test func fullAndDamagedLogErrorsSayWhereToLookAndWhatToDo() {
        let full = SQLiteDecisionStore.diagnostic(DatabaseError(resultCode: .SQLITE_FULL), path: "h.db")
        #expect(full.message.contains("SQLITE_TMPDIR, else TMPDIR") && full.message.contains("磁盘已满"), "\(full)")
        let corrupt = SQLiteDecisionStore.diagnostic(DatabaseError(resultCode: .SQLITE_CORRUPT), path: "h.db")
        #expect(corrupt.message.contains("日志已损坏") && corrupt.message.contains("from a backup"), "\(corrupt)")
    }

    /// Reviewer review: `review --db other.db` (a mistyped path) switched another program's SQLite
    /// file to WAL and added huiqi's tables, though the review then failed; an empty file became a log.
    @Test func aWriterRefusesAFileThatIsNotAHuiqiLogAndLeavesItAlone() throws {
        let fixture = try DecisionLogFixture()
        let foreign = fixture.path("other.db")
        try DatabaseQueue(path: foreign).write { db in try db.execute(sql: "CREATE TABLE t(x); INSERT INTO t VALUES (1)") }
        let before = try Data(contentsOf: URL(fileURLWithPath: foreign))
        for create in [false, true] {
            #expect { try SQLiteDecisionStore(path: foreign, create: create) } throws: { error in
                "\(error)".contains("not a huiqi decision log")
            }
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)
        #expect(!FileManager.default.fileExists(atPath: foreign + "-wal"))
        // Through a link to it too (code review).
        let link = fixture.path("link.db")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: foreign)
        #expect { try SQLiteDecisionStore(path: link, create: true) } throws: { "\($0)".contains("not a huiqi decision log") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: foreign)) == before)

        let text = fixture.path("notes.db")
        try Data("不是数据库\n".utf8).write(to: URL(fileURLWithPath: text))
        #expect { try SQLiteDecisionStore(path: text, create: true) } throws: { "\($0)".contains("not an SQLite database") }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "不是数据库\n")

        // An empty file is no log to review in, but a new log for a run.
        let empty = fixture.path("empty.db")
        #expect(FileManager.default.createFile(atPath: empty, contents: Data()))
        #expect { try SQLiteDecisionStore(path: empty, create: false) } throws: { "\($0)".contains("no decision log here") }
        #expect(try Data(contentsOf: URL(fileURLWithPath: empty)).isEmpty)
        #expect(try SQLiteDecisionStore(path: empty, create: true).appliedMigrations() == ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9"])
    }

    /// Logs a hand-made run of one business whose two services have `outcome`; returns its id.
    private func logOneBusinessRun(_ store: SQLiteDecisionStore, _ loaded: LoadedBundle, _ outcome: Outcome) throws -> Int64 {
        let run = try store.createRun(DecisionLogFixture.handMadeProvenance(), startedAt: "2025-06-01T00:00:00Z")
        let sink = try store.sink(forRun: run, schema: loaded.schema)
        let records = ["SVC-01", "SVC-02"].map { id in
            DecisionRecord(creditCode: "91350100M000100Y43", name: "测试企业", street: "", serviceName: "服务\(id)",
                           decision: Decision(serviceID: id, ruleID: "rule.\(id.lowercased())", outcome: outcome, reasons: ["条件甲"],
                                              conditions: [ConditionResult(label: "条件甲", state: outcome == .eligible ? .passed : .failed),
                                                           ConditionResult(label: "条件乙", state: .passed)]))
        }
        try sink.consume(EvaluatedProfile(profile: BundleFixture.profile(loaded.schema, [:]), records: records), row: 1)
        try sink.commit(rowsRead: 1)
        try store.markRun(run, status: .completed, endedAt: "2025-06-01T00:01:00Z")
        return run
    }

    @Test func anEarlierReviewOfAnotherOutcomeDoesNotCount() throws {
        let fixture = try DecisionLogFixture()
        let store = try SQLiteDecisionStore(path: fixture.path("log.db"))
        let loaded = try fixture.bundle.load()
        func logRun(_ outcome: Outcome) throws -> Int64 { try logOneBusinessRun(store, loaded, outcome) }
        let a = try logRun(.eligible)
        _ = try store.addReview(decision: DecisionID(run: a, row: 1, slot: 0), verdict: .confirm, reviewer: "张三", note: nil, at: "2025-06-02T00:00:00Z")
        let b = try logRun(.ineligible)
        let now = try #require(try store.decision(DecisionID(run: b, row: 1, slot: 0)))
        #expect(now.review?.run == a)
        #expect(!now.isReviewed)
        #expect(now.reviewText.contains("审核时为符合"))
        #expect(try store.decisions(run: b, filter: DecisionFilter(unreviewed: true)).count == 2)
    }

    /// Code review: run 1 ineligible, runs 2 and 3 eligible. A reject of run 2's decision applies
    /// in run 3; a later confirm of run 1's (another outcome) must not hide it, or the rejected
    /// business goes back on run 3's lists.
    @Test func aLaterReviewOfAnotherOutcomeDoesNotHideOneThatApplies() throws {
        let fixture = try DecisionLogFixture()
        let store = try SQLiteDecisionStore(path: fixture.path("log.db"))
        let loaded = try fixture.bundle.load()
        func logRun(_ outcome: Outcome) throws -> Int64 { try logOneBusinessRun(store, loaded, outcome) }
        let r1 = try logRun(.ineligible), r2 = try logRun(.eligible), r3 = try logRun(.eligible)
        let rejection = try store.addReview(decision: DecisionID(run: r2, row: 1, slot: 0), verdict: .reject, reviewer: "李四", note: nil,
                                            at: "2025-07-01T00:00:00Z")
        _ = try store.addReview(decision: DecisionID(run: r1, row: 1, slot: 0), verdict: .confirm, reviewer: "张三", note: nil,
                                at: "2025-07-02T00:00:00Z")
        let now = try #require(try store.decision(DecisionID(run: r3, row: 1, slot: 0)))
        #expect(now.review == rejection && now.isReviewed)
        #expect(try store.decisions(run: r3, filter: DecisionFilter(serviceID: "SVC-01", unreviewed: true)).isEmpty)
        // Run 1's own decision shows its own review.
        #expect(try store.decision(DecisionID(run: r1, row: 1, slot: 0))?.review?.reviewer == "张三")
    }

    @Test func reviewOfAnUnknownDecisionIsRefused() throws {
        let f = try LoggedFixtureRun(rows: 5, rejectEvery: nil)
        let (logged, _) = try f.run()
        #expect(throws: Diagnostic.self) {
            try f.store.addReview(decision: DecisionID(run: logged.runID, row: 77, slot: 0), verdict: .confirm, reviewer: "x", note: nil, at: "t")
        }
    }

    @Test func aRunLeftRunningByADeadProcessReadsAsInterrupted() throws {
        let fixture = try DecisionLogFixture()
        let store = try SQLiteDecisionStore(path: fixture.path("log.db"))
        let dead = ProcessIdentity(pid: try DecisionLogFixture.deadPID(), host: ProcessIdentity.currentHost, startTicks: nil)
        let orphan = try store.createRun(DecisionLogFixture.handMadeProvenance(process: dead), startedAt: "2025-06-01T00:00:00Z")
        let alive = try store.createRun(DecisionLogFixture.handMadeProvenance(process: .current), startedAt: "2025-06-01T00:00:00Z")
        #expect(try store.run(orphan)?.recordedStatus == .running)
        #expect(try store.run(orphan)?.status == .interrupted)
        #expect(try store.run(alive)?.status == .running)

        #expect(throws: Diagnostic.self) { try store.reopenRun(alive, process: .current) }
        let reopened = try store.reopenRun(orphan, process: .current)
        #expect(reopened.provenance.process == .current && reopened.status == .running)
        try store.markRun(orphan, status: .completed, endedAt: "2025-06-01T01:00:00Z")
        #expect(throws: Diagnostic.self) { try store.reopenRun(orphan, process: .current) }
    }

    /// Texts are stored by their bytes. Swift's `==` treats canonically equivalent strings as
    /// equal (a CJK compatibility ideograph and its unified form, é composed or not), so keying the
    /// text cache by `String` gave the second spelling the first one's row.
    @Test func canonicallyEquivalentReasonsKeepTheirOwnBytes() throws {
        // The fixture held for the whole test: released, it removes the log the store writes.
        let fixture = try DecisionLogFixture()
        defer { withExtendedLifetime(fixture) {} }
        let (store, run, sink, profile) = try fixture.handMadeRun()
        #expect(FileManager.default.fileExists(atPath: store.path))
        let spellings = ["\u{8C48}", "\u{F900}", "Caf\u{E9}", "Cafe\u{301}"]
        #expect(spellings[0] == spellings[1] && spellings[2] == spellings[3])  // what String's == says
        for (i, reason) in spellings.enumerated() {
            let record = DecisionLogFixture.handMadeRecord(reasons: [reason])
            try sink.consume(EvaluatedProfile(profile: profile, records: [record]), row: i + 1)
            if i == 0 { try sink.commit(rowsRead: 1) }  // one spelling committed before the other arrives
        }
        try sink.commit(rowsRead: spellings.count)
        let stored = try store.decisions(run: run).map { Array(($0.decision.reasons.first ?? "").utf8) }
        #expect(stored == spellings.map { Array($0.utf8) })
    }

    @Test func aFailedCommitLeavesNothingBehind() throws {
        let fixture = try DecisionLogFixture()
        defer { withExtendedLifetime(fixture) {} }
        let (store, run, sink, profile) = try fixture.handMadeRun()
        #expect(FileManager.default.fileExists(atPath: store.path))
        func record(_ reason: String) -> [DecisionRecord] { [DecisionLogFixture.handMadeRecord(reasons: [reason])] }
        try sink.consume(EvaluatedProfile(profile: profile, records: record("第一")), row: 1)
        try sink.commit(rowsRead: 1)
        // Row 1 again: the primary key refuses it, the whole transaction (with its new text) rolls back.
        try sink.consume(EvaluatedProfile(profile: profile, records: record("新理由")), row: 2)
        try sink.consume(EvaluatedProfile(profile: profile, records: record("第一")), row: 1)
        #expect(throws: Diagnostic.self) { try sink.commit(rowsRead: 3) }
        #expect(try store.rowsCommitted(run: run) == 1)
        #expect(try store.decisions(run: run).count == 1)
        #expect(FileManager.default.fileExists(atPath: store.path))
    }

    /// The sink remembers which texts recent decision patterns (missing fields included) resolved
    /// to. A failed commit rolls back the texts it had just interned: a pattern first seen in that
    /// chunk must not keep pointing at them when it comes back in the next one.
    @Test func aPatternFirstSeenInAFailedCommitIsStoredRightAfterIt() throws {
        let engine = try FixtureEngine()
        let (fixture, loaded) = (engine.fixture, engine.loaded)
        let complete = engine.evaluated(FixtureEngine.complete)
        let lacking = engine.evaluated(["state_owned_premises": .boolean(true)])  // no employees, revenue, dates: missing-field patterns
        #expect(lacking.results.contains { !$0.missing.isEmpty })

        func log(_ name: String, failingOnce: Bool) throws -> [LoggedDecision] {
            let store = try SQLiteDecisionStore(path: fixture.path(name))
            let run = try store.createRun(DecisionLogFixture.handMadeProvenance(services: DecisionLogFixture.services),
                                          startedAt: "2025-06-01T00:00:00Z")
            let sink = try store.sink(forRun: run, schema: loaded.schema)
            try sink.consume(complete, row: 1)
            try sink.commit(rowsRead: 1)
            if failingOnce {
                try sink.consume(lacking, row: 2)
                try sink.consume(complete, row: 1)  // the primary key refuses row 1 again: all of it rolls back
                #expect(throws: Diagnostic.self) { try sink.commit(rowsRead: 3) }
            }
            try sink.consume(lacking, row: 2)
            try sink.consume(lacking, row: 3)
            try sink.commit(rowsRead: 3)
            return try store.decisions(run: run)  // run 1 in both logs
        }
        let clean = try log("clean.db", failingOnce: false)
        let recovered = try log("recovered.db", failingOnce: true)
        #expect(clean.count == 3 * DecisionLogFixture.services.count)
        #expect(recovered == clean)
    }

    /// An `evaluate` rule that lacks a field reads "缺少数据" when `evaluate` read it and
    /// "无法计算金额" when the amount did: everything else about the two results is the same (slot,
    /// rule, outcome, no condition bits, the missing field), and the sink caches texts by pattern.
    @Test func missingDataInEvaluateAndInTheAmountAreLoggedApart() throws {
        let bundle = try BundleFixture(files: ["r.lua": """
            return { id = "r", service = "SVC-01",
              evaluate = function(p) if p.employees > 10 then return eligible("大") end return p.revenue > 0 end,
              amount = function(p) return p.revenue end }
            """])
        let loaded = try bundle.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let store = try SQLiteDecisionStore(path: bundle.root.appendingPathComponent("log.db").path)
        let run = try store.createRun(DecisionLogFixture.handMadeProvenance(services: ["SVC-01"]), startedAt: "2025-06-01T00:00:00Z")
        let sink = try store.sink(forRun: run, schema: loaded.schema)
        let rows: [(employees: Int64, expected: String)] = [(20, "无法计算金额"), (5, "缺少数据"), (20, "无法计算金额"), (5, "缺少数据")]
        for (row, r) in rows.enumerated() {
            let profile = BundleFixture.profile(loaded.schema, ["employees": .integer(r.employees)])
            try sink.consume(EvaluatedProfile(profile: profile, results: runtime.evaluate(profile), builder: runtime.builder), row: row + 1)
        }
        try sink.commit(rowsRead: rows.count)
        let logged = try store.decisions(run: run)
        #expect(logged.map(\.record.decision.outcome) == Array(repeating: .undetermined, count: rows.count))
        #expect(logged.map { $0.record.decision.reasons } == rows.map { ["\($0.expected): 年营业收入(万元)(revenue)"] })
    }

    /// After a failed commit the sink drops the recent patterns that point at rolled-back texts;
    /// the next commit that succeeds must not try to resolve what it dropped (it crashed when that
    /// commit brought fewer new texts than the dropped references named). Found in review.
    @Test func theCommitAfterAFailedOneIgnoresThePatternsItDropped() throws {
        let engine = try FixtureEngine()
        let (fixture, loaded, evaluated) = (engine.fixture, engine.loaded, engine.evaluated)
        var complete = FixtureEngine.complete
        let store = try SQLiteDecisionStore(path: fixture.path("stale.db"))
        let run = try store.createRun(DecisionLogFixture.handMadeProvenance(services: DecisionLogFixture.services),
                                      startedAt: "2025-06-01T00:00:00Z")
        let sink = try store.sink(forRun: run, schema: loaded.schema)
        try sink.consume(evaluated(complete), row: 1)
        try sink.commit(rowsRead: 1)
        // Three businesses lacking different fields: several new texts, then a duplicate row.
        try sink.consume(evaluated(["state_owned_premises": .boolean(true)]), row: 2)
        try sink.consume(evaluated(["employees": .integer(5)]), row: 3)
        try sink.consume(evaluated(["employees": .integer(500), "revenue": .decimal(10)]), row: 4)
        try sink.consume(evaluated(complete), row: 1)
        #expect(throws: Diagnostic.self) { try sink.commit(rowsRead: 5) }
        complete["street"] = .string("新街道")  // the only new text of the next commit
        try sink.consume(evaluated(complete), row: 2)
        try sink.commit(rowsRead: 2)
        #expect(try store.decisions(run: run).count == 2 * DecisionLogFixture.services.count)
    }
}

/// Errors collected from concurrent work.
private final class LockedList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func append(_ s: String) { lock.withLock { list.append(s) } }
    var items: [String] { lock.withLock { list } }
}

/// `DecisionLogFixture`'s rules in a runtime, for sink tests that feed it the engine's own results.
private struct FixtureEngine {
    /// A business for which every rule of the fixture decides without missing data.
    static let complete: [String: FieldValue] = [
        "employees": .integer(5), "revenue": .decimal(3000), "monthly_rent": .decimal(100), "state_owned_premises": .boolean(true),
        "established_on": .date("2020-01-01"), "industry_code": .string("C3484"),
    ]
    let fixture: DecisionLogFixture
    let loaded: LoadedBundle
    let runtime: RuleRuntime

    init() throws {
        fixture = try DecisionLogFixture()
        loaded = try fixture.bundle.load()
        runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
    }

    func evaluated(_ values: [String: FieldValue]) -> EvaluatedProfile {
        let profile = BundleFixture.profile(loaded.schema, values)
        return EvaluatedProfile(profile: profile, results: runtime.evaluate(profile), builder: runtime.builder)
    }
}
