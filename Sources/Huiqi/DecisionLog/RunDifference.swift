/// One business × service whose decision differs between two runs (`huiqi log diff`): what an
/// analyst wants to know before publishing a rule change (PRODUCT.md §1).
///
/// A side is nil where that run did not decide the service for the business: the business was not
/// in the run (a new or removed row), or the run did not evaluate the service (outside its window,
/// or no rule then).
public struct RunDifference: Sendable, Equatable {
    /// One run's decision, as far as the comparison goes.
    public struct Side: Sendable, Equatable {
        public var outcome: Outcome
        public var amount: Double?
        /// The decision's reasons (all its failed conditions, or an `evaluate` rule's own).
        public var reasons: [String]
        /// Its id, for `review` and `explain` (reviewer review: the diff gave none).
        public var decision: DecisionID?

        public init(outcome: Outcome, amount: Double?, reasons: [String], decision: DecisionID? = nil) {
            self.outcome = outcome
            self.amount = amount
            self.reasons = reasons
            self.decision = decision
        }
    }

    /// Businesses one run had and the other did not, besides the differences listed.
    public struct Counts: Sendable, Equatable {
        public var onlyBefore = 0
        public var onlyAfter = 0
        /// Businesses of one run that the other, not completed, may not have reached: not compared.
        public var notReached = 0
        public init() {}
    }

    public var creditCode: String
    public var name: String
    public var street: String
    public var serviceID: String
    public var serviceName: String
    public var before: Side?
    public var after: Side?

    public init(creditCode: String, name: String, street: String, serviceID: String, serviceName: String, before: Side?, after: Side?) {
        self.creditCode = creditCode
        self.name = name
        self.street = street
        self.serviceID = serviceID
        self.serviceName = serviceName
        self.before = before
        self.after = after
    }

    /// The later run's decision id, else the earlier's.
    public var decisionID: DecisionID? { after?.decision ?? before?.decision }

    /// Whether the outcome changed (or one side is missing); otherwise only the amount did.
    public var outcomeChanged: Bool { before == nil || after == nil || before?.outcome != after?.outcome }

    /// "符合 → 不符合", "未评估 → 符合", or "金额 4500.00 → 9000.00".
    public var change: String {
        func shown(_ side: Side?) -> String { side?.outcome.label ?? "未评估" }
        if outcomeChanged { return "\(shown(before)) → \(shown(after))" }
        return "金额 \(RunDifference.money(before?.amount, none: "无")) → \(RunDifference.money(after?.amount, none: "无"))"
    }

    /// 元 with two decimals as every listing shows amounts, or `none`.
    public static func money(_ amount: Double?, none: String = "") -> String {
        amount.map(DecisionFileWriter.money) ?? none
    }

    /// The difference as one JSON line (keys in a fixed order, Chinese as UTF-8, amounts in 元).
    public func jsonLine() -> [UInt8] {
        var json = JSONText()
        json.beginObject()
        json.field("credit_code", creditCode)
        json.field("name", name)
        json.field("street", street)
        json.field("service_id", serviceID)
        json.field("service_name", serviceName)
        json.field("change", change)
        for (key, side) in [("before", before), ("after", after)] {
            guard let side else {
                json.field(key, nil as String?)
                continue
            }
            json.beginObject(key)
            if let id = side.decision { json.field("decision_id", Int(id.rawValue)) } else { json.field("decision_id", nil as String?) }
            json.field("outcome", side.outcome.rawValue)
            json.field("amount", side.amount)
            json.beginArray("reasons")
            for r in side.reasons { json.element(r) }
            json.endArray()
            json.endObject()
        }
        json.endObject()
        return json.bytes + [10]
    }

    /// Amounts within half a fen are the same (they are rounded to fen when shown).
    static func sameAmount(_ a: Double?, _ b: Double?) -> Bool {
        switch (a, b) {
        case (nil, nil): return true
        case let (x?, y?): return abs(x - y) < 0.005
        default: return false
        }
    }
}
