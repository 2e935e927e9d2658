extension RuleRuntime {
    /// Decisions for one profile, with the business's identity attached.
    public func records(for profile: Profile) -> [DecisionRecord] {
        EvaluatedProfile(profile: profile, results: evaluate(profile), builder: builder, decide: decision(for:at:)).records ?? []
    }
}
