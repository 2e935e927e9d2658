import Dispatch
import Foundation

/// The stages of a run after reading: chunks handed over by the reading thread are evaluated on
/// the workers, one after another on a serial queue, then written in input order on another.
///
/// Reading and writing take about a third of a run's CPU. Both on the calling thread, with three
/// threads on two cores, that thread fell behind whenever the workers took its share of the CPU,
/// and the workers then waited for input: 0.52 s of a 6.5 s run of 300k rows, `--jobs 2`. Split
/// into two serial stages, each needs less than its share, and the workers are rarely short of
/// chunks (0.04–0.06 s of waiting).
///
/// At most `ahead` chunks are handed over and not yet written (a semaphore), so memory stays
/// bounded whatever the input size. The first error of a write (a full disk, an interrupt at a
/// commit) stops the writing: later chunks are neither evaluated nor written, and the error is
/// thrown to the reading thread by its next `submit` or by `finish`.
///
/// `@unchecked Sendable`: `failure` and `stopped` are read and written under `lock`; the workers
/// and the writer are each used from one serial queue only.
final class ChunkPipeline: @unchecked Sendable {
    private let workers: WorkerPool
    private let writer: ChunkWriter
    private let evaluating = DispatchQueue(label: "huiqi.evaluate")
    private let writing = DispatchQueue(label: "huiqi.write")
    private let room: DispatchSemaphore
    private let lock = NSLock()
    private var failure: Error?
    private var stopped = false

    init(workers: WorkerPool, writer: ChunkWriter, ahead: Int) {
        self.workers = workers
        self.writer = writer
        room = DispatchSemaphore(value: max(1, ahead))
    }

    /// Hands a chunk over, first waiting for room. Throws the first write error, if any.
    func submit(_ chunk: Chunk) throws {
        room.wait()
        if let failure = lock.withLock({ failure }) {
            room.signal()
            throw failure
        }
        evaluating.async {
            let results = self.isStopped ? [] : self.workers.evaluate(chunk.profiles)
            let changes = self.workers.takeModuleChanges()
            self.writing.async {
                defer { self.room.signal() }
                guard !self.isStopped else { return }
                do {
                    try self.writer.write(chunk, results, moduleChanges: changes)
                } catch {
                    self.lock.withLock {
                        self.failure = error
                        self.stopped = true
                    }
                }
            }
        }
    }

    /// Waits until every chunk handed over is written. Throws the first write error, if any.
    func finish() throws {
        drain()
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    /// Stops: chunks not yet evaluated or written are dropped. Returns once nothing runs.
    func stop() {
        lock.withLock { stopped = true }
        drain()
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func drain() {
        evaluating.sync {}  // every evaluation done, so every write is queued
        writing.sync {}
    }
}
