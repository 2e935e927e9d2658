import Dispatch
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Catches SIGINT, SIGTERM and SIGHUP so a run can stop cleanly between chunks and mark itself
/// interrupted (PRODUCT.md §7).
///
/// The signals are delivered through dispatch sources, not a C signal handler, so the flag is set
/// on an ordinary thread: nothing runs in signal context, and the run does its database work on
/// its own thread when it next checks. A second signal while the first is pending restores the
/// default action and re-raises it, so a user can always stop a stuck process (the run then stays
/// `running` in the log and shows as interrupted once the process is gone).
public final class InterruptSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var received: Int32?
    private var sources: [DispatchSourceSignal] = []
    private let signals: [Int32]
    private var note: String?

    /// Starts catching `signals` (default SIGINT, SIGTERM and SIGHUP — a closed terminal or ssh
    /// session; none: only `request` stops). SIGHUP is left alone when it is ignored (`nohup`).
    public init(signals: [Int32] = [SIGINT, SIGTERM, SIGHUP]) {
        self.signals = signals.filter { $0 != SIGHUP || !InterruptSignal.isIgnored($0) }
        for number in self.signals {
            _ = Glibc_signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            // `data`: signals since the last event. Two quick Ctrl-C can arrive as one event.
            // The handler holds the source; `restore` clears it, which breaks that cycle.
            source.setEventHandler { [weak self] in self?.receive(number, count: source.data) }
            source.resume()
            sources.append(source)
        }
    }

    deinit { restore() }

    /// Asks the run to stop as if `number` had arrived (a scheduler or a test stopping a run).
    public func request(_ number: Int32 = SIGINT) {
        lock.withLock { if received == nil { received = number } }
    }

    /// Written to standard error when a second signal stops the process at once, which then
    /// never reaches the messages it prints when it stops between chunks (e.g. how to resume).
    public var forcedStopNote: String? {
        get { lock.withLock { note } }
        set { lock.withLock { note = newValue } }
    }

    /// Whether `number` is ignored in this process (`nohup` ignores SIGHUP).
    private static func isIgnored(_ number: Int32) -> Bool {
        var current = sigaction()
        guard sigaction(number, nil, &current) == 0 else { return false }
        return unsafeBitCast(current.__sigaction_handler.sa_handler, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self)
    }

    /// The first signal received, if any.
    public var signal: Int32? { lock.withLock { received } }

    /// The conventional exit status for a process stopped by `signal` (130 for SIGINT, 143 for SIGTERM).
    public static func exitStatus(for signal: Int32) -> Int32 { 128 + signal }

    /// Stops catching: the default actions apply again.
    public func restore() {
        for source in sources {
            source.setEventHandler(handler: nil)
            source.cancel()
        }
        sources = []
        for number in signals { _ = Glibc_signal(number, SIG_DFL) }
    }

    private func receive(_ number: Int32, count: UInt) {
        let first: Bool = lock.withLock {
            guard received == nil else { return false }
            received = number
            return true
        }
        if !first || count > 1 {
            // Stop now. The signal is blocked on this thread (dispatch reads it from a signalfd),
            // so a bare raise() stayed pending and the process ran on: unblock it first, and exit
            // with the conventional status should it still be caught somewhere.
            if let text = forcedStopNote {
                let line = Array((text + "\n").utf8)
                _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
            }
            _ = Glibc_signal(number, SIG_DFL)
            var set = sigset_t()
            sigemptyset(&set)
            sigaddset(&set, number)
            pthread_sigmask(SIG_UNBLOCK, &set, nil)
            raise(number)
            _exit(InterruptSignal.exitStatus(for: number))
        }
    }
}

/// `signal` is shadowed inside `InterruptSignal` by its property.
private func Glibc_signal(_ number: Int32, _ handler: (@convention(c) (Int32) -> Void)?) -> (@convention(c) (Int32) -> Void)? {
    signal(number, handler)
}
