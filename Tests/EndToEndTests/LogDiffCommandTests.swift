import Foundation
import Huiqi
import TestSupport
import Testing

/// `huiqi log diff`: which businesses a rule change affects (PRODUCT.md §1; found missing in the
/// analyst review, who diffed two exports and saw every line differ by its decision id).
@Suite struct LogDiffCommandTests {
    private let tempDirectory: TemporaryDirectory
    private var temp: URL { tempDirectory.url }

    init() throws { tempDirectory = try TemporaryDirectory(prefix: "huiqi-diff") }

    private func huiqi(_ args: [String]) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: temp)
    }

    private func lines(_ text: String) -> [Substring] { text.split(whereSeparator: \.isNewline) }

    @Test func aStricterParamListsTheBusinessesItTurnsAway() throws {
        let fm = FileManager.default
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Rules"))
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Draft"))
        let catalog = temp.appendingPathComponent("Draft/catalog.yaml")
        let text = try String(contentsOf: catalog, encoding: .utf8)
        #expect(text.contains("min_insured_months: 1\n"))
        try Data(text.replacingOccurrences(of: "min_insured_months: 1\n", with: "min_insured_months: 3\n").utf8).write(to: catalog)
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        #expect(try huiqi(["run", profiles, "--as-of", "2025-06-01", "--db", "t.db"]).status == 0)
        #expect(try huiqi(["run", profiles, "--as-of", "2025-06-01", "--rules", "Draft", "--db", "t.db"]).status == 0)

        func eligible(_ run: Int) throws -> Int {
            lines(try huiqi(["log", "show", "\(run)", "--service", "EMP-02", "--outcome", "eligible", "--format", "csv", "--db", "t.db"]).stdout).count - 1
        }
        let turnedAway = try eligible(1) - eligible(2)
        #expect(turnedAway > 0)

        let table = try huiqi(["log", "diff", "1", "2", "--db", "t.db"])
        #expect(table.status == 0, "\(table.stderr)")
        let rows = lines(table.stdout).filter { $0.contains(" EMP-02 ") || $0.contains("  EMP-02  ") }
        #expect(!rows.isEmpty)
        #expect(!table.stdout.contains("FIN-0") && !table.stdout.contains("RENT-"), "only EMP-02 changed: \(table.stdout)")
        #expect(table.stdout.contains("only in run 1: 0, only in run 2: 0 businesses"))

        let jsonl = try huiqi(["log", "diff", "1", "2", "--format", "jsonl", "--db", "t.db"])
        let changes = try lines(jsonl.stdout).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(changes.allSatisfy { $0["service_id"] as? String == "EMP-02" })
        let fromEligible = changes.filter { (($0["before"] as? [String: Any])?["outcome"] as? String) == "eligible" }
        #expect(fromEligible.count == turnedAway, "every business EMP-02 no longer finds eligible, and no other")
        #expect(jsonl.stderr.contains("变化 changed: \(changes.count) decisions"), "\(jsonl.stderr)")
        // Each change carries its decision ids, which `review` and `explain` take (reviewer review).
        let first = try #require(changes.first)
        let afterID = try #require((first["after"] as? [String: Any])?["decision_id"] as? Int)
        let beforeID = try #require((first["before"] as? [String: Any])?["decision_id"] as? Int)
        #expect(afterID / 1_000_000_000_000 == 2 && beforeID / 1_000_000_000_000 == 1 && afterID % 1_000_000_000_000 == beforeID % 1_000_000_000_000)
        #expect(table.stdout.contains("\(afterID)"))
        #expect(try huiqi(["review", "\(afterID)", "--confirm", "--by", "张三", "--db", "t.db"]).status == 0)

        // CSV redirected to a file opens in Excel: a BOM and Chinese headers.
        let csv = try huiqi(["log", "diff", "1", "2", "--format", "csv", "--db", "t.db"])
        #expect(Array(csv.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(lines(csv.stdout).count == changes.count + 1)
        #expect(csv.stdout.contains("决定编号,统一社会信用代码,企业名称,所属街道,服务编号,服务名称,变化,运行1结果,运行2结果"))
        #expect(csv.stdout.contains("\"=\"\"\(afterID)\"\"\""))

        // --out writes every change to a file Excel opens (split past its row limit), and says so;
        // a table of every change is printed a page at a time (district-scale review: 6.5 GB).
        let file = try huiqi(["log", "diff", "1", "2", "--out", "diff.csv", "--db", "t.db"])
        #expect(file.status == 0 && file.stdout.contains("\(changes.count) 条变化 changes → diff.csv"), "\(file.stdout)\(file.stderr)")
        let written = try CSVTable(contentsOf: temp.appendingPathComponent("diff.csv").path)
        #expect(written.rows.count == changes.count && written.header.first == "决定编号")
        let all = try huiqi(["log", "diff", "1", "2", "--limit", "0", "--db", "t.db"])
        #expect(lines(all.stdout).filter { $0.prefix(13).allSatisfy(\.isNumber) && $0.count > 13 }.count == changes.count)
        #expect(try huiqi(["log", "diff", "1", "2", "--out", "diff.txt", "--db", "t.db"]).status != 0)

        // A run against itself: nothing changed.
        #expect(try huiqi(["log", "diff", "1", "1", "--db", "t.db"]).stdout.contains("no decision changed (没有变化的决定)"))
    }

    /// The yearly update: a new year's amounts change only the catalog (dated params). The diff
    /// listed the changed amounts with the same reasons as before and a new rules hash, and nothing
    /// in the log said which values either run decided with (analyst review). Each run now keeps
    /// its services' params as resolved on its as-of date: `log runs RUN` shows them, and `log
    /// diff` says which changed, and which services only one run evaluated.
    @Test func aNewYearsAmountsSayWhichParamsChanged() throws {
        let fm = FileManager.default
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Rules"))
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Draft"))
        let catalog = temp.appendingPathComponent("Draft/catalog.yaml")
        let text = try String(contentsOf: catalog, encoding: .utf8)
        let old = "      relief_months: 3\n      cap: 100000\n"
        #expect(text.contains(old))
        try Data(text.replacingOccurrences(of: old, with: """
                  relief_months: { "2025-01-01": 3, "2026-01-01": 2 }
                  cap: { "2025-01-01": 100000, "2026-01-01": 80000 }

            """).utf8).write(to: catalog)
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        for (asOf, rules) in [("2026-03-01", "Rules"), ("2026-03-01", "Draft"), ("2025-06-01", "Rules"), ("2025-06-01", "Draft"), ("2027-03-01", "Rules")] {
            let run = try huiqi(["run", profiles, "--as-of", asOf, "--rules", rules, "--db", "t.db"])
            #expect(run.status == 0, "\(run.stderr)")
        }

        let diff = try huiqi(["log", "diff", "1", "2", "--db", "t.db"])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.contains("  RENT-02  金额变化 "))
        #expect(diff.stdout.contains("参数变化 params changed (运行1 → 运行2):\n  RENT-02  cap 100000 → 80000; relief_months 3 → 2\n"), "\(diff.stdout)")
        #expect(!diff.stdout.contains("evaluated only in run"))
        // Only the service asked for.
        #expect(!(try huiqi(["log", "diff", "1", "2", "--service", "EMP-01", "--db", "t.db"]).stdout.contains("参数变化")))

        // The new bundle on last year's date decides as last year: the old values stand.
        let backdated = try huiqi(["log", "diff", "3", "4", "--db", "t.db"])
        #expect(backdated.stdout.contains("no decision changed (没有变化的决定)") && !backdated.stdout.contains("参数变化"), "\(backdated.stdout)")

        let run2 = try huiqi(["log", "runs", "2", "--db", "t.db"]).stdout
        #expect(run2.contains("参数 params (2026-03-01): cap=80000, exclude_dishonest=true, relief_months=2"), "\(run2)")
        #expect(try huiqi(["log", "runs", "4", "--db", "t.db"]).stdout.contains("参数 params (2025-06-01): cap=100000, exclude_dishonest=true, relief_months=3"))

        // `explain` shows the params an amount came from: evaluated now, and from the log once the
        // bundle has changed since the run.
        let live = try huiqi(["explain", "91440300MA5UYC91J1", "--profiles", profiles, "--rules", "Draft", "--as-of", "2025-06-01", "--service", "RENT-02"])
        #expect(live.stdout.contains("  参数 params: cap=100000, exclude_dishonest=true, relief_months=3\n"), "\(live.stdout)\(live.stderr)")
        try Data((try String(contentsOf: catalog, encoding: .utf8) + "\n").utf8).write(to: catalog)
        let logged = try huiqi(["explain", "91440300MA5UYC91J1", "--run", "2", "--service", "RENT-02", "--db", "t.db"])
        #expect(logged.stdout.contains("字段值不可用") && logged.stdout.contains("  参数 params: cap=80000, exclude_dishonest=true, relief_months=2\n"),
                "\(logged.stdout)\(logged.stderr)")

        // A year on, the services whose windows closed at the end of 2026 are not evaluated: said by name.
        let later = try huiqi(["log", "diff", "1", "5", "--db", "t.db"])
        #expect(later.stdout.contains("只在运行1中评估 evaluated only in run 1: FIN-08, RENT-02, EMP-01, EMP-02"), "\(later.stdout)")
        // The summary in the catalog's order, the services only run 1 evaluated where they stand in it.
        let order = lines(later.stdout).compactMap { line -> String? in
            guard line.hasPrefix("  "), let id = line.split(separator: " ").first, ServiceIDText.looksLikeID(id) else { return nil }
            return String(id)
        }
        let catalogOrder = ["FIN-01", "FIN-02", "FIN-04", "FIN-05", "FIN-06", "FIN-07", "FIN-08", "RENT-02", "EMP-01", "EMP-02",
                            "GRO-01", "GRO-02", "GRO-03", "GRO-04", "QUA-01", "QUA-02", "QUA-03", "PARTY-01", "PARTY-02", "COM-01", "COM-02",
                            "SVC-01", "SVC-02", "RWD-01"]
        #expect(order.contains("RENT-02") && order.contains("GRO-01") && order == catalogOrder.filter(order.contains), "\(order)")
    }

    /// Runs 1–3 of the yearly update, all on 2026-03-01: the published rules; a draft in which
    /// RENT-02's 2025 rule ends and a 2026 rule (other conditions) begins, with catalog 2026.1;
    /// the draft on the profiles without their last row. Returns the draft's 2025 rule file and
    /// those profiles.
    private func newYearRuns() throws -> (ruleFile: URL, edited: String) {
        let fm = FileManager.default
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Rules"))
        try fm.copyItem(at: HuiqiBinary.packageRoot.appendingPathComponent("Rules"), to: temp.appendingPathComponent("Draft"))
        let ruleFile = temp.appendingPathComponent("Draft/rent/rent02_state_premises_annual.lua")
        let rule = try String(contentsOf: ruleFile, encoding: .utf8)
        #expect(rule.contains("  service = \"RENT-02\",\n"))
        try Data(rule.replacingOccurrences(of: "  service = \"RENT-02\",\n", with: "  service = \"RENT-02\",\n  effective = { to = \"2025-12-31\" },\n").utf8).write(to: ruleFile)
        try Data("""
            local baoan = require("baoan")
            return {
              id = "rent.state-premises.2026", service = "RENT-02", subjects = { "enterprise", "individual" },
              effective = { from = "2026-01-01" },
              conditions = {
                { "个体工商户, 或制造业小微企业", function(p)
                    if p.subject_type == "individual" then return true end
                    return baoan.is_manufacturing(p) and baoan.is_small_or_micro(p)
                  end },
                { "承租国有物业(最终承租人)", function(p) return p.state_owned_premises end },
              },
              amount = function(p, ctx) return math.min(p.monthly_rent * ctx.params.relief_months, ctx.params.cap) end,
            }
            """.utf8).write(to: temp.appendingPathComponent("Draft/rent/rent02_state_premises_2026.lua"))
        let catalog = temp.appendingPathComponent("Draft/catalog.yaml")
        let text = try String(contentsOf: catalog, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "version: \"2024.3\"", with: "version: \"2026.1\"").utf8).write(to: catalog)
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        let source = try String(contentsOf: URL(fileURLWithPath: profiles), encoding: .utf8)
        let edited = try fm.temporaryFileCopy(of: source, in: temp, named: "profiles2026.csv")
        for (input, rules) in [(profiles, "Rules"), (profiles, "Draft"), (edited, "Draft")] {
            let run = try huiqi(["run", input, "--as-of", "2026-03-01", "--rules", rules, "--db", "t.db"])
            #expect(run.status == 0, "\(run.stderr)")
        }
        return (ruleFile, edited)
    }

    /// Yearly-update review: a service's conditions changed for the new year (last year's rule
    /// given an end, a new rule from the new year), and the diff said only which params changed:
    /// not that RENT-02 has a new rule, nor whether the two runs read the same profiles, so a
    /// reviewer could not tell a new rule from changed data. The summary now says which rules of
    /// each service were added, removed or have other conditions, and whether the inputs and the
    /// catalog version are the same.
    @Test func aNewYearsRulesAndInputsAreNamedInTheSummary() throws {
        let (ruleFile, edited) = try newYearRuns()

        let diff = try huiqi(["log", "diff", "1", "2", "--db", "t.db"])
        #expect(diff.status == 0, "\(diff.stderr)")
        // Last year's rule was given an end: its file changed too.
        #expect(diff.stdout.contains("规则变化 rules changed (运行1 → 运行2):\n  RENT-02  新增 added rent.state-premises.2026; "
                                     + "rent.state-premises.annual 规则文件已修改 its file changed (Draft/rent/rent02_state_premises_annual.lua; "
                                     + "之前的审核不再沿用 earlier reviews do not carry over)\n"), "\(diff.stdout)")
        #expect(diff.stdout.contains("服务目录版本 catalog 2024.3 → 2026.1"), "\(diff.stdout)")
        #expect(diff.stdout.contains("输入 inputs: 相同 the same files (SHA-256)"), "\(diff.stdout)")

        // The same rules on other profiles: the inputs are named, and no rule changed.
        let data = try huiqi(["log", "diff", "2", "3", "--db", "t.db"])
        #expect(!data.stdout.contains("规则变化") && !data.stdout.contains("服务目录版本"), "\(data.stdout)")
        #expect(data.stdout.contains("输入 inputs 不同 differ: profiles.csv ("), "\(data.stdout)")
        #expect(data.stdout.contains(") → profiles2026.csv ("), "\(data.stdout)")
        #expect(!data.stdout.contains("规则包不同"), "the same bundle: \(data.stdout)")

        // A rule's code edited between two runs (its id and labels as they were): the log keeps
        // each rule file's SHA-256 (v8), so the rule is named, and that earlier reviews of its
        // decisions do not carry over (a reviewer is sent here to find the services to review again).
        try Data((try String(contentsOf: ruleFile, encoding: .utf8) + "\n-- 2026-03 复核\n").utf8).write(to: ruleFile)
        #expect(try huiqi(["run", edited, "--as-of", "2026-03-01", "--rules", "Draft", "--db", "t.db"]).status == 0)
        let code = try huiqi(["log", "diff", "3", "4", "--db", "t.db"])
        #expect(code.stdout.contains("规则变化 rules changed (运行3 → 运行4):\n  RENT-02  rent.state-premises.annual 规则文件已修改 its file changed "
                                     + "(Draft/rent/rent02_state_premises_annual.lua; 之前的审核不再沿用 earlier reviews do not carry over)\n"), "\(code.stdout)")
        #expect(!code.stdout.contains("规则包不同"), "the rule is named instead: \(code.stdout)")
        #expect(!diff.stdout.contains("规则包不同"), "rules that differ are named instead: \(diff.stdout)")
        // Another file of the bundle edited (a test file), the rule files as they were: the
        // summary says so rather than leaving the reader to compare the two hashes of the header.
        let testFile = temp.appendingPathComponent("Draft/rent/rent02_state_premises_annual_test.lua")
        try Data((try String(contentsOf: testFile, encoding: .utf8) + "\n-- 2026-03 复核\n").utf8).write(to: testFile)
        #expect(try huiqi(["run", edited, "--as-of", "2026-03-01", "--rules", "Draft", "--db", "t.db"]).status == 0)
        let other = try huiqi(["log", "diff", "4", "5", "--db", "t.db"])
        #expect(other.stdout.contains("规则包不同 the rules bundles differ (SHA-256), with the same rules, conditions and params: "
                                      + "the rule files and the lib modules they require are the same (SHA-256), so a test file, "
                                      + "a module no rule requires or another file of the bundle changed"),
                "\(other.stdout)")
        #expect(!other.stdout.contains("规则变化"), "\(other.stdout)")
        // A lib module edited, the rule files as they were (log v9): each rule that requires it
        // is named with the module, since its decisions no longer take earlier reviews over.
        let module = temp.appendingPathComponent("Draft/lib/baoan.lua")
        try Data((try String(contentsOf: module, encoding: .utf8) + "\n-- 2026-03 复核\n").utf8).write(to: module)
        #expect(try huiqi(["run", edited, "--as-of", "2026-03-01", "--rules", "Draft", "--db", "t.db"]).status == 0)
        let lib = try huiqi(["log", "diff", "5", "6", "--db", "t.db"])
        #expect(lib.stdout.contains("规则变化 rules changed (运行5 → 运行6):\n"), "\(lib.stdout)")
        #expect(lib.stdout.contains("rent.state-premises.annual 所用的模块已修改 a module it requires changed "
                                    + "(lib/baoan.lua; 之前的审核不再沿用 earlier reviews do not carry over)"), "\(lib.stdout)")
        #expect(!lib.stdout.contains("规则包不同"), "the rules are named instead: \(lib.stdout)")
    }

    /// Yearly-update review: a confirmation made on last year's run carried over to this year's
    /// decision with the same outcome and amount also when a new rule decided it, so the new
    /// year's decisions showed as 已确认 and left `--unreviewed`. A review carries over only to a
    /// decision of the same rule (the same id and file text, as each run records them): here the
    /// new rule's decision needs a new review, and `log show` and `explain` say why. A review
    /// carried over to the same rule on another as-of date says which date it reviewed.
    @Test func aReviewDoesNotCarryOverToAnotherRulesDecision() throws {
        _ = try newYearRuns()
        let code = "92440300MA5A0XP6QU"
        func decision(_ run: Int) throws -> [String: Any] {
            let out = try huiqi(["log", "show", "\(run)", "--firm", code, "--service", "RENT-02", "--format", "jsonl", "--db", "t.db"])
            return try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any], "\(out.stdout)")
        }
        let before = try decision(1)
        #expect(before["outcome"] as? String == "eligible" && before["rule_id"] as? String == "rent.state-premises.annual", "\(before)")
        let id = try #require(before["decision_id"] as? Int)
        #expect(try huiqi(["review", "\(id)", "--confirm", "--by", "张三", "--db", "t.db"]).status == 0)
        let after = try decision(2)
        #expect(after["outcome"] as? String == "eligible" && after["rule_id"] as? String == "rent.state-premises.2026", "\(after)")
        #expect(after["amount"] as? Double == before["amount"] as? Double, "the same amount: \(before) \(after)")

        let shown = try huiqi(["log", "show", "2", "--firm", code, "--service", "RENT-02", "--db", "t.db"])
        #expect(shown.stdout.contains("未审核 (运行1审核时为规则 rent.state-premises.annual 的决定)"), "\(shown.stdout)")
        let unreviewed = try huiqi(["log", "show", "2", "--firm", code, "--service", "RENT-02", "--unreviewed", "--format", "jsonl", "--db", "t.db"])
        #expect(unreviewed.stdout.contains("\"rule_id\":\"rent.state-premises.2026\""), "\(unreviewed.stdout)")
        let explained = try huiqi(["explain", code, "--run", "2", "--service", "RENT-02", "--db", "t.db"])
        #expect(explained.status == 0, "\(explained.stderr)")
        let line = try #require(explained.stdout.split(separator: "\n").first { $0.contains("审核 review: 已确认 张三") }, "\(explained.stdout)")
        #expect(line.contains("⚠ 不适用: 运行1审核时为规则 rent.state-premises.annual 的决定, 需重新审核 (not applicable: the rule has changed since)"),
                "\(line)")
        // Its own run's review says nothing of the kind.
        let own = try huiqi(["explain", code, "--run", "1", "--service", "RENT-02", "--db", "t.db"])
        #expect(own.stdout.contains("审核 review: 已确认 张三") && !own.stdout.contains("不适用") && !own.stdout.contains("审核的是规则"),
                "\(own.stdout)")
        // The same rule on another as-of date (the bundle of run 1, as it was): carried over, and
        // the date it reviewed is named.
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        #expect(try huiqi(["run", profiles, "--as-of", "2026-03-02", "--db", "t.db"]).status == 0)
        let again = try huiqi(["explain", code, "--run", "4", "--service", "RENT-02", "--db", "t.db"])
        let carried = try #require(again.stdout.split(separator: "\n").first { $0.contains("审核 review: 已确认 张三") }, "\(again.stdout)")
        #expect(!carried.contains("不适用")
                && carried.contains("审核的是规则 rent.state-premises.annual 的决定 (reviewed a decision of rule rent.state-premises.annual, as of 2026-03-01)"),
                "\(carried)")
    }

    /// Yearly-update review: last year's official run and this year's compared (two as-of dates)
    /// listed every change alike, with the dates only in the header; rules.md §10 says such a diff
    /// mixes in what the date itself changes, and the diff did not. The summary says so when the
    /// dates differ, with how to see a rule change alone.
    @Test func aDiffOfTwoAsOfDatesSaysTheDateItselfChangesDecisions() throws {
        _ = try newYearRuns()
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        #expect(try huiqi(["run", profiles, "--as-of", "2025-06-01", "--db", "t.db"]).status == 0)
        let dates = try huiqi(["log", "diff", "4", "2", "--db", "t.db"])
        #expect(dates.stdout.contains("判定日期不同 the as-of dates differ (2025-06-01 → 2026-03-01): "), "\(dates.stdout)")
        #expect(dates.stdout.contains("the same --as-of"), "\(dates.stdout)")
        #expect(!(try huiqi(["log", "diff", "1", "2", "--db", "t.db"]).stdout.contains("判定日期不同")))
    }

    /// Yearly-update review: `log runs RUN` listed under RENT-02 both last year's rule and this
    /// year's as "its rules", and an auditor could not tell which decided the run (the log keeps
    /// no effective dates). While the bundle is as the run had it, the card reads the rules'
    /// `effective` dates from it and marks a rule not effective on the run's as-of; once the
    /// bundle has changed, it says the dates cannot be read.
    @Test func aRunsCardSaysWhichOfAServicesRulesWereEffective() throws {
        let (ruleFile, _) = try newYearRuns()
        let card = try huiqi(["log", "runs", "2", "--db", "t.db"]).stdout
        let lines = card.split(separator: "\n")
        let old = try #require(lines.first { $0.contains("rule rent.state-premises.annual ") }, "\(card)")
        let new = try #require(lines.first { $0.contains("rule rent.state-premises.2026 ") }, "\(card)")
        #expect(old.contains("生效期 effective until 2025-12-31: 判定日期不在生效期内, 未判定 (not effective on 2026-03-01)"), "\(old)")
        #expect(new.contains("生效期 effective from 2026-01-01") && !new.contains("未判定"), "\(new)")
        // Run 1 had one rule for RENT-02, without dates: nothing to say of it. FIN-06's rule for
        // individuals (from 2020) has dates, and was effective.
        let first = try huiqi(["log", "runs", "1", "--db", "t.db"]).stdout.split(separator: "\n")
        #expect(first.contains { $0.contains("rule rent.state-premises.annual ") && !$0.contains("生效期") }, "\(first)")
        #expect(first.contains { $0.contains("rule fin.risk-pool.individual ") && $0.hasSuffix("生效期 effective from 2020-01-01") }, "\(first)")

        try Data((try String(contentsOf: ruleFile, encoding: .utf8) + "\n-- edited\n").utf8).write(to: ruleFile)
        let later = try huiqi(["log", "runs", "2", "--db", "t.db"]).stdout
        #expect(!later.contains("生效期 effective") && later.contains("规则包已修改, 各规则的生效期无从核对"), "\(later)")
    }

    /// Yearly-update review: a reviewer confirmed from last year's export (run 1) thinking it was
    /// this year's; `review` recorded it without a word about the later runs of the log. It now
    /// says that the decision is of an earlier run, and names the latest run's decision of the same
    /// business × service (for `review --from`, how many of the file's ids are of earlier runs).
    @Test func reviewingADecisionOfAnEarlierRunNamesTheLaterOne() throws {
        _ = try newYearRuns()
        let code = "92440300MA5A0XP6QU"
        func id(_ run: Int) throws -> Int {
            let out = try huiqi(["log", "show", "\(run)", "--firm", code, "--service", "RENT-02", "--format", "jsonl", "--db", "t.db"])
            let object = try #require(try JSONSerialization.jsonObject(with: Data(out.stdout.utf8)) as? [String: Any])
            return try #require(object["decision_id"] as? Int)
        }
        let old = try id(1), latest = try id(3)
        let review = try huiqi(["review", "\(old)", "--confirm", "--by", "张三", "--db", "t.db"])
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("注意 note: decision \(old) is of run 1 (as-of 2026-03-01); the log's latest run with this business × service is run 3 "
                                       + "(as-of 2026-03-01): its decision \(latest)"), "\(review.stdout)")
        let own = try huiqi(["review", "\(latest)", "--confirm", "--by", "张三", "--db", "t.db"])
        #expect(!own.stdout.contains("注意 note"), "\(own.stdout)")

        let file = temp.appendingPathComponent("ids.txt")
        try Data("\(old)\n\(latest)\n".utf8).write(to: file)
        let many = try huiqi(["review", "--from", file.path, "--reject", "--note", "核实不符", "--by", "李四", "--db", "t.db"])
        #expect(many.stdout.contains("注意 note: 1 of these decisions is of an earlier run than the log's latest, run 3 (as-of 2026-03-01): run 1"),
                "\(many.stdout)")
    }

    /// Yearly-update review: `log show 4 --service RENT-03` on a run without last year's new
    /// service said "did you mean 'RENT-02'?", another service, as if RENT-03 were a typo. A
    /// well-formed id of the catalog's pattern that only differs in its number is another service:
    /// the message says why a run may not have evaluated it instead; a typo still gets its hint.
    @Test func aServiceARunDidNotEvaluateIsNotTakenForATypo() throws {
        _ = try newYearRuns()
        let other = try huiqi(["log", "show", "1", "--service", "RENT-01", "--db", "t.db"])
        #expect(other.status == 2 && !other.stderr.contains("did you mean"), "\(other.stderr)")
        #expect(other.stderr.contains("run 1 did not evaluate service RENT-01 (运行 1 未评估此服务: not in force on its as-of 2026-03-01, or not in its catalog)"),
                "\(other.stderr)")
        #expect(try huiqi(["log", "show", "1", "--service", "RNET-02", "--db", "t.db"]).stderr.contains("did you mean 'RENT-02'?"))
        #expect(try huiqi(["log", "show", "1", "--service", "RENT02", "--db", "t.db"]).stderr.contains("did you mean 'RENT-02'?"))
        #expect(try huiqi(["log", "show", "1", "--service", "RENT-2", "--db", "t.db"]).stderr.contains("did you mean 'RENT-02'?"))
    }

    @Test func businessesInOneRunOnlyAreCountedAndShownAsNotEvaluated() throws {
        let source = try String(contentsOf: HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv"), encoding: .utf8)
        let all = lines(source)
        let fewer = temp.appendingPathComponent("fewer.csv")
        try Data((all.prefix(101).joined(separator: "\n") + "\n").utf8).write(to: fewer)  // header and 100 businesses
        let rules = HuiqiBinary.packageRoot.appendingPathComponent("Rules").path
        let profiles = HuiqiBinary.packageRoot.appendingPathComponent("Samples/profiles.csv").path
        #expect(try huiqi(["run", profiles, "--rules", rules, "--as-of", "2025-06-01", "--db", "t.db"]).status == 0)
        #expect(try huiqi(["run", fewer.path, "--rules", rules, "--as-of", "2025-06-01", "--db", "t.db"]).status == 0)
        let diff = try huiqi(["log", "diff", "1", "2", "--service", "SVC-02", "--format", "jsonl", "--db", "t.db"])
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stderr.contains("only in run 1: 140, only in run 2: 0 businesses"), "\(diff.stderr)")
        let changes = try lines(diff.stdout).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        #expect(changes.count == 140)
        #expect(changes.allSatisfy { $0["after"] is NSNull && ($0["change"] as? String)?.hasSuffix("→ 未评估") == true })
        let unknown = try huiqi(["log", "diff", "1", "2", "--service", "NOPE-01", "--db", "t.db"])
        #expect(unknown.status == 2 && unknown.stderr.contains("neither run 1 nor run 2 evaluated service NOPE-01"))
    }

    /// Found in review: a run interrupted part-way listed every business it never reached as
    /// "→ 未评估". Those are counted as not compared, and nothing is listed for them.
    @Test func anInterruptedRunIsComparedOnTheBusinessesItCommitted() throws {
        let fixture = try DecisionLogFixture()
        let profiles = try fixture.writeProfiles("p.csv", rows: 400)
        let log = fixture.path("huiqi.db")
        let store = try SQLiteDecisionStore(path: log)
        let options = BatchRun.Options(inputs: [profiles], asOf: "2025-06-01", jobs: 1, chunkSize: 64)
        _ = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: options, commandLine: "t", logPath: log)
            .execute(interrupt: InterruptSignal(signals: []))
        let second = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: options, commandLine: "t", logPath: log)
        let interrupt = InterruptSignal(signals: [])
        #expect(throws: RunInterrupted.self) {
            _ = try second.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(2, interrupt: interrupt)])
        }
        let committed = try store.rowsCommitted(run: 2)
        #expect(committed > 0 && committed < 400)
        let diff = try HuiqiBinary.run(["log", "diff", "1", "2", "--format", "jsonl", "--db", "huiqi.db"], cwd: fixture.root)
        #expect(diff.status == 0, "\(diff.stderr)")
        #expect(diff.stdout.isEmpty, "the same rules on the same rows: nothing changed")
        #expect(diff.stderr.contains("run 2 is interrupted") && diff.stderr.contains("not compared (a run that did not complete may not have reached them): \(400 - committed)"),
                "\(diff.stderr)")
        // The table's reasons are the later run's, blank where it has none (review).
        let both = try HuiqiBinary.run(["log", "diff", "2", "1", "--db", "huiqi.db"], cwd: fixture.root)
        #expect(both.stdout.contains("no decision changed"), "\(both.stdout)")
    }

    /// Found in the second review: a business an interrupted run reached and rejected was counted
    /// as not reached, hiding a real change. It is listed, as a completed run's would be.
    @Test func aBusinessAnInterruptedRunRejectedIsADifference() throws {
        let fixture = try DecisionLogFixture()
        let profiles = try fixture.writeProfiles("p.csv", rows: 400)
        // The same rows, rows 5 and 10 with an employee count that is no number (their codes valid).
        var lines = try String(contentsOfFile: profiles, encoding: .utf8).components(separatedBy: "\n")
        let header = lines[0].components(separatedBy: ",")
        let column = try #require(header.firstIndex { $0 == "从业人数" || $0 == "employees" })
        for row in [5, 10] {
            var cells = lines[row].components(separatedBy: ",")
            cells[column] = "abc"
            lines[row] = cells.joined(separator: ",")
        }
        let bad = fixture.path("bad.csv")
        try Data(lines.joined(separator: "\n").utf8).write(to: URL(fileURLWithPath: bad))
        let log = fixture.path("huiqi.db")
        let store = try SQLiteDecisionStore(path: log)
        let good = BatchRun.Options(inputs: [profiles], asOf: "2025-06-01", jobs: 1, chunkSize: 64)
        _ = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: good, commandLine: "t", logPath: log)
            .execute(interrupt: InterruptSignal(signals: []))
        var badOptions = good
        badOptions.inputs = [bad]
        let second = try LoggedRun.start(store: store, loaded: try fixture.bundle.load(), options: badOptions, commandLine: "t", logPath: log)
        let interrupt = InterruptSignal(signals: [])
        #expect(throws: RunInterrupted.self) {
            _ = try second.execute(interrupt: interrupt, additionalSinks: [StopAtCommit(2, interrupt: interrupt)])
        }
        let diff = try HuiqiBinary.run(["log", "diff", "1", "2", "--format", "jsonl", "--db", "huiqi.db"], cwd: fixture.root)
        let changes = try diff.stdout.split(whereSeparator: \.isNewline).map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
        let businesses = Set(changes.compactMap { $0["credit_code"] as? String })
        #expect(businesses.count == 2, "\(diff.stdout) \(diff.stderr)")
        #expect(changes.allSatisfy { $0["after"] is NSNull })
        #expect(diff.stderr.contains("only in run 1: 2, only in run 2: 0"), "\(diff.stderr)")
    }

    /// Ctrl-C during `log diff --out` stops the diff and exits 130, saying the output is incomplete
    /// (the check was added in a code review without a test). Deterministic: `--out` is a named
    /// pipe this test stops reading, so the diff is held mid-write when the signal comes. A pipe is
    /// written in place and is not ours to remove (it was removed before); a regular file is
    /// written under a temporary name and only renamed into place when complete
    /// (`OutputSafetyTests.aFailedExportLeavesTheEarlierFileAsItWas`).
    @Test func ctrlCWhileWritingADiffStopsItAndSaysTheOutputIsIncomplete() throws {
        let rules = HuiqiBinary.packageRoot.appendingPathComponent("Rules").path
        #expect(try HuiqiBinary.run(["sample", "--count", "3000", "--seed", "5", "--out", "p.csv", "--rules", rules], cwd: temp).status == 0)
        // Two as-of dates four years apart: most of the 72,000 decisions differ.
        for asOf in ["2025-06-01", "2021-01-01"] {
            #expect(try huiqi(["run", "p.csv", "--rules", rules, "--as-of", asOf, "--db", "t.db"]).status <= 1)
        }
        let pipe = temp.appendingPathComponent("o.csv").path
        #expect(mkfifo(pipe, 0o644) == 0)
        // Open for reading without waiting for the writer, then let the diff start writing.
        let reader = open(pipe, O_RDONLY | O_NONBLOCK)
        try #require(reader >= 0)
        defer { close(reader) }
        let child = try HuiqiBinary.start(["log", "diff", "1", "2", "--db", "t.db", "--out", "o.csv"], cwd: temp)
        var buffer = [UInt8](repeating: 0, count: 65536)
        func drain() -> Int { max(0, read(reader, &buffer, buffer.count)) }
        var received = 0
        let deadline = Date().addingTimeInterval(60)
        while received < 1000 && child.process.isRunning && Date() < deadline {
            received += drain()
            usleep(10_000)
        }
        #expect(received >= 1000, "the diff wrote \(received) bytes")
        // Not reading any more: the pipe fills and the diff waits in a write.
        usleep(500_000)
        #expect(child.process.isRunning, "the diff should wait on the full pipe")
        child.process.interrupt()
        while child.process.isRunning && Date() < deadline {
            _ = drain()
            usleep(5_000)
        }
        if child.process.isRunning { child.process.terminate() }
        child.process.waitUntilExit()
        let output = child.finish()
        #expect(output.status == 130, "status \(output.status): \(output.stderr)")
        #expect(output.stderr.contains("interrupted (已中断): what went to o.csv is incomplete (输出不完整)"), "\(output.stderr)")
        var info = stat()
        #expect(lstat(pipe, &info) == 0 && (info.st_mode & S_IFMT) == S_IFIFO, "the named pipe is left where it was")
    }
}

/// `FIN-01`, `PARTY-02`: how a summary line of `log diff` starts.
private enum ServiceIDText {
    static func looksLikeID(_ text: Substring) -> Bool {
        let parts = text.split(separator: "-")
        return parts.count == 2 && parts[0].allSatisfy { $0.isASCII && $0.isUppercase } && parts[1].allSatisfy(\.isNumber)
    }
}

private extension FileManager {
    /// `text` without its last data row, written to `name` in `directory`: other profiles.
    func temporaryFileCopy(of text: String, in directory: URL, named name: String) throws -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        while lines.last?.isEmpty == true { lines.removeLast() }
        lines.removeLast()  // one business fewer: other profiles, other SHA-256
        let url = directory.appendingPathComponent(name)
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url.path
    }
}
