/// The decision for one business and one service, with everything a reviewer needs to follow it.
public struct Decision: Sendable, Equatable, Codable {
    public var serviceID: String
    /// The rule that decided (nil only when no rule could be picked).
    public var ruleID: String?
    public var outcome: Outcome
    /// Reviewer-facing reasons (Chinese, from the rule's labels or its `evaluate` result).
    public var reasons: [String]
    /// Each condition's result, for rules written with `conditions`.
    public var conditions: [ConditionResult]
    /// 元.
    public var amount: Double?
    public var score: Double?
    /// For `error`: the message (with file:line) and the Lua traceback.
    public var errorMessage: String?
    public var traceback: String?
    /// Only in explanations: fields read by `evaluate`, `amount` or `score`.
    public var fieldsRead: [String]?

    public init(serviceID: String, ruleID: String?, outcome: Outcome, reasons: [String] = [],
                conditions: [ConditionResult] = [], amount: Double? = nil, score: Double? = nil,
                errorMessage: String? = nil, traceback: String? = nil, fieldsRead: [String]? = nil) {
        self.serviceID = serviceID
        self.ruleID = ruleID
        self.outcome = outcome
        self.reasons = reasons
        self.conditions = conditions
        self.amount = amount
        self.score = score
        self.errorMessage = errorMessage
        self.traceback = traceback
        self.fieldsRead = fieldsRead
    }
}

extension Decision {
    /// Whether an explanation shows the reasons beside the conditions: always for an `evaluate`
    /// rule (no conditions); for a conditions rule, when no condition failed or lacked data, so
    /// the list alone does not say why (the business's type is not served and every condition was
    /// skipped, or the amount lacked data).
    public var reasonsExplainBeyondConditions: Bool {
        guard !reasons.isEmpty else { return false }
        if conditions.isEmpty { return true }
        guard outcome == .ineligible || outcome == .undetermined else { return false }
        return !conditions.contains { $0.state == .failed || $0.state == .unknown }
    }
}

extension Decision {
    /// For a rule error in a conditions rule: the condition that was running (0-based), the first
    /// one not run. Nil when every condition ran (the error came from the amount or score).
    public var raisingCondition: Int? {
        guard outcome == .error else { return nil }
        return conditions.firstIndex { $0.state == .skipped }
    }

    /// How an explanation marks condition `k`: as `DecisionFileWriter.mark`, and "!" for the one
    /// that raised the error.
    public func conditionMark(_ k: Int) -> String {
        k == raisingCondition ? "!" : DecisionFileWriter.mark(conditions[k].state)
    }

    /// Condition `k`'s result as JSON and `huiqi test` name it: its state, or "error" for the one
    /// that raised the error.
    public func conditionResultName(_ k: Int) -> String {
        k == raisingCondition ? "error" : conditions[k].state.rawValue
    }

    /// The conditions column of CSV outputs: "✓ label; ✗ label; ! label", marked as in `explain`
    /// (the raising condition's `!` used to be `·`, like one never run: reviewer review).
    public var conditionsText: String {
        conditions.indices.map { "\(conditionMark($0)) \(conditions[$0].label)" }.joined(separator: "; ")
    }

    /// What an explanation adds at the end of condition `k`'s line when it raised the error.
    public func raisedNote(_ k: Int) -> String {
        k == raisingCondition ? "    ← 出错 (the error below was raised here)" : ""
    }
}
