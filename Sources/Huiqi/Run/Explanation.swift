import HuiqiLua
/// `huiqi explain`: one business, every service's outcome, each condition with the fields it read
/// and their values, the amount — as text for a reviewer.
public struct Explanation: Sendable {
    public var profile: Profile
    public var schema: Schema
    public var asOf: String
    public var rulesSHA256: String
    public var decisions: [Decision]
    public var serviceNames: [String: String]
    public var ruleFiles: [String: String]
    /// Service id → its params as the rules saw them (`cap=80000, relief_months=2`): an amount
    /// is the params applied, and a new year's amounts change only them (yearly-update review).
    public var serviceParams: [String: String] = [:]
    /// Extra header lines (run id, input file, reviews) supplied by the caller.
    public var notes: [String] = []
    /// What the rules printed (`print`) while evaluating this business, for an analyst debugging.
    public var printed: [String] = []

    public init(runtime: RuleRuntime, profile: Profile, serviceFilter: String? = nil) {
        self.profile = profile
        schema = runtime.schema
        asOf = runtime.plan.asOf
        rulesSHA256 = runtime.loaded.bundle.sha256
        _ = runtime.takePrinted()  // not an earlier business's
        decisions = runtime.decisions(for: profile, trace: true).filter { serviceFilter == nil || $0.serviceID == serviceFilter }
        printed = runtime.takePrinted()
        serviceNames = Dictionary(runtime.plan.slots.map { ($0.service.id, $0.service.name) }, uniquingKeysWith: { a, _ in a })
        ruleFiles = Dictionary(runtime.rules.map { ($0.id, $0.file) }, uniquingKeysWith: { a, _ in a })
        serviceParams = Dictionary(runtime.plan.slots.map { ($0.service.id, $0.service.paramsText(on: runtime.plan.asOf)) },
                                   uniquingKeysWith: { a, _ in a })
    }

    /// A field's value as a reviewer reads it: enum labels, 是/否, "(缺失)" when absent.
    public func valueText(_ field: String) -> String {
        guard let i = schema.index(of: field) else { return "?" }
        guard let v = profile[i] else { return "(缺失)" }
        switch v {
        case .boolean(let b): return b ? "是" : "否"
        case .string(let s):
            // One line whatever the data holds: a value's line break would start a line of its own
            // that reads like the tool's (review: a name forged a review line in `explain`).
            return schema.fields[i].values.first { $0.value == s }.map { "\($0.displayName)" } ?? TerminalText.visible(s, keepLines: false)
        default: return TerminalText.visible(v.reviewText, keepLines: false)
        }
    }

    public func render() -> String {
        var out: [String] = []
        let name = TerminalText.visible(profile.text(Schema.nameField, in: schema), keepLines: false)
        let code = TerminalText.visible(profile.text(Schema.creditCodeField, in: schema), keepLines: false)
        out.append("\(name) (\(code))")
        var facts = ["主体类型: \(valueText(Schema.subjectTypeField))"]
        if schema.index(of: Schema.streetField) != nil { facts.append("街道: \(valueText(Schema.streetField))") }
        out.append(facts.joined(separator: "   "))
        out.append("判定日期 as-of: \(asOf)   规则包 SHA-256: \(rulesSHA256.prefix(12))…   来源: \(profile.source):\(profile.line)")
        out += notes
        for d in decisions {
            out.append("")
            var head = "[\(d.serviceID)] \(serviceNames[d.serviceID] ?? "") — \(d.outcome.label)"
            if let amount = d.amount { head += "   金额: \(DecisionFileWriter.money(amount)) 元" }
            if let score = d.score { head += "   评分: \(LuaNumberText.format(score))" }
            out.append(head)
            if let rule = d.ruleID { out.append("  规则 rule: \(rule) (\(ruleFiles[rule] ?? ""))") }
            if let params = serviceParams[d.serviceID], !params.isEmpty { out.append("  参数 params: \(TerminalText.visible(params, keepLines: false))") }
            for (k, c) in d.conditions.enumerated() {
                var line = "  \(d.conditionMark(k)) \(c.label)"
                let reads = (c.fieldsRead ?? []).map { "\($0)=\(valueText($0))" }
                if !reads.isEmpty { line += "    读取: " + reads.joined(separator: ", ") }
                if let missing = c.missingField { line += "    缺少: \(schema.field(named: missing)?.displayName ?? missing)" }
                if let note = c.note { line += "    待定: \(TerminalText.visible(note, keepLines: false))" }
                line += d.raisedNote(k)
                out.append(line)
            }
            if d.conditions.isEmpty || d.outcome != .eligible || !(d.fieldsRead ?? []).isEmpty {
                if d.reasonsExplainBeyondConditions {
                    out.append("  理由: " + d.reasons.map { TerminalText.visible($0, keepLines: false) }.joined(separator: "; "))
                }
                if let reads = d.fieldsRead, !reads.isEmpty {
                    out.append("  读取: " + reads.map { "\($0)=\(valueText($0))" }.joined(separator: ", "))
                }
            }
            if let message = d.errorMessage { out.append("  错误: \(message)") }
            if let tb = d.traceback { out += LuaError.readableTraceback(tb).map { "    " + $0 } }
        }
        if !printed.isEmpty {
            out.append("")
            out.append("规则的 print 输出 (what rules printed for this business, all services):")
            out += printed.map { "  print: " + $0 }
        }
        return out.joined(separator: "\n")
    }
}
