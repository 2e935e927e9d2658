import Dispatch
import Foundation
import HuiqiLua

/// A batch matching: every profile of the inputs against every planned service (PRODUCT.md §6 `run`).
///
/// Profiles stream in chunks: the calling thread reads them, each chunk is split across `jobs`
/// workers, each with its own Lua state, and a writing thread writes them in input order
/// (`ChunkPipeline`), so the output is the same for any `jobs`. At most `chunksAhead + 1` chunks
/// are in memory at once, whatever the input size.
public final class BatchRun {
    public struct Options: Sendable {
        public var inputs: [String]
        public var asOf: String
        public var outPath: String?
        public var rejectsPath: String?
        public var encoding: InputEncoding
        public var allowExtra: Bool
        public var limits: LuaLimits
        public var jobs: Int
        /// Input rows (profiles and rejects) per chunk handed to the workers, and per commit of the sinks.
        public var chunkSize: Int
        /// Resume: the first `skipRows` input rows were fully handled by an earlier, interrupted
        /// attempt. They are read again (duplicate detection needs them) but not evaluated or written.
        public var skipRows: Int = 0
        /// Whether the rejects file is written when no row is rejected (a header only). False: it
        /// is created at the first rejected row, so a run that rejects nothing leaves no file.
        public var writesEmptyRejectsFile = true

        public init(inputs: [String], asOf: String, outPath: String? = nil, rejectsPath: String? = nil,
                    encoding: InputEncoding = .auto, allowExtra: Bool = false, limits: LuaLimits = LuaLimits(),
                    jobs: Int = 1, chunkSize: Int = 2048) {
            self.inputs = inputs
            self.asOf = asOf
            self.outPath = outPath
            self.rejectsPath = rejectsPath
            self.encoding = encoding
            self.allowExtra = allowExtra
            self.limits = limits
            self.jobs = max(1, jobs)
            self.chunkSize = max(1, chunkSize)
        }

        /// `rejectsPath`, else `out.jsonl` → `out.rejects.csv`, else `huiqi-rejects.csv` in the working
        /// directory. (A logged run always has a `rejectsPath`: `LoggedRun.start` names one per run.)
        public var resolvedRejectsPath: String {
            if let rejectsPath { return rejectsPath }
            guard let outPath else { return "huiqi-rejects.csv" }
            let url = URL(fileURLWithPath: outPath)
            return url.deletingPathExtension().path + ".rejects.csv"
        }
    }

    public let loaded: LoadedBundle
    public let options: Options
    /// Receives consumers of each evaluated chunk (the decision log adds one).
    public var sinks: [DecisionSink] = []

    public init(loaded: LoadedBundle, options: Options) {
        self.loaded = loaded
        self.options = options
    }

    /// Runs to the end. Throws only when the run cannot start (bad rules, unreadable input, bad header).
    /// `progress` is called with the number of rows read so far, from the calling thread.
    public func run(progress: ((Int) -> Void)? = nil) throws -> RunSummary {
        let runtimes = try (0..<options.jobs).map { _ in
            try RuleRuntime(bundle: loaded, asOf: options.asOf, limits: options.limits)
        }
        let plan = runtimes[0].plan
        var summary = RunSummary(plan: plan, rulesSHA256: loaded.bundle.sha256)
        summary.warnings += plan.unserved.map {
            Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), "service \($0.id) \($0.name) is active on \(options.asOf) but no effective rule serves it (无规则, 未评估)")
        }
        var stream = try ProfileStream(files: options.inputs.map { URL(fileURLWithPath: $0) }, schema: loaded.schema,
                                       encoding: options.encoding, allowExtra: options.allowExtra, asOf: options.asOf)
        summary.warnings += stream.warnings
        let out = try options.outPath.map { try DecisionFileWriter(path: $0) }
        let writer = try ChunkWriter(plan: plan, out: out, rejectsPath: options.resolvedRejectsPath,
                                     writesEmptyRejectsFile: options.writesEmptyRejectsFile, sinks: sinks)
        let pipeline = ChunkPipeline(workers: WorkerPool(runtimes: runtimes, withRecords: out != nil), writer: writer,
                                     ahead: BatchRun.chunksAhead)
        // On an error of reading or writing, nothing more is written and no stage runs on.
        var finished = false
        defer { if !finished { pipeline.stop() } }
        var read = 0
        var current = Chunk()
        func submit() throws {
            current.endRow = read
            try pipeline.submit(current)
            current = Chunk()
        }

        // A write that failed first (a full disk) is the cause to report, not what reading met after it.
        func nextRecord() throws -> ProfileRecord? {
            do {
                return try stream.next()
            } catch {
                pipeline.stop()
                try pipeline.finish()
                throw error
            }
        }

        while let record = try nextRecord() {
            read += 1
            switch record {
            case .profile where read <= options.skipRows:
                summary.evaluated += 1
            case .rejected where read <= options.skipRows:
                summary.rejected += 1
            case .profile(let profile):
                current.items.append(.profile(row: read, index: current.profiles.count))
                current.profiles.append(profile)
            case .rejected(let reject):
                current.items.append(.reject(row: read, reject))
            }
            // Rows, rejects included: a chunk closed only on profiles held every reject until the
            // next valid row (district-scale review: 1M duplicate rows, 880 MB and no commit).
            if current.items.count >= options.chunkSize { try submit() }
            if read % 10_000 == 0 { progress?(read) }
        }
        try submit()
        try pipeline.finish()
        finished = true
        progress?(read)
        try writer.close()
        summary.evaluated += writer.evaluated
        summary.rejected += writer.rejected
        summary.rejectsPath = writer.rejectsPath
        summary.firstErrors = writer.firstErrors
        summary.add(tallies: writer.tallies)
        summary.moduleChanges = writer.moduleChanges
        summary.read = read
        summary.fileCounts = stream.counts
        summary.warnings += stream.warnings.filter { !summary.warnings.contains($0) }
        guard summary.read == summary.evaluated + summary.rejected else {
            throw Diagnostic(.error, "internal error: read \(summary.read) ≠ evaluated \(summary.evaluated) + rejected \(summary.rejected)")
        }
        return summary
    }

    /// Chunks handed to the workers and not yet written, at most: one being evaluated while the
    /// one before is written. Each costs a chunk of profiles and results in memory (about 9 MB):
    /// with 3, the peak RSS of 5M rows, `--jobs 2`, was 285 MiB against 276 with 2, next to the
    /// 300 MB target, for no throughput the VM's noise could show.
    static let chunksAhead = 2
}

/// Input rows in order, evaluated together and committed together.
struct Chunk: Sendable {
    enum Item: Sendable {
        case profile(row: Int, index: Int)
        case reject(row: Int, Reject)
    }
    var items: [Item] = []
    var profiles: [Profile] = []
    /// Rows read when the chunk closed: what a commit after it makes durable.
    var endRow = 0

    /// The first input row the chunk holds.
    var firstRow: Int? {
        switch items.first {
        case .profile(let row, _)?, .reject(let row, _)?: return row
        case nil: return nil
        }
    }
}

/// Something that receives each evaluated profile's decisions and each reject, in input order.
///
/// `row` is the 1-based position of the input row across all input files (rejects included), the
/// same in every attempt of a run. After `commit(rowsRead:)` everything consumed so far must be
/// durable: a resumed run skips exactly `rowsRead` rows.
public protocol DecisionSink: AnyObject {
    func consume(_ business: EvaluatedProfile, row: Int) throws
    func consume(reject: Reject, row: Int) throws
    /// Rule code changed a module's tables while the chunk about to be committed was evaluated.
    func consume(moduleChange: RunSummary.ModuleChange) throws
    func commit(rowsRead: Int) throws
}

extension DecisionSink {
    public func consume(moduleChange: RunSummary.ModuleChange) throws {}
}

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

extension RuleRuntime {
    /// Decisions for one profile, with the business's identity attached.
    public func records(for profile: Profile) -> [DecisionRecord] {
        EvaluatedProfile(profile: profile, results: evaluate(profile), builder: builder, decide: decision(for:at:)).records ?? []
    }
}
