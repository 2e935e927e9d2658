/// Thrown out of a run stopped by SIGINT, SIGTERM or SIGHUP after its last complete chunk was committed.
public struct RunInterrupted: Error, Sendable, CustomStringConvertible {
    public var signal: Int32
    /// Input rows committed before stopping.
    public var rowsCommitted: Int

    public init(signal: Int32, rowsCommitted: Int) {
        self.signal = signal
        self.rowsCommitted = rowsCommitted
    }

    public var description: String {
        "interrupted by signal \(signal) after \(rowsCommitted) rows (运行已中断, 已提交 \(rowsCommitted) 行)"
    }
}
