/// A decision `DecisionStore.forEachSelected` picked, with the review in effect, not yet decoded:
/// its business's row of the log, its slot, and what decoding it takes. `decoded()` builds the
/// `LoggedDecision`; readers of a few fields of millions of decisions (`log export`, `lists`) read
/// them here instead, the business's texts shared by its decisions and the others looked up by id.
public struct SelectedDecision {
    let business: LogRowDecoder.Business
    let slot: Int
    /// The review in effect (`ReviewsOfSubject.inEffect`).
    let review: Review?
    let decoder: LogRowDecoder
    let texts: LogTexts

    var entry: LogEntry { business.entries[slot] }

    /// As `decoded()` gives them: `LoggedDecision.id`, `decision.outcome`, `decision.amount`, … .
    var id: DecisionID { DecisionID(run: decoder.run, row: Int(business.row), slot: slot) }
    var outcome: Outcome { Outcome(logCode: entry.outcome) ?? .error }
    var service: (id: String, name: String) { decoder.service(slot: slot) }
    func reasons() throws -> [String] { try entry.reason.flatMap(texts.list) ?? [] }

    /// `LoggedDecision.isReviewed`.
    var isReviewed: Bool { review?.applies(to: id, outcome: outcome, amount: entry.amount, rule: decoder.ruleVersion(entry)) ?? false }

    func decoded() throws -> LoggedDecision {
        var decision = try decoder.decode(business, slot: slot, texts: texts)
        decision.review = review
        return decision
    }
}
