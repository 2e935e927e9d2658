import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// This process's limit of open files (`ulimit -n`, RLIMIT_NOFILE), raised for a command that
/// keeps many files open: `log merge` holds each shard log open (its file, `-wal` and `-shm`: 3
/// descriptors; 1,064 for 350 shards, counted in /proc/PID/fd), and the usual soft limit is 1,024.
/// Past it SQLite said only "unable to open database file" of a shard log that was fine.
enum OpenFileLimit {
    /// Makes room for `more` files besides those already open (a process started by another may
    /// hold some it inherited: a merge under a test runner found 95 too few for 21 shards). The
    /// soft limit is raised up to the hard limit, as far as needed (an unprivileged process may do
    /// that). Throws, saying what to do, when even the hard limit is too low. `what` says what
    /// needs them, for the message.
    static func ensure(room more: Int, for what: String) throws {
        var limit = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return }
        let open = openDescriptors()
        let needed = open + more
        let soft = Int(clamping: limit.rlim_cur), hard = Int(clamping: limit.rlim_max)
        if soft >= needed { return }
        if hard >= needed {
            limit.rlim_cur = rlim_t(needed)
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 { return }
        }
        let raise = hard >= needed ? "raise it, e.g. `ulimit -n \(needed)`," : "ask the system's administrator to raise the hard limit (`ulimit -Hn` is \(hard)) to at least \(needed), or raise it as root,"
        throw Diagnostic(.error, "\(what) keeps about \(more) files open, \(needed) with the \(open) this process has open, more than it may "
                         + "open (ulimit -n: \(soft)): \(raise) and run the command again (打开文件数超出上限, 请调高 ulimit -n)")
    }

    /// Descriptors this process has open (Linux's /proc/self/fd, less the one that lists it); a
    /// small allowance where that cannot be read.
    static func openDescriptors() -> Int {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") else { return 16 }
        return max(names.count - 1, 3)
    }
}
