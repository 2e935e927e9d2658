import Dispatch
import Foundation
import HuiqiLua

/// A batch matching: every profile of the inputs against every planned service (PRODUCT.md §6 `run`).
///
/// Profiles stream in chunks: the calling thread reads them, each of `jobs` workers, each with its
/// own Lua state, evaluates whole chunks, and the calling thread writes them in input order
/// (`ChunkPipeline`), so the output is the same for any `jobs`. At most `chunksAhead + 1`
/// chunks are in memory at once, whatever the input size.
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
        /// Evaluate only the rows of this shard (`--shard K/N`, PRODUCT.md §9); nil: every row.
        public var shard: RunShard?
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
        summary.warnings += plan.unserved.map { BundleChecker.unservedWarning($0, plan: plan, loaded: loaded) }
        var stream = try ProfileStream(files: options.inputs.map { URL(fileURLWithPath: $0) }, schema: loaded.schema,
                                       encoding: options.encoding, allowExtra: options.allowExtra, asOf: options.asOf)
        summary.warnings += stream.warnings
        let out = try options.outPath.map { try DecisionFileWriter(path: $0) }
        let writer = try ChunkWriter(plan: plan, out: out, rejectsPath: options.resolvedRejectsPath,
                                     writesEmptyRejectsFile: options.writesEmptyRejectsFile, sinks: sinks)
        let pipeline = ChunkPipeline(runtimes: runtimes, withRecords: out != nil, writer: writer,
                                     ahead: BatchRun.chunksAhead(jobs: options.jobs))
        // On an error of reading or writing, nothing more is written and no stage runs on.
        var finished = false
        defer { if !finished { pipeline.stop() } }
        var read = 0
        var current = Chunk()
        stream.shard = options.shard
        var shown = 0  // rows read when progress was last shown
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
            // The record's row among all rows read: with --shard, other shards' rows are passed over.
            read = stream.rowsRead
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
            if read - shown >= 10_000 {
                shown = read - read % 10_000
                progress?(shown)
            }
        }
        // Rows after the last one this shard owns are read too: the last commit covers them.
        read = stream.rowsRead
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
        summary.shard = options.shard
        summary.otherShards = stream.otherShardRows
        summary.warnings += stream.warnings.filter { !summary.warnings.contains($0) }
        guard summary.read == summary.evaluated + summary.rejected + summary.otherShards else {
            throw Diagnostic(.error, "internal error: read \(summary.read) ≠ evaluated \(summary.evaluated) + rejected \(summary.rejected) + other shards \(summary.otherShards)")
        }
        return summary
    }

    /// Chunks handed to the workers and not yet written, at most: one being evaluated by each
    /// worker, one waiting for the next worker free, and one evaluated and being written. The
    /// reading thread reads one more meanwhile. Each costs a chunk of profiles and results in
    /// memory (about 9 MB).
    static func chunksAhead(jobs: Int) -> Int { jobs + 2 }
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
