import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The files of a decision log on disk: the database and its WAL companions.
public enum DecisionLogFiles {
    /// The database and the files SQLite keeps beside it.
    public static func all(_ path: String) -> [String] { ["", "-wal", "-shm", "-journal"].map { path + $0 } }

    /// Removes the log at `path`, which this process created for a command that then failed (`run`
    /// that could not start, a refused `log merge`), so that no empty log is left behind: not if a
    /// run was recorded in it meanwhile, or another process has it open (it would go on writing
    /// to a deleted file). Call it with no connection of this process open on the log.
    public static func removeCreatedLog(_ path: String) {
        guard (try? SQLiteDecisionStore(readOnly: path).runs().isEmpty) ?? true, !inUseByAnotherProcess(path) else { return }
        for file in all(path) { try? FileManager.default.removeItem(atPath: file) }
    }

    /// Whether another process has the log open. Every SQLite connection to a WAL database holds a
    /// shared lock on the "dead man switch" byte of its `-shm` file (offset 128, SQLite's
    /// `UNIX_SHM_DMS`) while it is open; `F_GETLK` reports a lock held by another process. Call it
    /// with no connection of this process open on the log: closing the probe's descriptor
    /// releases this process's locks on the `-shm` file.
    public static func inUseByAnotherProcess(_ path: String) -> Bool {
        let fd = open(path + "-shm", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return false }  // no -shm: no connection has it open in WAL mode
        defer { close(fd) }
        var probe = flock()
        probe.l_type = Int16(F_WRLCK)
        probe.l_whence = Int16(SEEK_SET)
        probe.l_start = 128
        probe.l_len = 1
        guard fcntl(fd, F_GETLK, &probe) == 0 else { return true }  // cannot tell: assume it is in use
        return probe.l_type != Int16(F_UNLCK)
    }
}
