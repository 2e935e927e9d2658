import Foundation

/// What differs between two runs besides their decisions, for `huiqi log diff`: the rules each
/// service had, and the profiles read. With the params (`LoggedService.paramChanges`) they say why
/// decisions moved: a new year's rule, other data, or other amounts (yearly-update review: the
/// diff named the params only).
extension RunRecord {
    /// How the rules of service `serviceID` differ from run `a` to run `b`: rules added, removed,
    /// kept with other condition labels (`−'old label' +'new label'`), or kept with the same labels
    /// in a file whose text changed (log v8 keeps each rule file's SHA-256: such a rule's decisions
    /// do not take earlier reviews over, `RuleVersion`), or kept in the same file with a `lib/`
    /// module it requires changed (log v9). Empty when the same, or when either run
    /// was logged without its rules. Between runs logged before v8 an edit that leaves a rule's id
    /// and labels as they were shows only in the bundle's SHA-256.
    public static func ruleChanges(of serviceID: String, from a: RunRecord, to b: RunRecord) -> [String] {
        guard !a.provenance.rules.isEmpty, !b.provenance.rules.isEmpty else { return [] }
        let before = a.provenance.rules.filter { $0.serviceID == serviceID }
        let after = b.provenance.rules.filter { $0.serviceID == serviceID }
        func shown(_ text: String) -> String { TerminalText.visible(text, keepLines: false) }
        var out: [String] = []
        for rule in after where !before.contains(where: { $0.id == rule.id }) { out.append("新增 added \(shown(rule.id))") }
        for rule in before where !after.contains(where: { $0.id == rule.id }) { out.append("去掉 removed \(shown(rule.id))") }
        for rule in after {
            guard let earlier = before.first(where: { $0.id == rule.id }) else { continue }
            if earlier.hasEvaluate != rule.hasEvaluate {
                out.append("\(shown(rule.id)) \(earlier.hasEvaluate ? "evaluate()" : "conditions") → \(rule.hasEvaluate ? "evaluate()" : "conditions")")
                continue
            }
            let gone = earlier.conditionLabels.filter { !rule.conditionLabels.contains($0) }
            let new = rule.conditionLabels.filter { !earlier.conditionLabels.contains($0) }
            if !gone.isEmpty || !new.isEmpty {
                let labels = gone.map { "−'\(shown($0))'" } + new.map { "+'\(shown($0))'" }
                out.append("\(shown(rule.id)) 条件 conditions " + labels.joined(separator: " "))
            } else if let old = earlier.sourceSHA256, let now = rule.sourceSHA256, old != now {
                out.append("\(shown(rule.id)) 规则文件已修改 its file changed (\(shown(rule.file)); 之前的审核不再沿用 earlier reviews do not carry over)")
            } else if let old = earlier.modules, let now = rule.modules, old != now {
                let files = LoggedRule.changedModules(old, now).map(shown).joined(separator: ", ")
                out.append("\(shown(rule.id)) 所用的模块已修改 a module it requires changed (\(files); 之前的审核不再沿用 earlier reviews do not carry over)")
            }
        }
        return out
    }

    /// Whether runs `a` and `b` read the same profile files (by SHA-256, in any order): "输入 inputs:
    /// 相同 the same files (SHA-256)", or each run's files by name and the start of their SHA-256.
    public static func inputsComparison(_ a: RunRecord, _ b: RunRecord) -> String {
        let shaA = a.provenance.inputs.map(\.sha256).sorted(), shaB = b.provenance.inputs.map(\.sha256).sorted()
        if shaA == shaB { return "输入 inputs: 相同 the same files (SHA-256)" }
        func files(_ r: RunRecord) -> String {
            r.provenance.inputs.map { input in
                "\(TerminalText.visible((input.path as NSString).lastPathComponent, keepLines: false)) (\(input.sha256.prefix(12))…)"
            }.joined(separator: ", ")
        }
        return "输入 inputs 不同 differ: \(files(a)) → \(files(b))"
    }
}
