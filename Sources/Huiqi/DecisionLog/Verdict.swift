/// A reviewer's conclusion about one decision.
public enum Verdict: String, Sendable, CaseIterable, Codable {
    case confirm, reject

    /// 已确认 / 已驳回.
    public var label: String {
        switch self {
        case .confirm: return "已确认"
        case .reject: return "已驳回"
        }
    }
}
