import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs the built `huiqi` as a user whom file permissions bind, for tests of logs that may not be
/// written. As root (the test machines), permissions do not stop writes: the child runs as
/// nobody (uid/gid 65534) through util-linux's `setpriv`. As any other user, it runs as that user.
///
///     guard OtherUser.available else { return }   // or .enabled(if: OtherUser.available, …)
///     let r = try OtherUser.run(["log", "runs", "--db", db], cwd: dir)
public enum OtherUser {
    public static let uid: UInt32 = 65534

    /// Why such a run is impossible here, or nil when it is possible.
    public static let unavailableReason: String? = launcherOrReason.reason

    public static var available: Bool { unavailableReason == nil }

    /// What runs before the binary: `setpriv …` as root, nothing otherwise.
    public static var launcher: [String] { launcherOrReason.launcher ?? [] }

    /// Runs `huiqi args…` as that user.
    public static func run(_ args: [String], cwd: URL? = nil) throws -> HuiqiBinary.Output {
        try HuiqiBinary.run(args, cwd: cwd, launcher: launcher)
    }

    private static let launcherOrReason: (launcher: [String]?, reason: String?) = {
        guard getuid() == 0 else { return ([], nil) }
        guard let setpriv = ["/usr/bin/setpriv", "/bin/setpriv", "/usr/sbin/setpriv"].first(where: FileManager.default.isExecutableFile) else {
            return (nil, "running as root without setpriv (util-linux) to run huiqi as another user")
        }
        let launcher = [setpriv, "--reuid=\(uid)", "--regid=\(uid)", "--clear-groups"]
        // The binary, and every directory above it, must be reachable by that user.
        guard let probe = try? HuiqiBinary.run(["--version"], launcher: launcher), probe.status == 0 else {
            return (nil, "uid \(uid) cannot run \(HuiqiBinary.url.path) through setpriv (a directory above it not searchable?)")
        }
        return (launcher, nil)
    }()
}
