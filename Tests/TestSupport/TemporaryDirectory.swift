import Foundation

/// A fresh directory under the system temp dir, removed when the value is released.
///
///     let dir = try TemporaryDirectory()
///     let csv = try dir.write("a.csv", "credit_code,name\n...")
public final class TemporaryDirectory {
    public let url: URL

    /// `prefix` names the directory's purpose, so one left behind by a killed test can be traced.
    public init(prefix: String = "huiqi-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    /// The URL of `name` inside the directory (not created).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// Writes `text` as UTF-8 and returns its URL.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> URL {
        try write(name, bytes: Array(text.utf8))
    }

    /// Writes raw bytes and returns the file's URL.
    @discardableResult
    public func write(_ name: String, bytes: [UInt8]) throws -> URL {
        let target = file(name)
        try Data(bytes).write(to: target)
        return target
    }
}
