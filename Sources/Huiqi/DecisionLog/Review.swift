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
    public var verdict: Verdict
    public var reviewer: String
    /// ISO-8601 UTC.
    public var at: String
    public var note: String?

    public init(id: Int64, decision: DecisionID, creditCode: String, serviceID: String, outcome: Outcome, verdict: Verdict,
                reviewer: String, at: String, note: String?) {
        self.id = id
        self.decision = decision
        self.creditCode = creditCode
        self.serviceID = serviceID
        self.outcome = outcome
        self.verdict = verdict
        self.reviewer = reviewer
        self.at = at
        self.note = note
    }

    public var run: Int64 { decision.run }

    /// `已确认 张三 2025-06-02 16:00:00 +08:00` (local time) plus `(运行 2)` when it comes from run
    /// `run` ≠ `viewedRun`.
    public func summary(viewedFrom viewedRun: Int64? = nil) -> String {
        var text = "\(verdict.label) \(reviewer) \(ISOTimestamp.local(at))"
        if let viewedRun, viewedRun != run { text += " (来自运行 \(run) from run \(run))" }
        if let note, !note.isEmpty { text += " — \(note)" }
        return text
    }
}
