import HuiqiLua
import Foundation

/// `huiqi explain CODE --run RUN`: one business in a logged run, in the same view as
/// `explain --profiles`, with provenance (run, as-of, rules SHA-256, input file and line) and reviews.
///
/// When the run's input file and rules bundle are still there unchanged, the business's record is
/// read again and re-evaluated with tracing, so the view shows the field values each condition
/// read; the logged decisions are listed beside it and any difference is flagged. Otherwise the
/// view is rendered from the log alone (outcome, each condition's result, reasons, amount) and
/// says why field values are unavailable.
public enum LogExplanation {
    public enum Result: Sendable, Equatable {
        case explained(String)
        /// The business's row was rejected in that run (not evaluated).
        case rejected(String)
        case notFound(String)
    }

    /// When a name was typed for the code (it holds Chinese): the run's businesses whose name
    /// contains it, with their codes, at most 10 (first-day review: an official typed the firm's
    /// name and was told only that it is not in the run). "" for a code.
    static func namesNote(store: DecisionStore, run: RunRecord, typed: String) throws -> String {
        let text = TextTrimming.trim(typed)
        guard text.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }), !run.services.isEmpty else { return "" }
        let found = try businesses(named: text, store: store, run: run)
        guard found.count > 0 else {
            return "; 没有名称含'\(text)'的企业 no business of that name either (explain CODE takes the 统一社会信用代码; "
                + "explain --firm and log show --firm also take part of a name)"
        }
        return "; 名称含'\(text)'的企业 businesses of that name in run \(run.id): "
            + found.businesses.map { "\($0.name) \($0.creditCode)" }.joined(separator: ", ") + (found.more > 0 ? ", … (+\(found.more))" : "")
            + " (explain CODE takes the 统一社会信用代码, 请用信用代码; explain --firm and log show --firm also take part of a name)"
    }

    /// The businesses of run `run` whose name contains `text` (`ProfileSearch.nameKey`), in row
    /// order, the first `limit` kept: for `explain --firm NAME --run RUN`. Read from one service's
    /// decisions, which every business of the run has.
    public static func businesses(named text: String, store: DecisionStore, run: RunRecord, limit: Int = 10) throws -> ProfileSearch.NameMatches {
        var found = ProfileSearch.NameMatches()
        guard let first = run.services.first else { return found }
        let key = ProfileSearch.nameKey(text)
        var seen = Set<String>()
        try store.forEachDecision(run: run.id, filter: DecisionFilter(serviceID: first.id)) { d in
            let input = run.provenance.inputs.indices.contains(d.input) ? run.provenance.inputs[d.input].path : "?"
            found.add(ProfileSearch.Named(creditCode: d.record.creditCode, name: d.record.name, file: input, line: d.line),
                      key: key, limit: limit, seen: &seen)
        }
        return found
    }

    public static func explain(store: DecisionStore, run id: Int64, creditCode: String, serviceID: String? = nil) throws -> Result {
        let run = try store.requireRun(id)
        let serviceID = try serviceID.map { try run.requireService(id: $0, log: store.location).id }  // as the run spells it
        guard let business = try store.business(run: id, creditCode: creditCode) else {
            var rejected: LoggedReject?
            try store.forEachReject(run: id) { r in
                if rejected == nil, r.reject.isRow(of: creditCode) { rejected = r }
            }
            if let r = rejected?.reject {
                return .rejected("\(creditCode): rejected in run \(id) at \(r.file):\(r.line) — \(r.reason) (该行被拒收, 未评估)")
            }
            // A run that stopped early may not have reached the business (reviewer review: "not in
            // run 1" for a business of row 2,899 of a run interrupted at row 512).
            let unfinished = run.status == .completed ? ""
                : "; run \(id) is \(run.status.rawValue) (\(run.status.label)) after \(run.rowsCommitted) input rows, so later rows are not in it yet"
                  + (run.status == .interrupted ? ": `huiqi run --resume \(id) --db \(ShellWord.quoted(store.location))` completes it (运行未完成, 续跑后再查)" : " (运行未完成)")
            // A shard run holds only its shard's businesses: say which shard has this one.
            var elsewhere = ""
            if let shard = run.provenance.shard, !shard.owns(code: creditCode, row: 1) {
                let owner = RunShard.owner(code: creditCode, count: shard.count)
                elsewhere = "; run \(id) is shard \(shard) of a split run and this code falls to shard \(owner)/\(shard.count) "
                    + "(该企业属于第 \(owner) 分片): look in that shard's log, or in the log `huiqi log merge` made of all \(shard.count)"
            }
            return .notFound("\(creditCode): not in run \(id) (运行 \(id) 中没有该企业); inputs: "
                             + run.provenance.inputs.map(\.path).joined(separator: ", ") + unfinished + elsewhere
                             + (try namesNote(store: store, run: run, typed: creditCode)))
        }
        let logged = try store.decisions(run: id, filter: DecisionFilter(serviceID: serviceID, creditCode: creditCode))
        var reviews: [DecisionID: [Review]] = [:]
        for d in logged { reviews[d.id] = try store.reviews(for: d.id) }
        // What an earlier run's reviews reviewed: its decision's rule and as-of (the same rule on
        // another date carries a review over; a review whose rule the log does not know, too).
        var reviewed: [Int64: (rule: String?, asOf: String)] = [:]
        var asOfByRun: [Int64: String] = [:]
        for r in reviews.values.joined() where r.run != id {
            if asOfByRun[r.run] == nil { asOfByRun[r.run] = try store.run(r.run)?.provenance.asOf ?? "?" }
            reviewed[r.id] = (try store.decision(r.decision)?.decision.ruleID, asOfByRun[r.run] ?? "?")
        }
        let context = Context(run: run, business: business, logged: logged, reviews: reviews, reviewed: reviewed)

        switch reevaluate(context, serviceID: serviceID) {
        case .success(let explanation):
            var view = explanation
            view.notes += context.provenanceLines()
            return .explained(view.render() + "\n\n" + context.comparison(with: view.decisions))
        case .failure(let why):
            return .explained(context.renderFromLog(unavailable: why.reason))
        }
    }

    private struct Unavailable: Error {
        var reason: String
    }

    /// Re-reads the business's record and re-evaluates it, or says why that is not possible.
    private static func reevaluate(_ c: Context, serviceID: String?) -> Swift.Result<Explanation, Unavailable> {
        let p = c.run.provenance
        guard c.run.provenance.inputs.indices.contains(c.business.input) else {
            return .failure(Unavailable(reason: "输入文件未记录 (the input file is not recorded)"))
        }
        let input = p.inputs[c.business.input]
        let here = FileManager.default.currentDirectoryPath == p.workingDirectory
        let inputPath = here ? input.path : input.absolutePath
        guard FileManager.default.fileExists(atPath: inputPath) else {
            return .failure(Unavailable(reason: "输入文件 \(inputPath) 已不存在 (the input file is gone)"))
        }
        guard let digest = try? FileDigest.sha256(path: inputPath), digest.hex == input.sha256 else {
            return .failure(Unavailable(reason: "输入文件 \(inputPath) 已修改 (the input file changed since the run: its SHA-256 differs)"))
        }
        let rulesDirectory = here ? p.rulesDirectory : p.rulesPath
        guard let bundle = try? RuleBundle(directory: rulesDirectory) else {
            return .failure(Unavailable(reason: "规则包 \(rulesDirectory) 无法读取 (the rules bundle is gone)"))
        }
        guard bundle.sha256 == p.rulesSHA256 else {
            return .failure(Unavailable(reason: "规则包 \(rulesDirectory) 已修改 (the rules changed since the run: SHA-256 now \(bundle.sha256.prefix(12))…"
                                        + RuleBundle.modifiedSinceNote(directory: rulesDirectory, startedAt: c.run.startedAt) + ")"))
        }
        do {
            let loaded = try LoadedBundle.load(directory: rulesDirectory)
            var stream = try ProfileStream(files: [URL(fileURLWithPath: inputPath)], schema: loaded.schema, encoding: p.encoding,
                                           allowExtra: p.allowExtra, asOf: p.asOf)
            stream.skipsRecordsBefore = c.business.line
            while let record = try stream.next() {
                guard case .profile(var profile) = record, profile.line == c.business.line else { continue }
                guard profile.text(Schema.creditCodeField, in: loaded.schema) == c.business.creditCode else { break }
                profile.source = input.path
                let runtime = try RuleRuntime(bundle: loaded, asOf: p.asOf, limits: p.limits)
                return .success(Explanation(runtime: runtime, profile: profile, serviceFilter: serviceID))
            }
            return .failure(Unavailable(reason: "在 \(input.path) 第 \(c.business.line) 行未找到该企业 (record not found at its logged line)"))
        } catch {
            return .failure(Unavailable(reason: "重新评估失败 (cannot re-evaluate): \(LoggedRun.text(of: error))"))
        }
    }

    /// What the views share: the run, the business, its logged decisions and their reviews.
    private struct Context {
        var run: RunRecord
        var business: LoggedBusiness
        var logged: [LoggedDecision]
        var reviews: [DecisionID: [Review]]
        /// Review id → the rule and as-of of the decision it reviewed, for reviews of other runs.
        var reviewed: [Int64: (rule: String?, asOf: String)] = [:]

        var inputPath: String {
            run.provenance.inputs.indices.contains(business.input) ? run.provenance.inputs[business.input].path : "?"
        }

        func provenanceLines() -> [String] {
            let p = run.provenance
            var lines = ["运行 run: \(run.id) (\(run.status.rawValue) \(run.status.label))   开始 started: \(ISOTimestamp.local(run.startedAt))   工具版本 tool: \(p.toolVersion)"]
            lines.append("规则包 rules: \(p.rulesDirectory)   SHA-256: \(p.rulesSHA256)   服务目录版本 catalog: \(p.catalogVersion)")
            if p.inputs.indices.contains(business.input) {
                let input = p.inputs[business.input]
                lines.append("输入 input: \(input.path):\(business.line) (第 \(business.row) 条数据行 data row \(business.row) of the run, 文件 SHA-256: \(input.sha256.prefix(16))…)")
            }
            if p.toolVersion != HuiqiVersion.current {
                lines.append("注意 note: the run was made by huiqi \(p.toolVersion), this is \(HuiqiVersion.current)")
            }
            return lines
        }

        /// Every review of the decision's business × service up to this run, oldest first. Each
        /// says whether it applies: an earlier run's review whose outcome differs does not (as in
        /// `log show`), and with several, the one in effect is marked.
        func reviewLines(_ d: LoggedDecision) -> [String] {
            let all = reviews[d.id] ?? []
            return all.map { r in
                var line = "  审核 review: \(r.summary(viewedFrom: run.id))"
                if r.run != run.id && !r.carriesOver(to: d.decision.outcome, amount: d.decision.amount, rule: d.ruleVersion) {
                    let what = r.whatChanged(outcome: d.decision.outcome, rule: d.ruleVersion)
                    let why = TerminalText.visible(r.whyNotCarriedOver(outcome: d.decision.outcome, rule: d.ruleVersion), keepLines: false)
                    line += "   ⚠ 不适用: \(why), 需重新审核 (not applicable: \(what) has changed since)"
                } else {
                    if all.count > 1, d.isReviewed, r.id == d.review?.id { line += "   ← 以此为准 (in effect)" }
                    // Carried over from a decision of another date (or of a rule the log could not
                    // tell, see migration v8): say which the reviewer saw (yearly-update review).
                    if r.run != run.id, let what = reviewed[r.id], what.rule != d.decision.ruleID || what.asOf != run.provenance.asOf {
                        let rule = TerminalText.visible(what.rule ?? "?", keepLines: false)
                        line += "   审核的是规则 \(rule) 的决定 (reviewed a decision of rule \(rule), as of \(what.asOf))"
                    }
                }
                return line
            }
        }

        /// The logged decisions beside the re-evaluated ones, differences flagged.
        func comparison(with fresh: [Decision]) -> String {
            var out = ["日志记录 logged decisions (运行 run \(run.id)):"]
            let byService = Dictionary(fresh.map { ($0.serviceID, $0) }, uniquingKeysWith: { a, _ in a })
            var differences = 0
            for d in logged {
                let dec = d.decision
                var line = "[\(dec.serviceID)] 决定编号 decision \(d.id) — \(dec.outcome.label)"
                if let amount = dec.amount { line += "   金额: \(DecisionFileWriter.money(amount)) 元" }
                if let now = byService[dec.serviceID] {
                    let diff = LogExplanation.differences(logged: dec, now: now)
                    if diff.isEmpty {
                        line += "   ✓ 与重新评估一致 (matches)"
                    } else {
                        differences += 1
                        line += "   ⚠ 与重新评估不一致 (differs): " + diff.joined(separator: "; ")
                    }
                }
                out.append(line)
                out += reviewLines(d)
            }
            if differences > 0 {
                out.append("⚠ \(differences) 项与日志不一致: same input, rules and as-of should give the same decisions; compare the huiqi versions")
            }
            return out.joined(separator: "\n")
        }

        /// The explain view from the log alone.
        func renderFromLog(unavailable reason: String) -> String {
            let p = run.provenance
            var out = ["\(TerminalText.visible(business.name, keepLines: false)) (\(business.creditCode))"]
            if !business.street.isEmpty { out.append("街道: \(TerminalText.visible(business.street, keepLines: false))") }
            out.append("判定日期 as-of: \(p.asOf)   规则包 SHA-256: \(p.rulesSHA256.prefix(12))…   来源: \(inputPath):\(business.line)")
            out += provenanceLines()
            out.append("字段值不可用 (field values unavailable): \(reason); 以下为日志记录的结果 (shown from the log)")
            let rulesByID = Dictionary(p.rules.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            for d in logged {
                let dec = d.decision
                out.append("")
                var head = "[\(dec.serviceID)] \(d.record.serviceName) — \(dec.outcome.label)"
                if let amount = dec.amount { head += "   金额: \(DecisionFileWriter.money(amount)) 元" }
                if let score = dec.score { head += "   评分: \(LuaNumberText.format(score))" }
                out.append(head)
                out.append("  决定编号 decision: \(d.id)")
                if let rule = dec.ruleID { out.append("  规则 rule: \(rule) (\(rulesByID[rule]?.file ?? d.ruleFile ?? ""))") }
                if let params = run.service(id: dec.serviceID)?.paramsText, !params.isEmpty {
                    out.append("  参数 params: \(TerminalText.visible(params, keepLines: false))")
                }
                for (k, c) in dec.conditions.enumerated() {
                    var line = "  \(dec.conditionMark(k)) \(c.label)"
                    if let missing = c.missingField { line += "    缺少: \(missing)" }
                    if let note = c.note { line += "    待定: \(TerminalText.visible(note, keepLines: false))" }
                    line += dec.raisedNote(k)
                    out.append(line)
                }
                if dec.reasonsExplainBeyondConditions {  // one line whatever they hold, as `Explanation.render`
                    out.append("  理由: " + dec.reasons.map { TerminalText.visible($0, keepLines: false) }.joined(separator: "; "))
                }
                if let message = dec.errorMessage { out.append("  错误: \(message)") }
                if let tb = dec.traceback { out += LuaError.readableTraceback(tb).map { "    " + $0 } }
                out += reviewLines(d)
            }
            return out.joined(separator: "\n")
        }
    }

    /// How a logged decision differs from a fresh one. Not compared: the fields read (not logged),
    /// an error's traceback and the line where an instruction budget ran out. The message names
    /// the rule's file and line; the traceback also holds the engine's own frames, which differ
    /// between a run and this re-evaluation (it reads fields through a tracing `__index`, which
    /// also spends budget) and between huiqi versions.
    static func differences(logged: Decision, now: Decision) -> [String] {
        var fresh = now
        fresh.fieldsRead = nil
        for k in fresh.conditions.indices { fresh.conditions[k].fieldsRead = nil }
        fresh.traceback = logged.traceback
        if comparable(fresh.errorMessage) == comparable(logged.errorMessage) { fresh.errorMessage = logged.errorMessage }
        guard fresh != logged else { return [] }
        var out: [String] = []
        if logged.outcome != fresh.outcome { out.append("结果 outcome 日志 \(logged.outcome.label), 现 \(fresh.outcome.label)") }
        if logged.ruleID != fresh.ruleID { out.append("规则 rule 日志 \(logged.ruleID ?? "-"), 现 \(fresh.ruleID ?? "-")") }
        if logged.amount != fresh.amount {
            out.append("金额 amount 日志 \(logged.amount.map(DecisionFileWriter.money) ?? "-"), 现 \(fresh.amount.map(DecisionFileWriter.money) ?? "-")")
        }
        if logged.score != fresh.score { out.append("评分 score 日志 \(logged.score.map(LuaNumberText.format) ?? "-"), 现 \(fresh.score.map(LuaNumberText.format) ?? "-")") }
        if logged.conditions != fresh.conditions { out.append("条件结果 conditions differ") }
        if logged.reasons != fresh.reasons { out.append("理由 reasons 日志 \(logged.reasons.joined(separator: "; ")), 现 \(fresh.reasons.joined(separator: "; "))") }
        if comparable(logged.errorMessage) != comparable(fresh.errorMessage) { out.append("错误信息 error differs") }
        return out
    }

    /// An error message as compared: where an instruction budget ran out is left out, because
    /// re-evaluating with field tracing spends budget too, so it runs out a little elsewhere.
    static func comparable(_ message: String?) -> String? {
        guard let message, let r = message.range(of: "instruction budget exceeded") else { return message }
        let head = message[..<r.lowerBound]
        // "rule 'x' (file): Rules/x.lua:12: instruction budget…": drop the "Rules/x.lua:12: " part.
        guard let colon = head.dropLast(2).lastIndex(of: ":"), head.hasSuffix(": "),
              let start = head[..<colon].range(of: ": ", options: .backwards)?.upperBound else { return message }
        return String(message[..<start] + message[r.lowerBound...])
    }
}
