import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// How a staged output takes the earlier file's place (code review of the first version: a
/// hard-linked file or a symlink to one was written in place and the link deleted on Ctrl-C; a
/// dangling link was written in place; a file that could not be written was replaced; a killed
/// export's hidden temporary file stayed for ever).
@Suite struct StagedFileTests {
    private func write(_ path: String, _ text: String) throws {
        let file = try StagedFile(path)
        try file.handle.write(contentsOf: Data(text.utf8))
        try file.commit()
    }

    private func read(_ url: URL) -> String? { try? String(contentsOf: url, encoding: .utf8) }

    @Test func aHardLinkedFileKeepsItsLinksAndADiscardChangesNothing() throws {
        let dir = try TemporaryDirectory()
        let real = dir.file("real.csv"), backup = dir.file("backup.csv"), link = dir.file("cur.csv")
        try Data("precious".utf8).write(to: real)
        #expect(Glibc.link(real.path, backup.path) == 0)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real.csv")
        let stopped = try StagedFile(link.path)
        try stopped.handle.write(contentsOf: Data("half".utf8))
        stopped.discard()
        #expect(read(real) == "precious" && read(backup) == "precious")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "real.csv", "the link stays")
        try write(link.path, "new")
        // Copied into the file: both names see the new text (a rename would have parted them).
        #expect(read(real) == "new" && read(backup) == "new")
        #expect((try? FileManager.default.destinationOfSymbolicLink(atPath: link.path)) == "real.csv")
    }

    @Test func aLinkToAFileNotYetThereMakesThatFile() throws {
        let dir = try TemporaryDirectory()
        try FileManager.default.createDirectory(at: dir.file("real"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.file("links"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: dir.file("links/d.csv").path, withDestinationPath: "../real/d.csv")
        let stopped = try StagedFile(dir.file("links/d.csv").path)
        stopped.discard()
        #expect(!FileManager.default.fileExists(atPath: dir.file("real/d.csv").path), "nothing cut short at the link's target")
        try write(dir.file("links/d.csv").path, "x")
        #expect(read(dir.file("real/d.csv")) == "x")
    }

    @Test func aFileThatMayNotBeWrittenIsRefusedAndAbandonedTemporaryFilesGo() throws {
        let dir = try TemporaryDirectory()
        // A temporary file of a process that is gone, one of a live process, and another file's.
        // And one of another machine (a shared directory): its PID says nothing here.
        let host = StagedFile.hostTag
        let gone = dir.file(".e.csv.999999999-0.\(host).tmp"), live = dir.file(".e.csv.1-0.\(host).tmp")
        let other = dir.file(".e.csvx.999999999-0.\(host).tmp"), elsewhere = dir.file(".e.csv.999999999-0.\(host)x.tmp")
        for url in [gone, live, other, elsewhere] { try Data("old".utf8).write(to: url) }
        #expect(StagedFile.temporaryName(for: dir.file("e.csv").path, attempt: 0, pid: 999999999) == gone.lastPathComponent)
        try write(dir.file("e.csv").path, "new")
        #expect(!FileManager.default.fileExists(atPath: gone.path))
        for kept in [live, other, elsewhere] { #expect(FileManager.default.fileExists(atPath: kept.path), "\(kept.lastPathComponent)") }
        guard geteuid() != 0 else { return }  // root may write anything
        try Data("old".utf8).write(to: dir.file("ro.csv"))
        #expect(chmod(dir.file("ro.csv").path, 0o444) == 0)
        #expect(throws: Diagnostic.self) { try StagedFile(dir.file("ro.csv").path) }
        #expect(read(dir.file("ro.csv")) == "old")
    }

    @Test func standardOutputIsWrittenThroughItsDescriptor() throws {
        #expect(StagedFile.followLinks("/dev/stdout").special == 1)
        #expect(StagedFile.followLinks("/proc/self/fd/2").special == 2)
        let dir = try TemporaryDirectory()
        try FileManager.default.createSymbolicLink(atPath: dir.file("so.jsonl").path, withDestinationPath: "/dev/stdout")
        #expect(StagedFile.followLinks(dir.file("so.jsonl").path).special == 1)
        #expect(StagedFile.followLinks(dir.file("plain.csv").path).special == nil)
    }
}
