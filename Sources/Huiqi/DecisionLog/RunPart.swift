/// One shard run that `huiqi log merge` put into a merged run (PRODUCT.md §9): where it came from
/// (its log and run there), which machine and command ran it, when, and what it counted.
public struct RunPart: Sendable, Equatable {
    /// 1…the merged run's shard count.
    public var shard: Int
    /// The absolute path of the shard's log when it was merged.
    public var sourceLog: String
    /// The shard's run id in that log.
    public var sourceRun: Int64
    public var host: String
    public var commandLine: String
    /// ISO-8601 UTC.
    public var startedAt: String
    public var endedAt: String?
    public var evaluated: Int
    public var rejected: Int

    public init(shard: Int, sourceLog: String, sourceRun: Int64, host: String, commandLine: String, startedAt: String,
                endedAt: String?, evaluated: Int, rejected: Int) {
        self.shard = shard
        self.sourceLog = sourceLog
        self.sourceRun = sourceRun
        self.host = host
        self.commandLine = commandLine
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.evaluated = evaluated
        self.rejected = rejected
    }
}
