import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Waits for a spawned child and measures its peak memory, for the benchmark (`huiqi-bench`) and
/// the memory tests, which both run `huiqi` as a child process.
///
/// The peak is the child's `VmHWM` (/proc), read until it exits: the high-water mark of the memory
/// the child itself mapped. `wait4`'s `ru_maxrss` also counts the memory the child shared with the
/// spawning process before its `exec` (posix_spawn uses vfork): in a full `swift test`, where the
/// test process holds ~120 MiB, every child measured at least that. A high-water mark misses only
/// what the child maps in its last `interval` before exiting.
public enum ChildPeakMemory {
    /// Waits for `pid`; returns its exit status (`(status >> 8) & 0xff`) and peak resident memory in
    /// KiB (`ru_maxrss` where /proc cannot be read).
    public static func wait(for pid: pid_t, sampling interval: useconds_t) -> (status: Int32, peakKiB: Int) {
        var status: Int32 = 0
        var usage = rusage()
        var peakKiB = 0
        while true {
            let done = wait4(pid, &status, WNOHANG, &usage)
            if done == pid || (done < 0 && errno != EINTR) { break }
            if let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
               let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
               let kib = Int(line.split(separator: " ").dropFirst().first ?? "") {
                peakKiB = max(peakKiB, kib)
            }
            usleep(interval)
        }
        return ((status >> 8) & 0xff, peakKiB > 0 ? peakKiB : usage.ru_maxrss)
    }
}
