import Foundation
import TestSupport
import Testing

/// Test fixtures remove their temporary directories: `swift test` once left 13,000 of them
/// (20 GB) in /tmp, because `BundleFixture` and two end-to-end suites never removed theirs.
@Suite struct TestFixtureCleanupTests {
    private func exists(_ url: URL) -> Bool { FileManager.default.fileExists(atPath: url.path) }

    @Test func bundleFixtureRemovesItsDirectoryWhenTheLastCopyIsReleased() throws {
        var root: URL?
        do {
            let fixture = try BundleFixture(files: ["r.lua": "return {}"])
            root = fixture.root
            var copy: BundleFixture? = fixture
            #expect(exists(fixture.root.appendingPathComponent("Rules/r.lua")))
            copy = nil
            #expect(copy == nil && exists(fixture.root), "a copy's release must not remove what the fixture still uses")
        }
        let released = try #require(root)
        #expect(!exists(released))
    }

    @Test func temporaryDirectoryIsRemovedWithEverythingInIt() throws {
        var url: URL?
        do {
            let dir = try TemporaryDirectory(prefix: "huiqi-cleanup")
            url = dir.url
            try dir.write("b.csv", "x")
            #expect(dir.url.lastPathComponent.hasPrefix("huiqi-cleanup-"))
        }
        #expect(!exists(try #require(url)))
    }
}
