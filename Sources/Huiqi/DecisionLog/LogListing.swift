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
            let counts = r.read.map { "\($0)/\(r.evaluated ?? 0)/\(r.rejected ?? 0)" } ?? "-"
            return [String(r.id), status, r.provenance.asOf, ISOTimestamp.local(r.startedAt), r.endedAt.map { ISOTimestamp.local($0) } ?? "-", counts,
                    String(r.provenance.rulesSHA256.prefix(12)), r.provenance.inputs.map(\.path).joined(separator: ", ")]
        }
        return TextTable.render(headers: headers, rows: rows)
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
