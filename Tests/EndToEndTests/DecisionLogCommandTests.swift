import Foundation
import Huiqi
import TestSupport
import Testing

/// `huiqi run`, `log runs|show|export`, `explain --run` and `review`, through the built binary.
@Suite(.serialized) struct DecisionLogCommandTests {
    private func huiqi(_ args: [String], in fixture: DecisionLogFixture) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: fixture.root)
    }

    @Test func aReviewerFindsExplainsReviewsAndExports() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 60, rejectEvery: 25)
        let run = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "huiqi.db", "--out", "out/decisions.csv"], in: fixture)
        #expect(run.status == 1, "rejected rows and rule errors give exit 1: \(run.stderr)")
        #expect(run.stdout.hasPrefix("运行编号 run id: 1\n"))
        #expect(run.stdout.contains("读取 read: 60   评估 evaluated: 58   拒收 rejected: 2"))
        #expect(FileManager.default.fileExists(atPath: fixture.path("out/decisions.csv")))

        let runs = try huiqi(["log", "runs", "--db", "huiqi.db"], in: fixture)
        #expect(runs.status == 0)
        #expect(runs.stdout.contains("completed 已完成") && runs.stdout.contains("60/58/2") && runs.stdout.contains("profiles.csv"))

        // Find: the eligible SVC-01 decisions of 西乡街道.
        let show = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--service", "SVC-01", "--outcome", "符合", "--street", "西乡",
                              "--format", "csv"], in: fixture)
        #expect(show.status == 0, "\(show.stderr)")
        // Redirected output (as here) opens in Excel: UTF-8 with a BOM (found in review).
        #expect(Array(show.stdoutBytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        // Into a pipe, a program reads it: no BOM (found in review).
        let piped = Process()
        piped.executableURL = URL(fileURLWithPath: "/bin/sh")
        piped.arguments = ["-c", "'\(HuiqiBinary.url.path)' log show 1 --db huiqi.db --format csv --limit 1 | od -An -tx1 -N3"]
        piped.currentDirectoryURL = fixture.root
        let pipe = Pipe()
        piped.standardOutput = pipe
        try piped.run()
        piped.waitUntilExit()
        let firstBytes = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(!firstBytes.contains("ef bb bf") && !firstBytes.isEmpty, "\(firstBytes)")
        let table = CSVTable(text: show.stdout)
        #expect(table.header == LogExporter.csvHeaders)
        #expect(!table.rows.isEmpty)
        #expect(table.column("所属街道").allSatisfy { $0 == "西乡街道" } && table.column("判定结果").allSatisfy { $0 == "符合" })
        let id = try #require(table.column("决定编号").first)
        let code = try #require(table.column("统一社会信用代码").first)

        // Explain: from the run, re-evaluated, with provenance.
        let explain = try huiqi(["explain", code, "--run", "1", "--db", "huiqi.db", "--service", "SVC-01"], in: fixture)
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("[SVC-01]") && explain.stdout.contains("读取:") && explain.stdout.contains("与重新评估一致"))
        #expect(explain.stdout.contains("运行 run: 1") && explain.stdout.contains("profiles.csv:"))

        // Review, then see it in show and explain.
        let review = try huiqi(["review", id, "--confirm", "--by", "张三", "--note", "电话核实", "--db", "huiqi.db"], in: fixture)
        #expect(review.status == 0, "\(review.stderr)")
        #expect(review.stdout.contains("已确认") && review.stdout.contains(id))
        let reviewed = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--firm", code, "--service", "SVC-01"], in: fixture)
        #expect(reviewed.stdout.contains("已确认 张三"))
        let unreviewed = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--firm", code, "--unreviewed", "--format", "jsonl"], in: fixture)
        #expect(unreviewed.stdout.split(separator: "\n").count == 2)
        let again = try huiqi(["explain", code, "--run", "1", "--db", "huiqi.db"], in: fixture)
        #expect(again.stdout.contains("审核 review: 已确认 张三"))
        // A note may start with "-" (reviewer review: "Missing value for '--note'"); overturning
        // a review says so.
        let overturn = try huiqi(["review", id, "--reject", "--by", "李四", "--note", "-2万 已核减", "--db", "huiqi.db"], in: fixture)
        #expect(overturn.status == 0, "\(overturn.stderr)")
        #expect(overturn.stdout.contains("此前的审核为 已确认 张三"))
        let overturned = try huiqi(["explain", code, "--run", "1", "--db", "huiqi.db", "--service", "SVC-01"], in: fixture)
        #expect(overturned.stdout.contains("已驳回 李四") && overturned.stdout.contains("— -2万 已核减   ← 以此为准"), "\(overturned.stdout)")
        _ = try huiqi(["review", id, "--confirm", "--by", "张三", "--db", "huiqi.db"], in: fixture)

        // Export for Excel.
        let export = try huiqi(["log", "export", "1", "--db", "huiqi.db", "--out", "out/run1.csv"], in: fixture)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stdout.contains("174 条决定 decisions"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixture.path("out/run1.csv")))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let exported = try CSVTable(contentsOf: fixture.path("out/run1.csv"))
        #expect(exported.rows.count == 174)
        #expect(exported.column("审核人").filter { $0 == "张三" }.count == 1)

        // A later run carries the review over, marked with its run.
        let second = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "huiqi.db"], in: fixture)
        #expect(second.stdout.hasPrefix("运行编号 run id: 2\n"))
        let carried = try huiqi(["log", "show", "2", "--db", "huiqi.db", "--firm", code, "--service", "SVC-01"], in: fixture)
        #expect(carried.stdout.contains("已确认 张三 (运行1)"))
        let explained2 = try huiqi(["explain", code, "--run", "2", "--db", "huiqi.db", "--service", "SVC-01"], in: fixture)
        #expect(explained2.stdout.contains("来自运行 1"))
    }

    /// `log show` said "more decisions match" past its page, without how many: 3 or 3 million
    /// (session 19's backlog). It says how many, as many as `--limit 0` adds, for every filter.
    @Test func showSaysHowManyMoreMatch() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 60, rejectEvery: 25)
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "huiqi.db"], in: fixture)
        let all = try CSVTable(text: huiqi(["log", "show", "1", "--db", "huiqi.db", "--limit", "0", "--format", "csv"], in: fixture).stdout)
        let id = try #require(all.column("决定编号").first)
        _ = try huiqi(["review", id, "--confirm", "--by", "张三", "--db", "huiqi.db"], in: fixture)
        for filter in [[], ["--service", "SVC-01"], ["--outcome", "不符合"], ["--street", "西乡"], ["--unreviewed"],
                       ["--service", "SVC-03", "--outcome", "符合", "--unreviewed"]] {
            let total = try CSVTable(text: huiqi(["log", "show", "1", "--db", "huiqi.db", "--limit", "0", "--format", "csv"] + filter,
                                                 in: fixture).stdout).rows.count
            try #require(total > 4, "\(filter): \(total)")
            let page = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--limit", "3"] + filter, in: fixture)
            #expect(page.status == 0, "\(page.stderr)")
            #expect(page.stdout.contains("… \(total - 3) more decisions match") && page.stdout.contains("另有 \(total - 3) 条未显示"),
                    "\(filter): \(total) in all; \(page.stdout)")
        }
        let exact = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--limit", "\(all.rows.count)"], in: fixture)
        #expect(!exact.stdout.contains("more decision"), "\(exact.stdout.suffix(300))")
        let oneMore = try huiqi(["log", "show", "1", "--db", "huiqi.db", "--limit", "\(all.rows.count - 1)"], in: fixture)
        #expect(oneMore.stdout.contains("… 1 more decision matches"), "\(oneMore.stdout.suffix(300))")
    }

    /// Reviewer review: `log runs` showed the rules' hash cut to 12 digits and no input's hash, so
    /// an auditor could not tell from the tool which file and bundle a run judged. `log runs RUN`
    /// shows everything the run recorded, and a data field with a line break stays on one line.
    @Test func oneRunInFullShowsItsProvenance() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 30, rejectEvery: 10)
        try FileManager.default.moveItem(atPath: fixture.path("profiles.csv"), toPath: fixture.path("企业\n名录.csv"))
        let run = try huiqi(["run", "企业\n名录.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "h.db", "--jobs", "1"], in: fixture)
        #expect(run.status <= 1, "\(run.stderr)")
        let card = try huiqi(["log", "runs", "1", "--db", "h.db"], in: fixture)
        #expect(card.status == 0, "\(card.stderr)")
        let (digest, size) = try FileDigest.sha256(path: fixture.path("企业\n名录.csv"))
        for expected in ["运行 run 1: completed 已完成", "判定日期 as-of          2025-06-01", "30 read / 27 evaluated / 3 rejected",
                         "--jobs 1 --encoding auto", "SHA-256 \(digest)", "企业␊名录.csv", "\(size) bytes, 30 rows, 3 rejected",
                         "1. SVC-01", "rule "] {
            #expect(card.stdout.contains(expected), "\(expected): \(card.stdout)")
        }
        // The rules' full hash, which the table cuts to 12 digits.
        let table = try huiqi(["log", "runs", "--db", "h.db"], in: fixture).stdout
        let line = try #require(card.stdout.split(separator: "\n").first { $0.hasPrefix("规则包 SHA-256") })
        let full = try #require(line.split(separator: " ").last)
        #expect(full.count == 64 && table.contains(String(full.prefix(12))), "\(line)\n\(table)")
        let missing = try huiqi(["log", "runs", "9", "--db", "h.db"], in: fixture)
        #expect(missing.status == 2 && missing.stderr.contains("no run 9"), "\(missing.stderr)")
    }

    /// First-day review: `log runs RUN` named a rejects file for a run without rejects, whose file
    /// the run removed, and for a run whose file was since deleted, as if it were there to open.
    @Test func oneRunInFullSaysWhenItsRejectsFileIsNotThere() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 20)
        try fixture.writeProfiles("broken.csv", rows: 20, rejectEvery: 5)
        #expect(try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "h.db"], in: fixture).status == 0)
        #expect(try huiqi(["run", "broken.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "h.db"], in: fixture).status == 1)
        func rejectsLine(_ run: Int) throws -> String {
            let card = try huiqi(["log", "runs", "\(run)", "--db", "h.db"], in: fixture)
            return card.stdout.split(separator: "\n").first { $0.hasPrefix("拒收文件 rejects") }.map(String.init) ?? card.stdout
        }
        #expect(try rejectsLine(1) == "拒收文件 rejects        - (无拒收, 未写出文件 no rejects, no file)")
        let kept = fixture.root.appendingPathComponent("h.run2.rejects.csv").standardizedFileURL.path
        #expect(try rejectsLine(2) == "拒收文件 rejects        \(kept)")
        try FileManager.default.removeItem(atPath: kept)
        #expect(try rejectsLine(2) == "拒收文件 rejects        \(kept) (文件已不在 not there now; 从日志导出 again from the log: huiqi log rejects 2 --db h.db)")
    }

    /// First-day review: a run id a log does not hold said "see `huiqi log runs`", which lists
    /// ./huiqi.db's runs, not those of the --db given; it now names that log, and its runs.
    @Test func aRunNotInTheLogPointsToThatLogsRuns() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 5)
        for _ in 0..<2 {
            #expect(try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "审核 日志.db"], in: fixture).status == 0)
        }
        for args in [["log", "show", "9"], ["log", "runs", "9"], ["explain", ProfileCSVGenerator.creditCode(2), "--run", "9"], ["lists", "9", "--out", "l"]] {
            let out = try huiqi(args + ["--db", "审核 日志.db"], in: fixture)
            #expect(out.status == 2, "\(args): \(out.stderr)")
            #expect(out.stderr.contains("审核 日志.db: no run 9 in this decision log (没有编号为 9 的运行; 其中的运行 runs in it: 1–2); "
                                        + "see `huiqi log runs --db '审核 日志.db'`"), "\(args): \(out.stderr)")
        }
        #expect(try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture).status == 0)
        let plain = try huiqi(["log", "show", "9"], in: fixture)
        #expect(plain.stderr.contains("huiqi.db: no run 9 in this decision log (没有编号为 9 的运行; 其中的运行 runs in it: 1); see `huiqi log runs`"),
                "\(plain.stderr)")
    }

    @Test func explainFallsBackToTheLogWhenTheInputIsGone() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 20)
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
        try FileManager.default.removeItem(atPath: fixture.path("profiles.csv"))
        let code = ProfileCSVGenerator.creditCode(2)
        let explain = try huiqi(["explain", code, "--run", "1"], in: fixture)
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("字段值不可用") && explain.stdout.contains("已不存在"))
        #expect(explain.stdout.contains("[SVC-01]") && explain.stdout.contains("[SVC-03]"))
    }

    @Test func errorsNameTheProblemWithoutStackTraces() throws {
        let fixture = try DecisionLogFixture()
        let missing = try huiqi(["log", "runs", "--db", "nowhere.db"], in: fixture)
        #expect(missing.status == 2 && missing.stderr.contains("nowhere.db") && missing.stderr.contains("决策日志不存在"))
        #expect(!FileManager.default.fileExists(atPath: fixture.path("nowhere.db")))

        try fixture.writeProfiles(rows: 5, rejectEvery: nil)
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
        let noRun = try huiqi(["log", "show", "9"], in: fixture)
        #expect(noRun.status == 2 && noRun.stderr.contains("no run 9"))
        let badService = try huiqi(["log", "show", "1", "--service", "NOPE-1"], in: fixture)
        #expect(badService.status == 2 && badService.stderr.contains("NOPE-1"))
        let badID = try huiqi(["review", "42", "--confirm", "--by", "张三"], in: fixture)
        #expect(badID.status != 0 && badID.stderr.contains("not a decision id"))
        let noDecision = try huiqi(["review", "1000000000777000", "--reject", "--note", "核实不符", "--by", "张三"], in: fixture)
        #expect(noDecision.status == 2 && noDecision.stderr.contains("no decision"))
        // A negative number is read as an option by the parser: said so (first-day review: "missing <RUN>").
        for args in [["log", "show", "-1"], ["log", "show", "1", "--limit", "-5"]] {
            let negative = try huiqi(args, in: fixture)
            #expect(negative.status == 2 && negative.stderr.contains("被当作选项读取") && negative.stderr.contains("never negative"), "\(negative.stderr)")
        }
        // A rejection without its reason is refused before anything is recorded (first-day review).
        for args in [["review", "1000000001001", "--reject", "--by", "李四"], ["review", "1000000001001", "--reject", "--note", " ", "--by", "李四"]] {
            let unexplained = try huiqi(args, in: fixture)
            #expect(unexplained.status == 2 && unexplained.stderr.contains("--reject needs --note saying why"), "\(unexplained.stderr)")
        }
        #expect(try huiqi(["log", "show", "1", "--format", "jsonl", "--limit", "0"], in: fixture).stdout.contains("\"verdict\"") == false)
        let resumeDone = try huiqi(["run", "--resume", "1"], in: fixture)
        #expect(resumeDone.status == 2 && resumeDone.stderr.contains("already completed"))
        let resumeWithInputs = try huiqi(["run", "profiles.csv", "--resume", "1"], in: fixture)
        #expect(resumeWithInputs.status != 0 && resumeWithInputs.stderr.contains("do not give PROFILES"))
        for output in [missing, noRun, badService, noDecision, resumeDone] { #expect(!output.stderr.contains("Fatal error")) }
    }

    /// A review of a decision id the log does not hold said "decision ids are listed by `huiqi log
    /// show RUN`": with --db another log, that command listed ./huiqi.db's, and RUN was left to
    /// guess. The hint now gives the command for this log (its --db) that lists what is there: the
    /// business's decisions in that run, else the run's, else the log's runs; each, copied, works.
    @Test func aDecisionNotInTheLogPointsToACommandThatWorksOnThatLog() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 5, rejectEvery: nil)
        #expect(try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--db", "审核 日志.db"], in: fixture).status == 0)
        let code = ProfileCSVGenerator.creditCode(1)
        func suggested(_ id: String) throws -> [String] {
            let out = try huiqi(["review", id, "--confirm", "--by", "张三", "--db", "审核 日志.db"], in: fixture)
            #expect(out.status == 2 && out.stderr.contains("no decision \(id) in this log"), "\(out.stderr)")
            let command = try #require(out.stderr.split(separator: "`").dropFirst().first, "\(out.stderr)")
            #expect(command.hasSuffix(" --db '审核 日志.db'"), "\(command)")
            // As a shell reads it: the quoted path is one word.
            let quoted = try #require(command.range(of: " --db '审核 日志.db'"))
            return command[..<quoted.lowerBound].split(separator: " ").dropFirst().map(String.init) + ["--db", "审核 日志.db"]
        }
        // Row 1 of run 1 is there, slot 40 is not: that business's decisions.
        let business = try suggested("1000000001040")
        #expect(business == ["log", "show", "1", "--firm", code, "--db", "审核 日志.db"], "\(business)")
        let listed = try huiqi(business, in: fixture)
        #expect(listed.status == 0 && listed.stdout.contains(code) && listed.stdout.contains("SVC-01"), "\(listed.stdout)\(listed.stderr)")
        // No row 99: the run's decisions.
        let run = try suggested("1000000099000")
        #expect(run == ["log", "show", "1", "--db", "审核 日志.db"], "\(run)")
        #expect(try huiqi(run, in: fixture).status == 0)
        // No run 7: the log's runs.
        let runs = try suggested("7000000001000")
        #expect(runs == ["log", "runs", "--db", "审核 日志.db"], "\(runs)")
        #expect(try huiqi(runs, in: fixture).stdout.contains("completed"))
        // Not an id at all: the listing command names the log too.
        let notAnID = try huiqi(["review", "42", "--confirm", "--by", "张三", "--db", "审核 日志.db"], in: fixture)
        #expect(notAnID.stderr.contains("ids are listed by `huiqi log show RUN --db '审核 日志.db'`"), "\(notAnID.stderr)")
    }

    /// Reviewer review: `--service svc-01`, and 待定（缺数据） typed with a Chinese input method's
    /// parentheses, matched nothing or were refused; a street that matches nothing says which
    /// streets the run has.
    @Test func filtersAcceptWhatReviewersTypeAndNameTheStreetsWhenNoneMatch() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 40, rejectEvery: nil)
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
        let exact = try huiqi(["log", "show", "1", "--service", "SVC-01", "--format", "jsonl", "--limit", "0"], in: fixture)
        let lower = try huiqi(["log", "show", "1", "--service", "svc-01", "--format", "jsonl", "--limit", "0"], in: fixture)
        let wide = try huiqi(["log", "show", "1", "--service", "ＳＶＣ－０１", "--format", "jsonl", "--limit", "0"], in: fixture)
        #expect(lower.status == 0 && wide.status == 0, "\(lower.stderr)\(wide.stderr)")
        #expect(!exact.stdout.isEmpty && lower.stdout == exact.stdout && wide.stdout == exact.stdout)
        // The largest --limit (code review: one more than the cap overflowed and trapped).
        #expect(try huiqi(["log", "show", "1", "--limit", "\(Int.max)"], in: fixture).status == 0)
        let undetermined = try huiqi(["log", "show", "1", "--outcome", "待定（缺数据）"], in: fixture)
        #expect(undetermined.status == 0, "\(undetermined.stderr)")
        // A street the run does not have (a typo): nothing shown or written, the run's streets
        // named, exit 1 as for `lists` (first-day review: `log export` wrote an empty file, exit 0).
        let none = try huiqi(["log", "show", "1", "--street", "未填街道"], in: fixture)
        #expect(none.status == 1 && none.stdout.isEmpty, "\(none.stdout)")
        #expect(none.stderr.contains("no street '未填街道' in run 1") && none.stderr.contains("streets in run 1: ") && none.stderr.contains("西乡"),
                "\(none.stderr)")
        let exported = try huiqi(["log", "export", "1", "--street", "新按", "--out", "x.csv"], in: fixture)
        #expect(exported.status == 1 && exported.stderr.contains("no street '新按' in run 1") && exported.stderr.contains("西乡"), "\(exported.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fixture.path("x.csv")))
        // A street the run has, with no decision other filters leave: shown as none, exit 0.
        let filtered = try huiqi(["log", "show", "1", "--street", "西乡", "--outcome", "error", "--service", "SVC-02"], in: fixture)
        #expect(filtered.status == 0 && !filtered.stderr.contains("no street"), "\(filtered.stderr)")
    }

    /// Reviewer review: reviews were one decision at a time, at ~24M decisions a district run.
    /// `review --from FILE` takes a CSV export filtered in Excel, or one id per line, all or none.
    @Test func manyDecisionsAreReviewedFromAFileAllOrNone() throws {
        let fixture = try DecisionLogFixture()
        try fixture.writeProfiles(rows: 40, rejectEvery: nil)
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
        func unreviewed() throws -> Int {
            try huiqi(["log", "show", "1", "--unreviewed", "--format", "jsonl", "--limit", "0"], in: fixture).stdout.split(separator: "\n").count
        }
        let all = try unreviewed()
        // An export of the eligible SVC-01 decisions, as a reviewer would filter it.
        #expect(try huiqi(["log", "export", "1", "--service", "SVC-01", "--outcome", "符合", "--out", "ok.csv"], in: fixture).status == 0)
        let listed = try CSVTable(contentsOf: fixture.path("ok.csv")).rows.count
        #expect(listed > 0)
        let batch = try huiqi(["review", "--from", "ok.csv", "--confirm", "--by", "张三", "--note", "走访核实"], in: fixture)
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stdout.contains("审核已记录 \(listed) reviews"))
        #expect(try unreviewed() == all - listed)

        // One id per line; one of them names no decision: nothing is recorded.
        let ids = try huiqi(["log", "show", "1", "--service", "SVC-02", "--format", "jsonl", "--limit", "3"], in: fixture).stdout
            .split(separator: "\n").compactMap { line -> String? in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["decision_id"].map { "\($0)" }
            }
        #expect(ids.count == 3)
        try (ids + ["1000000999000"]).joined(separator: "\n").write(toFile: fixture.path("ids.txt"), atomically: true, encoding: .utf8)
        let refused = try huiqi(["review", "--from", "ids.txt", "--reject", "--note", "核实不符", "--by", "李四"], in: fixture)
        #expect(refused.status == 2 && refused.stderr.contains("no decision 1000000999000") && refused.stderr.contains("未记录任何审核"),
                "\(refused.stderr)")
        #expect(try unreviewed() == all - listed)
        try ids.joined(separator: "\n").write(toFile: fixture.path("ids.txt"), atomically: true, encoding: .utf8)
        let rejected = try huiqi(["review", "--from", "ids.txt", "--reject", "--note", "核实不符", "--by", "李四"], in: fixture)
        #expect(rejected.status == 0 && !rejected.stdout.contains("overturn"), "\(rejected.stdout)")
        #expect(try unreviewed() == all - listed - 3)
        // Confirming them from the file again overturns those rejects, and says so (analyst review:
        // without a word, where one id does).
        let overturning = try huiqi(["review", "--from", "ids.txt", "--confirm", "--by", "张三"], in: fixture)
        #expect(overturning.status == 0 && overturning.stdout.contains("3 of them overturn an earlier review"), "\(overturning.stdout)")
        #expect(overturning.stdout.contains("\(ids[0]) ") && overturning.stdout.contains("此前 已驳回 李四"), "\(overturning.stdout)")
        // Not an id: refused with its line.
        try "1000000001000\nabc\n".write(toFile: fixture.path("bad.txt"), atomically: true, encoding: .utf8)
        let bad = try huiqi(["review", "--from", "bad.txt", "--confirm", "--by", "张三"], in: fixture)
        #expect(bad.status == 2 && bad.stderr.contains("bad.txt:2") && bad.stderr.contains("'abc'"), "\(bad.stderr)")
        // All or none, and said so as for an unknown id (it was not: the reviewer could not tell
        // whether the other ids were recorded); an id Excel showed in scientific notation, its
        // last digits lost, is named as such.
        #expect(bad.stderr.contains("未记录任何审核"), "\(bad.stderr)")
        try "决定编号,审核\n1000000001000,x\n1.00000000100E+12,x\n".write(toFile: fixture.path("sci.csv"), atomically: true, encoding: .utf8)
        let sci = try huiqi(["review", "--from", "sci.csv", "--confirm", "--by", "张三"], in: fixture)
        #expect(sci.status == 2 && sci.stderr.contains("sci.csv:3") && sci.stderr.contains("科学计数") && sci.stderr.contains("未记录任何审核"),
                "\(sci.stderr)")
        #expect(try unreviewed() == all - listed - 3)
        // Usability review: `run --out`'s decisions have no 决定编号 column; each row was "not a
        // decision id", the header first. One message says what the file lacks and what to use.
        _ = try huiqi(["run", "profiles.csv", "--rules", "Rules", "--as-of", "2025-06-01", "--out", "decisions.csv"], in: fixture)
        let noColumn = try huiqi(["review", "--from", "decisions.csv", "--confirm", "--by", "张三"], in: fixture)
        #expect(noColumn.status == 2 && noColumn.stderr.contains("decisions.csv:1: no 决定编号 column")
                && noColumn.stderr.contains("huiqi log export RUN --out FILE") && !noColumn.stderr.contains("is not a decision id"),
                "\(noColumn.stderr)")
        #expect(try unreviewed() == all - listed - 3)
    }

    /// Reviewer review: `log show --firm` of a business the run rejected said only "no decisions
    /// match", as for one not in the input at all (explain said where and why); it says so now.
    @Test func logShowOfARejectedFirmSaysWhereAndWhy() throws {
        let fixture = try DecisionLogFixture()
        let good = ProfileFixtures.creditCode(1), bad = ProfileFixtures.creditCode(2)
        try "统一社会信用代码,企业名称,主体类型,从业人数\n\(good),甲,企业,5\n\(bad),乙,企业,十二\n"
            .write(toFile: fixture.path("p.csv"), atomically: true, encoding: .utf8)
        _ = try huiqi(["run", "p.csv", "--rules", "Rules", "--as-of", "2025-06-01"], in: fixture)
        let shown = try huiqi(["log", "show", "1", "--firm", bad], in: fixture)
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("no decisions match") && shown.stdout.contains("rejected in run 1 at p.csv:3")
                && shown.stdout.contains("十二"), "\(shown.stdout)")
        let absent = try huiqi(["log", "show", "1", "--firm", ProfileFixtures.creditCode(3)], in: fixture)
        #expect(absent.status == 0 && absent.stdout.contains("not in run 1"), "\(absent.stdout)")
        // An export of it says so too (it wrote an empty file without a word).
        let exported = try huiqi(["log", "export", "1", "--firm", bad, "--out", "one.csv"], in: fixture)
        #expect(exported.status == 0 && exported.stderr.contains("rejected in run 1 at p.csv:3"), "\(exported.stderr)")
        // A firm in the run that another filter leaves out: no such note.
        let filtered = try huiqi(["log", "show", "1", "--firm", good, "--outcome", "error"], in: fixture)
        #expect(filtered.stdout.contains("no decisions match") && !filtered.stdout.contains("not in run"), "\(filtered.stdout)")
    }

    @Test func everyLogCommandHasHelpWithAnExample() throws {
        let fixture = try DecisionLogFixture()
        for command in [["log", "runs"], ["log", "show"], ["log", "export"], ["review"], ["run"], ["explain"]] {
            let help = try huiqi(command + ["--help"], in: fixture)
            #expect(help.status == 0)
            #expect(help.stdout.contains("huiqi \(command.joined(separator: " "))"), "\(command) help has no example")
        }
        // The review examples' id is one the tool accepts (reviewer review: row 0 was refused).
        let help = try huiqi(["review", "--help"], in: fixture).stdout
        let ids = help.split(whereSeparator: { $0 == " " || $0 == "\n" }).filter { $0.count == 13 && $0.allSatisfy(\.isNumber) }
        #expect(!ids.isEmpty && ids.allSatisfy { DecisionID(text: String($0)) != nil }, "\(ids)")
    }
}
