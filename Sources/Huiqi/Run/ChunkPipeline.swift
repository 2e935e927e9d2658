import Dispatch
import Foundation

/// The stages of a run after reading: each worker takes the next chunk the reading thread hands
/// over, evaluates all of it on its own Lua state, then writes it when its turn comes, so chunks
/// are written in the order handed over and the output is the same for any number of workers.
///
/// Why a worker writes its own chunk (session 23). Before, a chunk was split across the workers
/// (a barrier at its end) and a separate thread wrote it: with `--jobs 2` that is four threads on
/// two cores, and the cores were busy 80–83% of a run (`/usr/bin/time`, 200k rows). A worker that
/// was descheduled holding the chunk's last profiles left the other one waiting at the barrier.
/// Here a worker waits only for its turn to write, the writing is done by the thread that
/// allocated the results (so it also frees them), and `--jobs 2` runs three threads, one of them
/// reading.
///
/// At most `ahead` chunks are handed over and not yet written, so memory stays bounded whatever
/// the input size. The first error of a write (a full disk, an interrupt at a commit) stops the
/// writing: later chunks are neither evaluated nor written, and the error is thrown to the reading
/// thread by its next `submit` or by `finish`.
///
/// `finish` and `stop` return only once every worker has ended, so nothing of the run (the writer,
/// a log's connection that must close before another opens the file) outlives them on another
/// thread; one of the two must be called before the pipeline is dropped.
///
/// `@unchecked Sendable`: everything but the runtimes and the writer is read and written under
/// `state`; runtime `w` is used only by worker `w`, and the writer only by the worker whose turn
/// it is (`written` is its chunk's number), or by the calling thread once `finish` has returned.
final class ChunkPipeline: @unchecked Sendable {
    private let runtimes: [RuleRuntime]
    /// Build reviewer-facing decisions too (for `--out`).
    private let withRecords: Bool
    private let writer: ChunkWriter
    private let ahead: Int
    private let state = NSCondition()
    /// Chunks handed over and not yet taken by a worker, with their numbers (at most `ahead`).
    private var queued: [(number: Int, chunk: Chunk)] = []
    private var handedOver = 0
    /// Chunks written or dropped: also the number of the next chunk to write.
    private var written = 0
    private var closed = false
    /// Workers not yet ended.
    private var running: Int
    private var stopped = false
    private var failure: Error?

    init(runtimes: [RuleRuntime], withRecords: Bool, writer: ChunkWriter, ahead: Int) {
        precondition(!runtimes.isEmpty)
        self.runtimes = runtimes
        self.withRecords = withRecords
        self.writer = writer
        self.ahead = max(1, ahead)
        running = runtimes.count
        for w in runtimes.indices {
            // Unowned: `drain` outlives every worker, and the last reference to the pipeline (so
            // to the writer and its log) is let go by the thread that made it, not by a worker.
            DispatchQueue(label: "huiqi.worker.\(w)").async { [unowned self] in
                work(on: self.runtimes[w])
                state.withLock {
                    running -= 1
                    state.broadcast()
                }
            }
        }
    }

    deinit {
        precondition(running == 0, "ChunkPipeline dropped without finish() or stop()")
    }

    /// Hands a chunk over, first waiting for room. Throws the first write error, if any.
    func submit(_ chunk: Chunk) throws {
        state.lock()
        defer { state.unlock() }
        while handedOver - written >= ahead && failure == nil { state.wait() }
        if let failure { throw failure }
        queued.append((handedOver, chunk))
        handedOver += 1
        state.broadcast()
    }

    /// Waits until every chunk handed over is written. Throws the first write error, if any.
    func finish() throws {
        if let failure = drain() { throw failure }
    }

    /// Stops: chunks not yet evaluated or written are dropped. Returns once nothing runs.
    func stop() {
        state.withLock { stopped = true }
        _ = drain()
    }

    /// Lets the workers end once the queue is empty, waits for the last write and for every
    /// worker to end, and gives the first write error.
    private func drain() -> Error? {
        state.lock()
        defer { state.unlock() }
        closed = true
        state.broadcast()
        while written < handedOver || running > 0 { state.wait() }
        return failure
    }

    /// A worker: takes chunks until the pipeline is closed and nothing is left.
    private func work(on runtime: RuleRuntime) {
        while let (number, chunk, skip) = next() {
            var results: [EvaluatedProfile] = []
            var changes: [String] = []
            if !skip {
                results = chunk.profiles.map { profile in
                    EvaluatedProfile(profile: profile, results: runtime.evaluate(profile), builder: runtime.builder,
                                     decide: withRecords ? runtime.decision(for:at:) : nil)
                }
                // Once a chunk, not once a business: the check walks every module table.
                if let change = runtime.moduleChanges() { changes = [change] }
            }
            if waitForTurn(number) {
                do {
                    try writer.write(chunk, results, moduleChanges: changes)
                } catch {
                    state.withLock {
                        if failure == nil { failure = error }
                        stopped = true
                    }
                }
            }
            state.withLock {
                written += 1
                state.broadcast()
            }
            // `results` and `chunk` are freed here, by the thread that built the results.
        }
    }

    /// The next chunk to evaluate, and whether it is to be dropped; nil once closed and empty.
    private func next() -> (Int, Chunk, Bool)? {
        state.lock()
        defer { state.unlock() }
        while queued.isEmpty && !closed { state.wait() }
        guard !queued.isEmpty else { return nil }
        let (number, chunk) = queued.removeFirst()
        state.broadcast()
        return (number, chunk, stopped)
    }

    /// Waits until chunk `number` is the next to write; false if it is to be dropped.
    private func waitForTurn(_ number: Int) -> Bool {
        state.lock()
        defer { state.unlock() }
        while written != number { state.wait() }
        return !stopped
    }
}
