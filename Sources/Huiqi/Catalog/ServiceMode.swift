/// How a business receives a service (PRODUCT.md §4): the raw value is the Chinese term used in
/// Bao'an policy texts and shown to reviewers and visiting cadres.
public enum ServiceMode: String, Sendable, CaseIterable {
    /// 免申即享: granted from data, with no application.
    case noApplication = "免申即享"
    /// 申请即享: the business applies with documents and then receives it.
    case applyAndReceive = "申请即享"
    /// 申报审核: competitive or assessed (专精特新, 高企…).
    case assessed = "申报审核"

    /// The English spelling `catalog.yaml` also accepts.
    public var englishName: String {
        switch self {
        case .noApplication: return "no-application"
        case .applyAndReceive: return "apply-and-receive"
        case .assessed: return "assessed"
        }
    }

    /// Reads either spelling (`免申即享` or `no-application`); nil when it is neither.
    public init?(text: String) {
        if let mode = ServiceMode(rawValue: text) {
            self = mode
        } else if let mode = ServiceMode.allCases.first(where: { $0.englishName == text }) {
            self = mode
        } else {
            return nil
        }
    }
}
