import Dispatch
import Foundation

/// The stages of a run after reading: each worker takes the next chunk the reading thread hands
/// over and evaluates all of it on its own Lua state; the reading thread writes the evaluated
/// chunks in the order it handed them over, so the output is the same for any number of workers.
///
/// Why this shape (session 24). Until session 22 a chunk was split across the workers (a barrier
/// at its end) and a fourth thread wrote it: with `--jobs 2` the two cores were busy 80–83% of a
/// run (`/usr/bin/time`, 200k rows), since a worker descheduled holding the chunk's last profiles
/// left the other waiting at the barrier. In session 23 each worker wrote its own chunk when its
/// turn came, which idled a worker that finished early, and made `--jobs 1` evaluate and write on
/// one thread. Here workers only evaluate, whole chunks, and park what they evaluated; writing
/// (about a sixth of a business's CPU) goes with reading (a tenth) on the calling thread, which
/// otherwise waits for room. Each thread's share stays under what one core gives it.
///
/// At most `ahead` chunks are handed over and not yet written, so memory stays bounded whatever
/// the input size. The first error of a write (a full disk, an interrupt at a commit) stops the
/// run: chunks not yet evaluated are dropped, nothing more is written, and every later `submit`
/// or `finish` throws it again.
///
/// `finish` and `stop` return only once every worker has ended, so nothing of the run outlives
/// them on another thread; one of the two must be called before the pipeline is dropped.
///
/// `@unchecked Sendable`: everything but the runtimes and the writer is read and written under
/// `state`; runtime `w` is used only by worker `w`, and the writer only by the calling thread.
final class ChunkPipeline: @unchecked Sendable {
    /// A chunk evaluated and not yet written.
    private struct Evaluated {
        let chunk: Chunk
        let results: [EvaluatedProfile]
        let moduleChanges: [String]
    }

    private let runtimes: [RuleRuntime]
    /// Build reviewer-facing decisions too (for `--out`).
    private let withRecords: Bool
    private let writer: ChunkWriter
    private let ahead: Int
    private let state = NSCondition()
    /// Chunks handed over and not yet taken by a worker, with their numbers.
    private var queued: [(number: Int, chunk: Chunk)] = []
    /// Chunks evaluated and not yet written, by number.
    private var evaluated: [Int: Evaluated] = [:]
    private var handedOver = 0
    /// Chunks written: also the number of the next chunk to write.
    private var written = 0
    private var closed = false
    private var stopped = false
    /// Workers not yet ended.
    private var running: Int
    private var failure: Error?

    init(runtimes: [RuleRuntime], withRecords: Bool, writer: ChunkWriter, ahead: Int) {
        precondition(!runtimes.isEmpty)
        self.runtimes = runtimes
        self.withRecords = withRecords
        self.writer = writer
        self.ahead = max(1, ahead)
        running = runtimes.count
        for w in runtimes.indices {
            // Unowned: `finish` and `stop` outlive every worker, and the last reference to the
            // pipeline (so to the writer and its log) is let go by the calling thread, not a worker.
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

    /// Hands a chunk over, writing what is evaluated meanwhile and waiting for room.
    /// Throws the first write error, if any.
    func submit(_ chunk: Chunk) throws {
        try writeEvaluated { handedOver - written < ahead }
        state.withLock {
            queued.append((handedOver, chunk))
            handedOver += 1
            state.broadcast()
        }
    }

    /// Writes every chunk handed over and waits for the workers to end. Throws the first write
    /// error, if any.
    func finish() throws {
        state.withLock {
            closed = true
            state.broadcast()
        }
        try writeEvaluated { written == handedOver && running == 0 }
    }

    /// Stops: chunks not yet written are dropped. Returns once no worker runs.
    func stop() {
        var dropped: [Int: Evaluated] = [:]
        state.withLock {
            stopped = true
            closed = true
            state.broadcast()
            while running > 0 { state.wait() }
            swap(&dropped, &evaluated)
            queued.removeAll()
        }
    }

    /// On the calling thread: writes evaluated chunks in order as they come until `done` holds
    /// (read under `state`), or throws the first write error.
    private func writeEvaluated(until done: () -> Bool) throws {
        state.lock()
        defer { state.unlock() }
        while failure == nil && !stopped && !done() {
            guard var next = evaluated.removeValue(forKey: written) else {
                state.wait()
                continue
            }
            state.unlock()
            do {
                try writer.write(next.chunk, next.results, moduleChanges: next.moduleChanges)
            } catch {
                state.lock()
                failure = error
                stopped = true
                state.broadcast()
                continue
            }
            // Freed outside the lock: it is most of a chunk's memory.
            next = Evaluated(chunk: Chunk(), results: [], moduleChanges: [])
            state.lock()
            written += 1
            state.broadcast()
        }
        if stopped {
            while running > 0 { state.wait() }
        }
        if let failure { throw failure }
    }

    /// A worker: takes chunks until the pipeline is closed and nothing is left.
    private func work(on runtime: RuleRuntime) {
        while let (number, chunk) = next() {
            let results = chunk.profiles.map { profile in
                EvaluatedProfile(profile: profile, results: runtime.evaluate(profile), builder: runtime.builder,
                                 decide: withRecords ? runtime.decision(for:at:) : nil)
            }
            // Once a chunk, not once a business: the check walks every module table.
            let changes = runtime.moduleChanges().map { [$0] } ?? []
            state.withLock {
                if !stopped { evaluated[number] = Evaluated(chunk: chunk, results: results, moduleChanges: changes) }
                state.broadcast()
            }
        }
    }

    /// The next chunk to evaluate; nil once closed and empty, or stopped.
    private func next() -> (Int, Chunk)? {
        state.lock()
        defer { state.unlock() }
        while queued.isEmpty && !closed && !stopped { state.wait() }
        guard !stopped, !queued.isEmpty else { return nil }
        return queued.removeFirst()
    }
}
