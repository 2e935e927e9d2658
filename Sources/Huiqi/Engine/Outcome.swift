/// The four outcomes of evaluating one business against one service (PRODUCT.md §5).
public enum Outcome: String, Sendable, CaseIterable, Codable {
    case eligible, ineligible, undetermined, error

    /// How reviewers read it.
    public var label: String {
        switch self {
        case .eligible: return "符合"
        case .ineligible: return "不符合"
        case .undetermined: return "待定(缺数据)"
        case .error: return "规则错误"
        }
    }
}
