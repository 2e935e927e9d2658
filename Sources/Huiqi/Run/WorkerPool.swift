import Dispatch
import Foundation
import HuiqiLua

/// Evaluates chunks of profiles on several runtimes at once.
///
/// Workers take the next few profiles of the chunk from a shared cursor rather than a fixed share:
/// on a 2-core machine the calling thread (reading and writing) competes with the workers, and a
/// worker it slows down must not leave the other one idle at the end of the chunk.
///
/// `@unchecked Sendable`: runtime `i` is touched only by iteration `i` of `concurrentPerform`, so
/// no Lua state is ever used by two threads; each result slot is written by the one worker that
/// claimed its index (claims are taken under `cursorLock`).
final class WorkerPool: @unchecked Sendable {
    private let runtimes: [RuleRuntime]
    /// Build reviewer-facing decisions too (for `--out`).
    private let withRecords: Bool
    /// Profiles a worker claims at a time: small enough to even out the end of a chunk, large
    /// enough that taking the lock is negligible (one lock per ~1 ms of evaluation).
    static let batch = 32
    private let cursorLock = NSLock()
    private var cursor = 0
    /// Changes rule code made to module tables during the last `evaluate`, one per worker that saw one.
    private var changes: [(worker: Int, change: String)] = []

    init(runtimes: [RuleRuntime], withRecords: Bool) {
        self.runtimes = runtimes
        self.withRecords = withRecords
    }

    /// Each profile of `chunk` evaluated, in order. One call at a time.
    func evaluate(_ chunk: [Profile]) -> [EvaluatedProfile] {
        guard !chunk.isEmpty else { return [] }
        cursor = 0
        return Array(unsafeUninitializedCapacity: chunk.count) { buffer, initialized in
            nonisolated(unsafe) let slots = buffer  // each index written by exactly one worker
            DispatchQueue.concurrentPerform(iterations: runtimes.count) { w in
                let runtime = runtimes[w]
                while let range = claim(of: chunk.count) {
                    for i in range {
                        let business = EvaluatedProfile(profile: chunk[i], results: runtime.evaluate(chunk[i]), builder: runtime.builder,
                                                        decide: withRecords ? runtime.decision(for:at:) : nil)
                        (slots.baseAddress! + i).initialize(to: business)
                    }
                }
                // Once a chunk, not once a business: the check walks every module table.
                if let change = runtime.moduleChanges() { cursorLock.withLock { changes.append((w, change)) } }
            }
            initialized = chunk.count
        }
    }

    /// The changes to module tables the last `evaluate` found (and undid), by worker (the same
    /// text whichever worker finished first), and forgets them.
    func takeModuleChanges() -> [String] {
        cursorLock.withLock {
            defer { changes = [] }
            return changes.sorted { $0.worker < $1.worker }.map(\.change)
        }
    }

    /// The next indices to evaluate, or nil when the chunk is all taken.
    private func claim(of count: Int) -> Range<Int>? {
        cursorLock.lock()
        defer { cursorLock.unlock() }
        guard cursor < count else { return nil }
        let lower = cursor
        cursor = min(count, lower + WorkerPool.batch)
        return lower..<cursor
    }
}
