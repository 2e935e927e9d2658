import Foundation
import GRDB

/// Puts the N shard runs of one split run (`huiqi run --shard K/N` on N machines, PRODUCT.md §9)
/// back together as one completed run in a log (`huiqi log merge`): every read of the merged run
/// (`log show`, `log export`, `log rejects`, `explain`, `review`, `lists`, `log diff`) then gives
/// what an unsplit run of the same input gives.
///
/// Made in two steps. `init(sources:)` opens each shard's log read-only, chooses its shard run and
/// checks that the runs are the N shards of one split run (same input, rules, catalog, schema,
/// settings and huiqi), each completed, each shard once: any refusal comes before the log being
/// written is touched. `write(into:…)` then copies them into that log in one transaction (see
/// `ShardMerge+Write.swift`), which checks on the way that no input row is in two shards.
///
///     let merge = try ShardMerge(sources: ["s1.db", "s2.db", "s3.db"].map { ShardMerge.Source(argument: $0) })
///     let merged = try merge.write(into: SQLiteDecisionStore(path: "all.db"), commandLine: "huiqi log merge …",
///                                  workingDirectory: FileManager.default.currentDirectoryPath)
///     print(merged.run.id, merged.run.parts.count)
public struct ShardMerge {
    /// A shard's log, and the run in it when the user named one: `s2.db`, or `s2.db:5`.
    public struct Source: Sendable, Equatable, CustomStringConvertible {
        public var path: String
        public var run: Int64?

        public init(path: String, run: Int64? = nil) {
            self.path = path
            self.run = run
        }

        /// `FILE` or `FILE:RUN`. A file whose own name ends in `:digits` is taken whole when it
        /// exists and `FILE` without the suffix does not.
        public init(argument: String) {
            if let colon = argument.lastIndex(of: ":"), let run = Int64(argument[argument.index(after: colon)...]), run > 0 {
                let path = String(argument[..<colon])
                let fm = FileManager.default
                if !path.isEmpty && (fm.fileExists(atPath: path) || !fm.fileExists(atPath: argument)) {
                    self.init(path: path, run: run)
                    return
                }
            }
            self.init(path: argument)
        }

        public var description: String { run.map { "\(path):\($0)" } ?? path }
    }

    /// A shard run chosen for the merge, with the log it is read from.
    struct Part {
        var source: Source
        var store: SQLiteDecisionStore
        var record: RunRecord
        var shard: RunShard
        /// The log's absolute path, as `run_parts.source_log` records it.
        var absolutePath: String

        /// `s2.db run 4`, for messages.
        var name: String { "\(source.path) run \(record.id)" }
    }

    /// The page cache of each shard log's connection (`PRAGMA cache_size`; negative: KiB).
    static let sourceCacheSize = -2048

    /// By shard, 1…N.
    let parts: [Part]
    /// Every input row (each shard read them all).
    public let read: Int
    /// Summed over the shards.
    public let evaluated: Int
    public let rejected: Int

    public var shardCount: Int { parts.count }

    /// Opens each source read-only, chooses its shard run and checks that they make one split run.
    public init(sources: [Source]) throws {
        guard !sources.isEmpty else { throw Diagnostic(.error, "give the shard logs to merge (请给出分片日志), e.g. `huiqi log merge s1.db s2.db s3.db --db all.db`") }
        // Every shard log stays open until the merge ends: 3 files each, and the log written.
        try OpenFileLimit.ensure(room: 3 * sources.count + 16, for: "merging \(sources.count) shard logs")
        var chosen: [Part] = []
        for source in sources {
            try ShardMerge.refuseOlderLog(source.path)
            let store = try SQLiteDecisionStore(readOnly: source.path)
            // Read once, in row order, a page at a time: a small page cache is enough, and N
            // connections with the log's 32 MiB each would grow with the shards (N × 32 MiB).
            try store.translating { try store.queue.inDatabase { db in try db.execute(sql: "PRAGMA cache_size = \(ShardMerge.sourceCacheSize)") } }
            let record = try ShardMerge.choose(source, in: store)
            let shard = try ShardMerge.requireMergeable(record, source: source)
            chosen.append(Part(source: source, store: store, record: record, shard: shard,
                               absolutePath: URL(fileURLWithPath: source.path).standardizedFileURL.path))
        }
        try ShardMerge.requireOneSplitRun(chosen)
        let byShard = try ShardMerge.requireEveryShardOnce(chosen)
        parts = byShard
        read = byShard[0].record.read ?? 0
        evaluated = byShard.reduce(0) { $0 + ($1.record.evaluated ?? 0) }
        rejected = byShard.reduce(0) { $0 + ($1.record.rejected ?? 0) }
        guard read == evaluated + rejected else {
            throw Diagnostic(.error, "the shards' counts do not add up (分片计数不符): \(read) rows read, but \(evaluated) evaluated + "
                             + "\(rejected) rejected over \(byShard.map(\.name).joined(separator: ", ")); were they split the same way?")
        }
    }

    /// A log an older huiqi wrote holds no shard run (log v7 added them), and opening it would
    /// upgrade it in place: refused before, so that a shard log is only ever read. Anything else
    /// the read-only open reports (a missing file, another program's, a newer huiqi's).
    private static func refuseOlderLog(_ path: String) throws {
        guard FileManager.default.fileExists(atPath: path) else { return }
        var config = Configuration()
        config.readonly = true
        guard let state = try? DatabaseQueue(path: path, configuration: config).read({ db in try SQLiteDecisionStore.schemaState(db) }),
              case .older(let applied) = state else { return }
        throw Diagnostic(.error, file: path, "this log was written by an older huiqi (日志版本较旧, schema \(applied.last ?? "?")), before runs "
                         + "could be split: it holds no shard run to merge")
    }

    /// The run of `source` to merge: the one named, else the log's one completed shard run.
    private static func choose(_ source: Source, in store: SQLiteDecisionStore) throws -> RunRecord {
        if let run = source.run { return try store.requireRun(run) }
        let runs = try store.runs()
        let shardRuns = runs.filter { $0.provenance.shard != nil }
        let completed = shardRuns.filter { $0.status == .completed }
        if completed.count == 1 { return completed[0] }
        if completed.count > 1 {
            let list = completed.map { "run \($0.id) (shard \($0.provenance.shard?.description ?? "?"))" }.joined(separator: ", ")
            throw Diagnostic(file: source.path, "this log holds \(completed.count) completed shard runs (日志中有多个已完成的分片运行): \(list); "
                             + "name the one to merge as FILE:RUN, e.g. \(source.path):\(completed[completed.count - 1].id)")
        }
        // None completed: the latest shard run, which the check of its status then refuses with how to finish it.
        if let latest = shardRuns.last { return latest }
        if runs.isEmpty { throw Diagnostic(file: source.path, "no runs in this log (日志中没有运行): nothing to merge") }
        throw Diagnostic(file: source.path, "no shard run in this log (日志中没有分片运行): its runs (\(runs.map { String($0.id) }.joined(separator: ", "))) "
                         + "are whole or merged runs; `huiqi log merge` puts together the runs of `huiqi run --shard K/N`")
    }

    /// The run's shard, if it is a completed shard run.
    private static func requireMergeable(_ record: RunRecord, source: Source) throws -> RunShard {
        guard let shard = record.provenance.shard else {
            if let n = record.mergedShards {
                throw Diagnostic(file: source.path, "run \(record.id) is already a merged run of \(n) shards (已是合并运行), not a shard run: nothing to merge")
            }
            throw Diagnostic(file: source.path, "run \(record.id) is not a shard run (不是分片运行): only runs of `huiqi run --shard K/N` are merged")
        }
        switch record.status {
        case .completed:
            return shard
        case .interrupted:
            throw Diagnostic(file: source.path, "run \(record.id) (shard \(shard)) is interrupted (运行已中断, \(record.rowsCommitted) 行已提交): "
                             + "complete it with `huiqi run --resume \(record.id) --db \(ShellWord.quoted(source.path))`, then merge")
        case .running:
            throw Diagnostic(file: source.path, "run \(record.id) (shard \(shard)) is still running (运行仍在进行, process \(record.provenance.process.pid) "
                             + "on \(record.provenance.process.host)): wait for it to complete (or, if it was stopped, `huiqi run --resume \(record.id) "
                             + "--db \(ShellWord.quoted(source.path))`), then merge")
        }
    }

    /// What the shard runs of one split run share, each as text for messages; compared in this order.
    private static let keys: [(name: String, value: @Sendable (RunRecord) -> String)] = [
        ("the number of shards (分片数)", { "\($0.provenance.shard?.count ?? 0)" }),
        ("as-of date (判定日期)", { $0.provenance.asOf }),
        ("rules SHA-256 (规则包)", { $0.provenance.rulesSHA256 }),
        ("catalog version (服务目录版本)", { $0.provenance.catalogVersion }),
        ("schema SHA-256 (字段定义)", { $0.provenance.schemaSHA256 }),
        ("huiqi version (程序版本)", { $0.provenance.toolVersion }),
        ("inputs' SHA-256 (输入文件)", { $0.provenance.inputs.map(\.sha256).joined(separator: ", ") }),
        ("--encoding (编码)", { $0.provenance.encoding.rawValue }),
        ("--allow-extra", { $0.provenance.allowExtra ? "on" : "off" }),
        ("limits (限制)", { "--max-instructions \($0.provenance.maxInstructions) --max-memory-bytes \($0.provenance.maxMemoryBytes)" }),
        ("the services evaluated (服务)", { $0.provenance.services.map(serviceText).joined(separator: "; ") }),
        ("the rules and their conditions (规则)", { $0.provenance.rules.map(ruleText).joined(separator: "; ") }),
        ("rows read (读取行数)", { "\($0.read ?? 0)" }),
        ("rows read per input (各输入文件行数)", { $0.provenance.inputs.map { "\($0.rows ?? 0)" }.joined(separator: ", ") }),
    ]

    static func serviceText(_ s: LoggedService) -> String {
        "\(s.slot + 1). \(s.id) \(s.name) (\(s.category), \(s.mode), \(s.provider ?? "-"), \(s.source ?? "-")) params \(s.paramsText ?? "-")"
    }

    static func ruleText(_ r: LoggedRule) -> String {
        "\(r.index). \(r.id) \(r.serviceID) \(r.file) " + (r.hasEvaluate ? "evaluate()" : "[" + r.conditionLabels.joined(separator: " | ") + "]")
    }

    /// Refuses shard runs that differ in what a split run shares, naming the key and both values
    /// (for a list, the first element that differs).
    private static func requireOneSplitRun(_ parts: [Part]) throws {
        let first = parts[0]
        for part in parts.dropFirst() {
            for key in keys {
                let a = key.value(first.record), b = key.value(part.record)
                guard a != b else { continue }
                let (x, y) = firstDifference(a, b)
                throw Diagnostic(file: part.source.path, "\(part.name) (shard \(part.shard)) and \(first.name) (shard \(first.shard)) "
                                 + "are not shards of one split run (不是同一次拆分运行的分片): they differ in \(key.name): \(y) vs \(x)")
            }
        }
    }

    /// The first element that differs of two `; `- or `, `-separated lists, or the texts whole.
    static func firstDifference(_ a: String, _ b: String) -> (String, String) {
        for separator in ["; ", ", "] where a.contains(separator) || b.contains(separator) {
            let xs = a.components(separatedBy: separator), ys = b.components(separatedBy: separator)
            for i in 0..<max(xs.count, ys.count) {
                let x = i < xs.count ? xs[i] : "(none)", y = i < ys.count ? ys[i] : "(none)"
                if x != y { return (x, y) }
            }
        }
        return (a, b)
    }

    /// The parts by shard 1…N, refusing a shard given twice or missing.
    private static func requireEveryShardOnce(_ parts: [Part]) throws -> [Part] {
        let count = parts[0].shard.count
        var byShard: [Int: Part] = [:]
        for part in parts {
            if let other = byShard[part.shard.index] {
                throw Diagnostic(file: part.source.path, "shard \(part.shard) is given twice (分片重复): \(other.name) and \(part.name); give each shard once")
            }
            byShard[part.shard.index] = part
        }
        let missing = (1...count).filter { byShard[$0] == nil }
        guard missing.isEmpty else {
            let present = byShard.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value.name))" }
            throw Diagnostic(.error, "missing shard\(missing.count == 1 ? "" : "s") \(missing.map(String.init).joined(separator: ", ")) of \(count) "
                             + "(缺少分片 \(missing.map(String.init).joined(separator: ", "))): present \(present.joined(separator: ", ")); "
                             + "give the log of every shard 1…\(count)")
        }
        return (1...count).compactMap { byShard[$0] }
    }
}
