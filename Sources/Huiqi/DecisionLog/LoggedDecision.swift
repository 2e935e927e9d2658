/// One decision read back from the log: the record as the run produced it, where it sits, and
/// the review that applies to it.
public struct LoggedDecision: Sendable, Equatable {
    public var id: DecisionID
    /// Business, service name and the decision with reasons, conditions, amount, score, error.
    public var record: DecisionRecord
    /// The rule's file, when a rule decided.
    public var ruleFile: String?
    /// The rule that made it, as reviews are carried over by (`Review.carriesOver`).
    public var ruleVersion: RuleVersion
    /// `RunInput.ordinal` and line of the business's record.
    public var input: Int
    public var line: Int
    /// The latest review of this decision, or else the latest review of the same business ×
    /// service in an earlier run (see `reviewIsCarriedOver`).
    public var review: Review?

    public init(id: DecisionID, record: DecisionRecord, ruleFile: String?, ruleVersion: RuleVersion, input: Int, line: Int,
                review: Review? = nil) {
        self.id = id
        self.record = record
        self.ruleFile = ruleFile
        self.ruleVersion = ruleVersion
        self.input = input
        self.line = line
        self.review = review
    }

    public var decision: Decision { record.decision }

    /// Whether `review` was made in an earlier run.
    public var reviewIsCarriedOver: Bool { review.map { $0.run != id.run } ?? false }

    /// Reviewed in this run, or in an earlier run while the rule and outcome (and a confirmation's
    /// amount) were the same (`Review.applies`).
    public var isReviewed: Bool {
        review?.applies(to: id, outcome: record.decision.outcome, amount: record.decision.amount, rule: ruleVersion) ?? false
    }

    /// The review column of listings: 未审核, 已确认 张三 …, or an earlier run's review.
    public var reviewText: String {
        guard let review else { return "未审核" }
        if review.run == id.run { return "\(review.verdict.label) \(review.reviewer)" }
        if isReviewed { return "\(review.verdict.label) \(review.reviewer) (运行\(review.run))" }
        return "未审核 (\(review.whyNotCarriedOver(outcome: record.decision.outcome, rule: ruleVersion)))"
    }
}
