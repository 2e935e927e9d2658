import Foundation

extension Outcome {
    /// The small integer the log stores (1 eligible, 2 ineligible, 3 undetermined, 4 error).
    public var logCode: Int {
        switch self {
        case .eligible: return 1
        case .ineligible: return 2
        case .undetermined: return 3
        case .error: return 4
        }
    }

    public init?(logCode: Int) {
        switch logCode {
        case 1: self = .eligible
        case 2: self = .ineligible
        case 3: self = .undetermined
        case 4: self = .error
        default: return nil
        }
    }

    /// Reads what a user types: `eligible`, `符合`, `不符合`, `待定`, `错误`…
    public init?(userText: String) {
        // Full-width parentheses, as a Chinese input method types them: 待定（缺数据）.
        let text = userText.trimmingCharacters(in: .whitespaces).lowercased()
            .replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
        if let o = Outcome(rawValue: text) { self = o; return }
        switch text {
        case "符合", "合格": self = .eligible
        case "不符合", "不合格": self = .ineligible
        case "待定", "待定(缺数据)", "缺数据": self = .undetermined
        case "错误", "规则错误", "出错": self = .error
        default: return nil
        }
    }
}
