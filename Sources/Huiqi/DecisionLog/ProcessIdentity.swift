import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which process is running a run, so a run left `running` by a killed process (`kill -9` gives it
/// no chance to mark itself) can be recognised as interrupted.
///
/// The pid alone could be reused by an unrelated process; on Linux the process start time (field
/// 22 of `/proc/PID/stat`) tells them apart.
public struct ProcessIdentity: Sendable, Equatable {
    public var pid: Int32
    public var host: String
    /// Clock ticks since boot when the process started (Linux); nil where unknown.
    public var startTicks: Int64?

    public init(pid: Int32, host: String, startTicks: Int64?) {
        self.pid = pid
        self.host = host
        self.startTicks = startTicks
    }

    /// This process.
    public static var current: ProcessIdentity {
        let pid = getpid()
        return ProcessIdentity(pid: pid, host: currentHost, startTicks: startTicks(of: pid))
    }

    public static var currentHost: String { ProcessInfo.processInfo.hostName }

    /// Whether the process is certainly gone: false while it runs, and also when it runs on
    /// another host (this machine cannot tell).
    public var isGone: Bool {
        guard host == ProcessIdentity.currentHost else { return false }
        if kill(pid, 0) != 0 && errno == ESRCH { return true }
        if let recorded = startTicks, let now = ProcessIdentity.startTicks(of: pid), now != recorded { return true }
        return false
    }

    /// Whether it runs on this machine.
    public var isLocal: Bool { host == ProcessIdentity.currentHost }

    static func startTicks(of pid: Int32) -> Int64? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = text.lastIndex(of: ")") else { return nil }
        // After "pid (comm)" come fields 3…; the start time is field 22.
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count > 19 else { return nil }
        return Int64(fields[19])
    }
}
