/// Wraps a sink so the run stops at the next commit point once a signal has arrived: the chunk
/// in hand is committed first, so the log holds whole rows only and a resume starts right after.
public final class InterruptibleSink: DecisionSink {
    private let inner: DecisionSink
    private let interrupt: InterruptSignal

    public init(_ inner: DecisionSink, interrupt: InterruptSignal) {
        self.inner = inner
        self.interrupt = interrupt
    }

    public func consume(_ business: EvaluatedProfile, row: Int) throws {
        try inner.consume(business, row: row)
    }

    public func consume(reject: Reject, row: Int) throws {
        try inner.consume(reject: reject, row: row)
    }

    public func consume(moduleChange: RunSummary.ModuleChange) throws {
        try inner.consume(moduleChange: moduleChange)
    }

    public func commit(rowsRead: Int) throws {
        try inner.commit(rowsRead: rowsRead)
        if let signal = interrupt.signal { throw RunInterrupted(signal: signal, rowsCommitted: rowsRead) }
    }
}
