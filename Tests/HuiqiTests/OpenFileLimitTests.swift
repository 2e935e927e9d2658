import Foundation
@testable import Huiqi
import Testing

/// `log merge`'s room for open files counts those the process already has: under a test runner a
/// merge inherited descriptors, and 3 a shard plus a fixed margin was too few ("m.db: unable to
/// open database file" in CI, 21 shards under `ulimit -Sn 64`).
@Suite struct OpenFileLimitTests {
    @Test func theFilesAlreadyOpenAreCounted() throws {
        let handles = try (0..<40).map { _ in try #require(FileHandle(forReadingAtPath: "/dev/null")) }
        defer { for h in handles { try? h.close() } }
        // Other tests run alongside, opening and closing files: only a floor holds whatever they
        // do, the 40 opened here and standard input, output and error (a fixed guess is 16).
        #expect(OpenFileLimit.openDescriptors() >= 43)
    }
}
