/// Which decisions of a run `log show` and `log export` list (all filters must hold).
public struct DecisionFilter: Sendable, Equatable {
    /// A service id (`FIN-01`).
    public var serviceID: String?
    public var outcome: Outcome?
    /// A street: `新安街道` and `新安` select each other (see `StreetName`).
    public var street: String?
    /// A credit code.
    public var creditCode: String?
    /// Only decisions without a review that applies (see `LoggedDecision.isReviewed`).
    public var unreviewed: Bool
    /// At most this many (nil: all).
    public var limit: Int?
    /// Any of these outcomes (with `outcome` nil): `lists` reads eligible and pending decisions in one pass.
    public var anyOfOutcomes: Set<Outcome>?

    public init(serviceID: String? = nil, outcome: Outcome? = nil, street: String? = nil, creditCode: String? = nil,
                unreviewed: Bool = false, limit: Int? = nil) {
        self.serviceID = serviceID
        self.outcome = outcome
        self.street = street
        self.creditCode = creditCode
        self.unreviewed = unreviewed
        self.limit = limit
    }

    public static let all = DecisionFilter()
}
