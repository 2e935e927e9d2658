/// The known service categories and their Chinese display names (PRODUCT.md §4).
///
/// A catalog may use a category not listed here (the loader warns); such a category is shown as
/// written, so `Service.category` stays a `String`.
public enum ServiceCategory: String, Sendable, CaseIterable {
    case financing, rent, employment, growth, talent, party, compliance, qualification, reward, service

    /// 融资, 租金减免, 稳岗就业…
    public var displayName: String {
        switch self {
        case .financing: return "融资"
        case .rent: return "租金减免"
        case .employment: return "稳岗就业"
        case .growth: return "升级培育"
        case .talent: return "人才"
        case .party: return "党建"
        case .compliance: return "合规服务"
        case .qualification: return "资质认定"
        case .reward: return "奖励"
        case .service: return "企业服务"
        }
    }

    /// The Chinese name of a category as written in the catalog; an unknown category is returned as is.
    public static func displayName(for category: String) -> String {
        ServiceCategory(rawValue: category)?.displayName ?? category
    }
}
