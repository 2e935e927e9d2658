import HuiqiLua

/// The compact result of one service for one business, as the evaluation loop produces it.
/// `RuleRuntime.decision(for:at:)` turns it into a reviewer-facing `Decision`.
public struct SlotResult: Sendable {
    /// 1 eligible, 2 ineligible, 3 undetermined, 4 error, 5 no rule for this subject type.
    public var code: Int = 0
    /// Index into `RuleRuntime.rules` (0-based), or -1.
    public var ruleIndex: Int = -1
    /// Two bits per condition: 1 passed, 2 failed, 3 unknown (0 not run).
    public var packed: Int64 = 0
    public var amount: Double?
    public var score: Double?
    /// The reason an `evaluate` rule gave, or the host's reason for undetermined/error.
    public var reason: String?
    /// Condition number (1-based; 0 for evaluate/amount/score) → missing field (schema index).
    public var missing = MissingFields()
    /// Rare, and large: kept out of line so that a business's 25 results stay small to build,
    /// copy and free (see `RuleRuntime.evaluate`).
    public var error: LuaError? {
        get { rare?.error }
        set { rare = Rare.make(error: newValue, undeterminedReasons: rare?.undeterminedReasons) }
    }
    /// Condition number (1-based; 0 for evaluate/amount/score) → the reason `unknown(…)` gave.
    /// Rare too, so beside the error (SlotResult's 8 more bytes cost 0.4% of `evaluate`'s
    /// instructions under callgrind).
    public var undeterminedReasons: [Int: String]? {
        get { rare?.undeterminedReasons }
        set { rare = Rare.make(error: rare?.error, undeterminedReasons: newValue) }
    }
    private var rare: Rare?
    /// Set when the host decided the slot after an interruption (error or missing data outside
    /// conditions); the driver's arrays then hold nothing for it.
    var decidedByHost = false

    public init() {}

    public var outcome: Outcome {
        switch code {
        case 1: return .eligible
        case 2, 5: return .ineligible
        case 3: return .undetermined
        default: return .error
        }
    }

    private final class Rare: Sendable {
        let error: LuaError?
        let undeterminedReasons: [Int: String]?
        private init(error: LuaError?, undeterminedReasons: [Int: String]?) {
            self.error = error
            self.undeterminedReasons = undeterminedReasons
        }
        static func make(error: LuaError?, undeterminedReasons: [Int: String]?) -> Rare? {
            error == nil && undeterminedReasons == nil ? nil : Rare(error: error, undeterminedReasons: undeterminedReasons)
        }
    }

    /// State of condition `k` (1-based).
    public func conditionState(_ k: Int) -> ConditionResult.State {
        switch (packed >> Int64(2 * (k - 1))) & 3 {
        case 1: return .passed
        case 2: return .failed
        case 3: return .unknown
        default: return .skipped
        }
    }
}
