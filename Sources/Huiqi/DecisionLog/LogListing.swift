import Foundation

/// The plain-text tables of `huiqi log runs` and `huiqi log show` (CJK-aligned, Chinese headers).
public enum LogListing {
    /// One line per run.
    public static func runsTable(_ runs: [RunRecord]) -> String {
        let headers = ["运行 run", "状态 status", "判定日期 as-of", "开始 started", "结束 ended", "读取/评估/拒收 read/eval/rej",
                       "规则 rules SHA-256", "输入 inputs"]
        let rows = runs.map { r -> [String] in
            var status = "\(r.status.rawValue) \(r.status.label)"
            if r.status != .completed { status += " (\(r.rowsCommitted) 行已提交)" }
            if r.recordedStatus == .running && r.status == .running && !r.provenance.process.isLocal {
                status += " @\(r.provenance.process.host)"
            }
            if let split = splitText(r) { status += " · " + split }
            let counts = r.read.map { "\($0)/\(r.evaluated ?? 0)/\(r.rejected ?? 0)" } ?? "-"
            return [String(r.id), status, r.provenance.asOf, ISOTimestamp.local(r.startedAt), r.endedAt.map { ISOTimestamp.local($0) } ?? "-", counts,
                    String(r.provenance.rulesSHA256.prefix(12)), r.provenance.inputs.map(\.path).joined(separator: ", ")]
        }
        return TextTable.render(headers: headers, rows: rows)
    }

    /// Everything one run recorded when it started (PRODUCT.md §7), for `huiqi log runs RUN`: what
    /// it read (each input's SHA-256), under which rules, catalog, schema, settings and program, by
    /// which command and process, and each service with the rules that judged it. What an auditor
    /// needs to say where a decision came from, and to redo the run. Data fields stay on one line.
    /// `log`: the log's path as the user gave it, for the resume command.
    /// The run's rejects file, and whether it is there to open (first-day review: the card named
    /// the file of a run without rejects, which the run removes, and one since deleted, as if there).
    static func rejectsFile(_ r: RunRecord, log: String?) -> String? {
        guard let path = r.provenance.rejectsPath else { return nil }
        if FileManager.default.fileExists(atPath: path) || r.status == .running { return path }
        if r.status == .completed && r.rejected == 0 { return "- (无拒收, 未写出文件 no rejects, no file)" }
        let db = log.map { " --db \(ShellWord.quoted($0))" } ?? ""
        return "\(path) (文件已不在 not there now; 从日志导出 again from the log: huiqi log rejects \(r.id)\(db))"
    }

    /// What the card can say of the rules' `effective` dates, which the log does not keep.
    public enum RuleDates {
        /// Not looked for.
        case unknown
        /// The bundle is no longer as the run had it (or is gone): the dates cannot be read.
        case changed
        /// The bundle as the run had it: its rules by id.
        case known([String: RuleDescriptor])
    }

    /// The run's rules with their `effective` dates, read from its bundle when that is still as the
    /// run had it (its SHA-256). A service may have last year's rule and this year's, and the log
    /// lists both (yearly-update review: which decided the run?). `here`: the working directory is
    /// the run's, so its rules directory is read as given.
    public static func ruleDates(of r: RunRecord, here: Bool) -> RuleDates {
        let p = r.provenance
        let directory = here ? p.rulesDirectory : p.rulesPath
        guard let bundle = try? RuleBundle(directory: directory), bundle.sha256 == p.rulesSHA256,
              let loaded = try? LoadedBundle.load(directory: directory),
              let runtime = try? RuleRuntime(bundle: loaded, asOf: p.asOf, limits: p.limits) else { return .changed }
        return .known(Dictionary(runtime.rules.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first }))
    }

    public static func runCard(_ r: RunRecord, moduleChanges: Int = 0, log: String? = nil, ruleDates: RuleDates = .unknown) -> String {
        let p = r.provenance
        let one = { (text: String) in TerminalText.visible(text, keepLines: false) }
        var lines: [String] = []
        func field(_ label: String, _ value: String) {
            lines.append(label + String(repeating: " ", count: max(1, 24 - TextTable.displayWidth(label))) + value)
        }
        var status = "\(r.status.rawValue) \(r.status.label)"
        if r.status == .interrupted {
            let db = log.map { " --db \(one(ShellWord.quoted($0)))" } ?? ""
            status += " — \(r.rowsCommitted) 行已提交 rows committed; complete it with `huiqi run --resume \(r.id)\(db)`"
        } else if r.status != .completed {
            status += " — \(r.rowsCommitted) 行已提交 rows committed so far"
        }
        lines.append("运行 run \(r.id): \(status)")
        if let shard = p.shard {
            field("分片 shard", "\(shard) — one part of a run split with --shard; put the \(shard.count) parts together with `huiqi log merge`")
        }
        field("判定日期 as-of", p.asOf)
        field("开始 started", ISOTimestamp.local(r.startedAt))
        field("结束 ended", r.endedAt.map { ISOTimestamp.local($0) } ?? "-")
        field("读取/评估/拒收", r.read.map { "\($0) read / \(r.evaluated ?? 0) evaluated / \(r.rejected ?? 0) rejected" } ?? "- (the run did not finish reading)")
        field("命令 command", one(p.commandLine))
        field("工作目录 directory", one(p.workingDirectory))
        // A resumed run records the process that resumed it; the command is the first one's.
        field("进程 process", "pid \(p.process.pid) on \(one(p.process.host)) (the run's latest start 最近一次启动)")
        field("程序 huiqi", p.toolVersion)
        field("规则包 rules", one(p.rulesDirectory) + (p.rulesDirectory == p.rulesPath ? "" : " (\(one(p.rulesPath)))"))
        field("规则包 SHA-256", p.rulesSHA256)
        field("服务目录版本 catalog", one(p.catalogVersion))
        field("字段定义 schema", "SHA-256 \(p.schemaSHA256)")
        let memory = p.maxMemoryBytes == 0 ? "0 (none)" : "\(p.maxMemoryBytes / (1024 * 1024))"
        field("设置 settings", "--jobs \(p.jobs) --encoding \(p.encoding.rawValue)\(p.allowExtra ? " --allow-extra" : "") "
              + "--max-instructions \(p.maxInstructions) --max-memory-mb \(memory)")
        field("输出 --out", p.outPath.map(one) ?? "-")
        field("拒收文件 rejects", rejectsFile(r, log: log).map(one) ?? "-")
        if moduleChanges > 0 {
            field("模块表 modules", "rule code changed a module's tables in \(moduleChanges) chunk(s) of rows (see `huiqi log runs`)")
        }
        if let n = r.mergedShards {
            field("合并自 merged from", "\(n) shards (`huiqi log merge`):")
            for part in r.parts {
                lines.append("  分片 shard \(part.shard)/\(n): \(one(part.sourceLog)) run \(part.sourceRun) on \(one(part.host)), "
                             + "\(part.evaluated) evaluated / \(part.rejected) rejected, \(ISOTimestamp.local(part.startedAt)) – "
                             + "\(part.endedAt.map { ISOTimestamp.local($0) } ?? "-")")
                lines.append("     命令 command: \(one(part.commandLine))")
            }
        }
        lines.append("输入 inputs (\(p.inputs.count)):")
        for input in p.inputs {
            var counts = ""
            if let rows = input.rows { counts = ", \(rows) rows, \(input.rejected ?? 0) rejected" }
            lines.append("  \(input.ordinal + 1). \(one(input.path)) (\(one(input.absolutePath))) \(input.size) bytes\(counts)"
                         + (input.encoding.map { ", \($0)" } ?? ""))
            lines.append("     SHA-256 \(input.sha256)")
        }
        lines.append("服务 services (\(p.services.count)) and their rules:")
        let rulesByService = Dictionary(grouping: p.rules, by: \.serviceID)
        if case .changed = ruleDates, rulesByService.values.contains(where: { $0.count > 1 }) {
            lines.append("  (规则包已修改, 各规则的生效期无从核对: 一项服务有多条规则时, 每个决定由哪条判定见 log show / explain 的规则编号; "
                         + "the bundle changed since the run, so the rules' effective dates cannot be read)")
        }
        for service in p.services {
            var about = [service.category, service.mode]
            if let provider = service.provider { about.append(provider) }
            lines.append("  \(service.slot + 1). \(one(service.id)) \(one(service.name)) (\(about.map(one).joined(separator: ", ")))")
            if let source = service.source { lines.append("     依据 source: \(one(source))") }
            if let params = service.paramsText, !params.isEmpty { lines.append("     参数 params (\(p.asOf)): \(one(params))") }
            for rule in rulesByService[service.id] ?? [] { lines.append("     " + ruleLine(rule)) }
        }
        // Rules of services the run did not plan (a policy out of force on the as-of date, a
        // service left out of the catalog): recorded too, since they were loaded and checked.
        let planned = Set(p.services.map(\.id))
        let others = p.rules.filter { !planned.contains($0.serviceID) }
        if !others.isEmpty {
            lines.append("其他规则 rules of services not evaluated in this run (\(others.count)):")
            for rule in others { lines.append("  " + ruleLine(rule) + " (service \(one(rule.serviceID)))") }
        }
        return lines.joined(separator: "\n")

        func ruleLine(_ rule: LoggedRule) -> String {
            let how = rule.hasEvaluate ? "evaluate()" : "conditions (\(rule.conditionLabels.count)): " + rule.conditionLabels.map(one).joined(separator: "; ")
            var line = "rule \(one(rule.id)) \(one(rule.file)) — \(how)"
            if case .known(let rules) = ruleDates, let d = rules[rule.id], d.effectiveFrom != nil || d.effectiveTo != nil {
                line += "   生效期 effective \(ServicePlan.period(from: d.effectiveFrom, to: d.effectiveTo))"
                if !d.isEffective(on: p.asOf) { line += ": 判定日期不在生效期内, 未判定 (not effective on \(p.asOf))" }
            }
            return line
        }
    }

    /// `分片 shard 2/4` for a shard run, `合并自 merged from 4 shards` for a merged one, else nil.
    static func splitText(_ r: RunRecord) -> String? {
        if let shard = r.provenance.shard { return "分片 shard \(shard)" }
        if let n = r.mergedShards { return "合并自 merged from \(n) shards" }
        return nil
    }

    /// One line per decision; long reasons are cut (the CSV/JSONL formats carry them whole).
    public static func decisionsTable(_ decisions: [LoggedDecision], reasonWidth: Int = 48) -> String {
        let headers = ["决定编号 id", "统一社会信用代码", "企业名称", "街道", "服务", "结果", "金额(元)", "理由", "审核"]
        let rows = decisions.map { d -> [String] in
            let r = d.record
            // For an error the message says more than "规则执行出错" (found in the analyst review).
            let why = r.decision.errorMessage.map(errorGist) ?? r.decision.reasons.joined(separator: "; ")
            return [d.id.description, r.creditCode, r.name, r.street, "\(r.decision.serviceID) \(r.serviceName)",
                    r.decision.outcome.label, r.decision.amount.map(DecisionFileWriter.money) ?? "",
                    cut(why, to: reasonWidth), d.reviewText]
        }
        return TextTable.render(headers: headers, rows: rows)
    }

    /// An error message's first line without the "rule 'x' (file): " the host puts in front, so
    /// the table's narrow column shows the cause ("Rules/x.lua:12: attempt to compare…").
    static func errorGist(_ message: String) -> String {
        let first = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
        guard first.hasPrefix("rule '"), let r = first.range(of: "): ") else { return first }
        return String(first[r.upperBound...])
    }

    /// `text` cut to `width` terminal columns, with `…` when cut.
    static func cut(_ text: String, to width: Int) -> String {
        guard TextTable.displayWidth(text) > width else { return text }
        var out = ""
        var used = 0
        for ch in text {
            let w = TextTable.displayWidth(String(ch))
            if used + w > width - 1 { break }
            out.append(ch)
            used += w
        }
        return out + "…"
    }
}
