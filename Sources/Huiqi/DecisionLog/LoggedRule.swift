/// A rule as it was when the run started: its id, file and condition labels (the labels the
/// packed condition states of each decision refer to).
public struct LoggedRule: Sendable, Equatable {
    /// 0-based position in the runtime's rule list (`RuleRuntime.rules`).
    public var index: Int
    public var id: String
    public var serviceID: String
    public var file: String
    public var conditionLabels: [String]
    public var hasEvaluate: Bool

    public init(index: Int, id: String, serviceID: String, file: String, conditionLabels: [String], hasEvaluate: Bool) {
        self.index = index
        self.id = id
        self.serviceID = serviceID
        self.file = file
        self.conditionLabels = conditionLabels
        self.hasEvaluate = hasEvaluate
    }

    public init(index: Int, descriptor: RuleDescriptor) {
        self.init(index: index, id: descriptor.id, serviceID: descriptor.serviceID, file: descriptor.file,
                  conditionLabels: descriptor.conditionLabels, hasEvaluate: descriptor.hasEvaluate)
    }
}
