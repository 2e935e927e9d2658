/// A rejected input row as the log holds it.
public struct LoggedReject: Sendable, Equatable {
    public var run: Int64
    /// 1-based input row across all files.
    public var row: Int
    public var reject: Reject

    public init(run: Int64, row: Int, reject: Reject) {
        self.run = run
        self.row = row
        self.reject = reject
    }
}
