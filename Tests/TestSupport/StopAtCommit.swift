import Foundation
import Huiqi

/// A sink that asks the run to stop at its `n`-th commit.
public final class StopAtCommit: DecisionSink {
    public let n: Int
    public let interrupt: InterruptSignal
    private var commits = 0

    public init(_ n: Int, interrupt: InterruptSignal) {
        self.n = n
        self.interrupt = interrupt
    }

    public func consume(_ business: EvaluatedProfile, row: Int) throws {}
    public func consume(reject: Reject, row: Int) throws {}
    public func commit(rowsRead: Int) throws {
        commits += 1
        if commits == n { interrupt.request(SIGTERM) }
    }
}
