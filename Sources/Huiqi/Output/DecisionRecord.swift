/// One decision with the business it is about: the unit every output (JSONL, CSV, log) writes.
public struct DecisionRecord: Sendable, Equatable, Codable {
    public var creditCode: String
    public var name: String
    public var street: String
    public var serviceName: String
    public var decision: Decision

    public init(creditCode: String, name: String, street: String, serviceName: String, decision: Decision) {
        self.creditCode = creditCode
        self.name = name
        self.street = street
        self.serviceName = serviceName
        self.decision = decision
    }
}
