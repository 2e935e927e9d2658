/// Something that receives each evaluated profile's decisions and each reject, in input order.
///
/// `row` is the 1-based position of the input row across all input files (rejects included), the
/// same in every attempt of a run. After `commit(rowsRead:)` everything consumed so far must be
/// durable: a resumed run skips exactly `rowsRead` rows.
public protocol DecisionSink: AnyObject {
    func consume(_ business: EvaluatedProfile, row: Int) throws
    func consume(reject: Reject, row: Int) throws
    /// Rule code changed a module's tables while the chunk about to be committed was evaluated.
    func consume(moduleChange: RunSummary.ModuleChange) throws
    func commit(rowsRead: Int) throws
}

extension DecisionSink {
    public func consume(moduleChange: RunSummary.ModuleChange) throws {}
}
