/// A service as it was in the catalog when the run started: the log keeps this snapshot so an old
/// run stays readable after the catalog changes.
public struct LoggedService: Sendable, Equatable {
    /// 0-based position in the run's plan (`DecisionID.slot`).
    public var slot: Int
    public var id: String
    public var name: String
    public var category: String
    /// `ServiceMode` raw value (免申即享…).
    public var mode: String
    public var provider: String?
    public var source: String?

    public init(slot: Int, id: String, name: String, category: String, mode: String, provider: String? = nil, source: String? = nil) {
        self.slot = slot
        self.id = id
        self.name = name
        self.category = category
        self.mode = mode
        self.provider = provider
        self.source = source
    }

    public init(slot: Int, service: Service) {
        self.init(slot: slot, id: service.id, name: service.name, category: service.category, mode: service.mode.rawValue,
                  provider: service.provider, source: service.source)
    }
}
