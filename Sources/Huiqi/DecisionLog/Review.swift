/// A reviewer's confirm/reject of one decision, kept across later runs (PRODUCT.md §7).
public struct Review: Sendable, Equatable {
    public var id: Int64
    /// The decision reviewed (its run, row and slot).
    public var decision: DecisionID
    public var creditCode: String
    public var serviceID: String
    /// The decision's outcome when it was reviewed: a later run's review status only carries an
    /// earlier review over while the outcome is the same.
    public var outcome: Outcome
    /// The decision's amount when it was reviewed, as `Review.amountText` writes it ("" for none);
    /// nil for a review made before logs kept it (log v5), which carries over by outcome alone.
    public var amount: String?
    /// The rule that made the decision reviewed (log v8); nil for a review whose decision the
    /// upgrade to v8 could not read, which carries over by outcome and amount.
    public var rule: RuleVersion?
    public var verdict: Verdict
    public var reviewer: String
    /// ISO-8601 UTC.
    public var at: String
    public var note: String?

    public init(id: Int64, decision: DecisionID, creditCode: String, serviceID: String, outcome: Outcome, amount: String? = nil,
                rule: RuleVersion? = nil, verdict: Verdict, reviewer: String, at: String, note: String?) {
        self.id = id
        self.decision = decision
        self.creditCode = creditCode
        self.serviceID = serviceID
        self.outcome = outcome
        self.amount = amount
        self.rule = rule
        self.verdict = verdict
        self.reviewer = reviewer
        self.at = at
        self.note = note
    }

    public var run: Int64 { decision.run }

    /// An amount as reviews keep it: as every listing shows it (`DecisionFileWriter.money`, to the
    /// 分, no negative zero), "" for none. (Review: `%.2f` rounded 500.005 down where listings show
    /// 500.01, so a confirmation carried over to an amount it did not see.)
    public static func amountText(_ amount: Double?) -> String {
        amount.map(DecisionFileWriter.money) ?? ""
    }

    /// Whether this review, made in an earlier run, applies to a later decision of the same
    /// business × service: made by the same rule (`RuleVersion.isSame`), with the same outcome,
    /// and for a confirmation the same amount. A reviewer who confirmed 42,795.45 元 did not
    /// approve the 30,568.18 元 a later run gave (reviewer and analyst reviews: it carried over as
    /// 已确认, and `--unreviewed` hid it), nor what a new or edited rule decides, even alike
    /// (review: a confirmation carried over to a new year's rule). A reject stands while the rule
    /// and outcome do, whatever the amount (final review: an upgraded log put a rejected business
    /// back on a delivered run's lists).
    public func carriesOver(to outcome: Outcome, amount: Double?, rule: RuleVersion) -> Bool {
        self.outcome == outcome && isSameRule(as: rule)
            && (verdict == .reject || self.amount == nil || self.amount == Review.amountText(amount))
    }

    /// Whether the decision reviewed was made by `rule`; true when the log does not know which
    /// rule made it (a review whose decision the upgrade to log v8 could not read).
    func isSameRule(as rule: RuleVersion) -> Bool {
        self.rule.map { $0.isSame(as: rule) } ?? true
    }

    /// Whether this review applies to decision `id` (its outcome, amount and rule): made for the
    /// decision's own run, or carried over from an earlier one.
    public func applies(to id: DecisionID, outcome: Outcome, amount: Double?, rule: RuleVersion) -> Bool {
        run == id.run || carriesOver(to: outcome, amount: amount, rule: rule)
    }

    /// Why this earlier run's review does not apply to a decision with `outcome`, made by `rule`:
    /// "运行1审核时为规则 rent.old 的决定", "运行1审核后规则 rent.relief 已修改", "运行1审核后规则
    /// rent.relief 所用的模块 lib/baoan.lua 已修改", "运行1审核时为符合" or
    /// "运行1审核时金额为 42795.45".
    public func whyNotCarriedOver(outcome: Outcome, rule: RuleVersion) -> String {
        if !isSameRule(as: rule), let reviewed = self.rule {
            if reviewed.id != rule.id {
                return "运行\(run)审核时为" + (reviewed.id.map { "规则 \($0) 的决定" } ?? "无规则的决定")
            }
            if reviewed.sourceSHA256 != nil, reviewed.sourceSHA256 == rule.sourceSHA256 {
                let modules = rule.changedModules(since: reviewed)
                if !modules.isEmpty {
                    return "运行\(run)审核后规则 \(reviewed.id ?? "?") 所用的模块 \(modules.joined(separator: ", ")) 已修改"
                }
                // The same file, and one side logged before v9 (no modules): the bundle changed,
                // and the log cannot tell whether the modules did (code review: "已修改" was false).
                if (reviewed.modules == nil) != (rule.modules == nil) {
                    return "运行\(run)的日志未记录规则 \(reviewed.id ?? "?") 所用的模块 (升级到日志 v9 之前), 其后规则包已修改"
                }
            }
            return "运行\(run)审核后规则 \(reviewed.id ?? "?") 已修改"
        }
        if self.outcome != outcome { return "运行\(run)审核时为\(self.outcome.label)" }
        return "运行\(run)审核时金额为 \(amount.map { $0.isEmpty ? "无" : $0 } ?? "?")"
    }

    /// What of a decision changed since this earlier run's review, in English, for the same cases
    /// as `whyNotCarriedOver`: "the rule", "the outcome" or "the amount".
    public func whatChanged(outcome: Outcome, rule: RuleVersion) -> String {
        if !isSameRule(as: rule) { return "the rule" }
        return self.outcome != outcome ? "the outcome" : "the amount"
    }

    /// `已确认 张三 2025-06-02 16:00:00 +08:00` (local time) plus `(运行 2)` when it comes from run
    /// `run` ≠ `viewedRun`.
    public func summary(viewedFrom viewedRun: Int64? = nil) -> String {
        var text = "\(verdict.label) \(TerminalText.visible(reviewer, keepLines: false)) \(ISOTimestamp.local(at))"
        if let viewedRun, viewedRun != run { text += " (来自运行 \(run) from run \(run))" }
        if let note, !note.isEmpty { text += " — \(TerminalText.visible(note, keepLines: false))" }
        return text
    }
}
