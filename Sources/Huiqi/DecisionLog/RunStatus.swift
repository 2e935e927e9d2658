/// Where a run stands (PRODUCT.md §7).
public enum RunStatus: String, Sendable, CaseIterable, Codable {
    case running, completed, interrupted

    /// How reviewers read it.
    public var label: String {
        switch self {
        case .running: return "运行中"
        case .completed: return "已完成"
        case .interrupted: return "已中断"
        }
    }
}
