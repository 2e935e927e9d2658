import Foundation

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
    /// The params its rules saw, dated ones resolved on the run's as-of date, as text (`cap` →
    /// `80000`). Kept because a new year's amounts change only the catalog: the rules hash alone
    /// did not say which values a run decided with (analyst review). Nil for a run logged before
    /// log v6 kept them.
    public var params: [String: String]?

    public init(slot: Int, id: String, name: String, category: String, mode: String, provider: String? = nil, source: String? = nil,
                params: [String: String]? = nil) {
        self.slot = slot
        self.id = id
        self.name = name
        self.category = category
        self.mode = mode
        self.provider = provider
        self.source = source
        self.params = params
    }

    /// `service` as a run on `asOf` evaluates it.
    public init(slot: Int, service: Service, asOf: String) {
        self.init(slot: slot, id: service.id, name: service.name, category: service.category, mode: service.mode.rawValue,
                  provider: service.provider, source: service.source,
                  params: service.resolvedParams(on: asOf).mapValues(\.description))
    }

    /// `cap=80000, relief_months=2`, by name; nil when the run did not record them.
    public var paramsText: String? { params.map(LoggedService.text(of:)) }

    /// `cap=80000, relief_months=2`: params as explain, `log runs` and the log-only view show them.
    static func text(of params: [String: String]) -> String {
        params.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
    }

    /// The params that differ from `earlier`'s, by name: `cap 100000 → 80000`, `(无)` for one only
    /// one side has. Empty when they are the same or either run did not record them.
    public func paramChanges(since earlier: LoggedService) -> [String] {
        guard let now = params, let before = earlier.params else { return [] }
        return Set(now.keys).union(before.keys).sorted().compactMap { name in
            let a = before[name], b = now[name]
            return a == b ? nil : "\(name) \(a ?? "(无)") → \(b ?? "(无)")"
        }
    }

    /// The params as the log stores them: a JSON object, keys sorted (the same params, the same text).
    var paramsJSON: String? {
        guard let params else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(params)).flatMap { String(decoding: $0, as: UTF8.self) }
    }

    /// The params from the log's text; nil for none or text that is not a JSON object of texts.
    static func params(fromJSON text: String?) -> [String: String]? {
        guard let text else { return nil }
        return try? JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }
}
