import Dispatch
import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// The stages after reading (`ChunkPipeline`): chunks are written in the order handed over, the
/// reading thread never runs more than `ahead` chunks ahead of the writing, and the first write
/// error stops everything.
@Suite struct ChunkPipelineTests {
    /// A sink that records the commits it saw, can hold its first commit until released, and can
    /// fail at a given commit.
    private final class RecordingSink: DecisionSink, @unchecked Sendable {
        struct Failure: Error, Equatable {}
        private let lock = NSLock()
        private var committed: [Int] = []
        private var consumedAfterFailure = 0
        private var failed = false
        let failAt: Int?
        let hold: DispatchSemaphore?
        let holding = DispatchSemaphore(value: 0)

        init(failAt: Int? = nil, holdFirstCommit: Bool = false) {
            self.failAt = failAt
            hold = holdFirstCommit ? DispatchSemaphore(value: 0) : nil
        }

        var commits: [Int] { lock.withLock { committed } }
        var consumesAfterFailure: Int { lock.withLock { consumedAfterFailure } }

        func consume(_ business: EvaluatedProfile, row: Int) throws {
            lock.withLock { if failed { consumedAfterFailure += 1 } }
        }
        func consume(reject: Reject, row: Int) throws {
            lock.withLock { if failed { consumedAfterFailure += 1 } }
        }
        func commit(rowsRead: Int) throws {
            let count = lock.withLock { committed.append(rowsRead); return committed.count }
            if count == 1, let hold {
                holding.signal()
                hold.wait()
            }
            if count == failAt {
                lock.withLock { failed = true }
                throw Failure()
            }
        }
    }

    private func pipeline(_ f: LoggedFixtureRun, sink: RecordingSink, ahead: Int, jobs: Int = 1) throws -> ChunkPipeline {
        let runtimes = try (0..<jobs).map { _ in try RuleRuntime(bundle: f.loaded, asOf: "2025-06-01") }
        let writer = try ChunkWriter(plan: runtimes[0].plan, out: nil, rejectsPath: f.fixture.path("rejects.csv"),
                                     writesEmptyRejectsFile: false, sinks: [sink])
        return ChunkPipeline(runtimes: runtimes, withRecords: false, writer: writer, ahead: ahead)
    }

    private func chunk(endRow: Int) -> Chunk {
        var chunk = Chunk()
        chunk.endRow = endRow
        return chunk
    }

    @Test func theReadingThreadWaitsOnceAheadChunksAreNotWritten() throws {
        let f = try LoggedFixtureRun(rows: 1)
        let sink = RecordingSink(holdFirstCommit: true)
        let pipeline = try pipeline(f, sink: sink, ahead: 2)
        let submitted = ManagedCounter()
        let reader = DispatchGroup()
        DispatchQueue.global().async(group: reader) {
            for i in 1...8 {
                try? pipeline.submit(chunk(endRow: i))
                submitted.increment()
            }
        }
        sink.holding.wait()  // the first chunk's commit is held
        Thread.sleep(forTimeInterval: 0.2)
        // The third submit waits for room, writing chunk 1 meanwhile (its commit is held).
        #expect(submitted.value == 2)
        sink.hold!.signal()
        reader.wait()
        try pipeline.finish()
        #expect(sink.commits == Array(1...8))
    }

    @Test func theFirstWriteErrorStopsWritingAndReachesTheReadingThread() throws {
        let f = try LoggedFixtureRun(rows: 1)
        let sink = RecordingSink(failAt: 2)
        let pipeline = try pipeline(f, sink: sink, ahead: 3)
        #expect(throws: RecordingSink.Failure.self) {
            for i in 1...20 { try pipeline.submit(chunk(endRow: i)) }
            try pipeline.finish()
        }
        #expect(sink.commits == [1, 2])
        #expect(throws: RecordingSink.Failure.self) { try pipeline.finish() }
    }

    /// A write that fails while the workers wait for the next chunk wakes them, so the error
    /// reaches the reading thread. A bug fixed: they waited only for the pipeline to close, the
    /// reading thread waited for them to end, and an interrupted run hung.
    @Test func aWriteErrorWhileTheWorkersWaitEndsThem() throws {
        let f = try LoggedFixtureRun(rows: 1)
        let sink = RecordingSink(failAt: 1)
        let pipeline = try pipeline(f, sink: sink, ahead: 1, jobs: 2)
        let done = DispatchSemaphore(value: 0)
        let thrown = ManagedCounter()
        DispatchQueue.global().async {
            // The second submit waits for room, writes the first chunk, and its commit fails.
            do {
                for i in 1...2 { try pipeline.submit(chunk(endRow: i)) }
            } catch { thrown.increment() }
            done.signal()
        }
        let ended = done.wait(timeout: .now() + 20) == .success
        #expect(ended, "the reading thread is still waiting")
        guard ended else { return }
        #expect(thrown.value == 1)
        #expect(sink.commits == [1])
        #expect(throws: RecordingSink.Failure.self) { try pipeline.finish() }
    }

    /// Once `finish` has returned no worker holds the pipeline, so the writer and its sinks go
    /// with the caller's last reference. A bug fixed: a worker let go of it a moment later, on its
    /// own thread, so a log's connection closed after the run had returned, and a test that opened
    /// the log at once found it locked (SQLITE_BUSY) or read it before the close's checkpoint.
    @Test func nothingOfThePipelineOutlivesFinish() throws {
        let f = try LoggedFixtureRun(rows: 1)
        var heldOn = 0
        for _ in 1...200 {
            weak var weakSink: RecordingSink?
            try {
                let sink = RecordingSink()
                weakSink = sink
                let pipeline = try pipeline(f, sink: sink, ahead: 2, jobs: 2)
                for i in 1...3 { try pipeline.submit(chunk(endRow: i)) }
                try pipeline.finish()
            }()
            if weakSink != nil { heldOn += 1 }
        }
        #expect(heldOn == 0)
    }

    /// Through `BatchRun`: the run throws the sink's error, nothing is written after it, and no
    /// stage goes on once `run` has returned.
    @Test func aFailingSinkStopsTheRunAndNothingRunsOnAfterIt() throws {
        let f = try LoggedFixtureRun(rows: 400)
        let sink = RecordingSink(failAt: 2)
        let batch = BatchRun(loaded: f.loaded, options: f.options(jobs: 2, chunkSize: 32))
        batch.sinks = [sink]
        #expect(throws: RecordingSink.Failure.self) { _ = try batch.run() }
        #expect(sink.commits == [32, 64])
        Thread.sleep(forTimeInterval: 0.2)
        #expect(sink.commits == [32, 64])
        #expect(sink.consumesAfterFailure == 0)
    }
}

/// A counter shared between a test and a background thread.
private final class ManagedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    var value: Int { lock.withLock { count } }
    func increment() { lock.withLock { count += 1 } }
}
