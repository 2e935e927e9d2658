import Foundation
#if canImport(Glibc)
import Glibc
#endif
@testable import Huiqi
import TestSupport
import Testing

/// A run's shown status is worked out when its record is read, once.
@Suite struct RunRecordStatusTests {
    private func record(_ process: ProcessIdentity) -> RunRecord {
        RunRecord(id: 1, provenance: DecisionLogFixture.handMadeProvenance(process: process), startedAt: "2025-06-01T00:00:00Z",
                  endedAt: nil, recordedStatus: .running, rowsCommitted: 0, read: nil, evaluated: nil, rejected: nil)
    }

    /// Found in review: the status was worked out at each use, so a run that completed while a
    /// long `log export` was reading it was printed as interrupted at the end (its process had
    /// ended by then). A record keeps the status of the moment it was read.
    @Test func aRecordKeepsTheStatusOfTheMomentItWasRead() throws {
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sleep")
        child.arguments = ["60"]
        try child.run()
        let process = ProcessIdentity(pid: child.processIdentifier, host: ProcessIdentity.currentHost,
                                      startTicks: ProcessIdentity.startTicks(of: child.processIdentifier))
        let readWhileRunning = record(process)
        #expect(readWhileRunning.status == .running)
        kill(child.processIdentifier, SIGKILL)  // SIGTERM may be ignored, inherited from the test runner
        child.waitUntilExit()
        #expect(readWhileRunning.status == .running, "still the status it was read with")
        let readAfter = record(process)
        #expect(readAfter.status == .interrupted, "a process gone when the record is read: interrupted")
        #expect(readWhileRunning == readAfter, "equal data, whenever read")
    }
}
