import Foundation
#if canImport(Glibc)
import Glibc
#endif
import HuiqiLua

/// A batch run recorded in the decision log, from start (or resume) to completion.
///
/// `start` records the run's provenance (inputs hashed, services and rules snapshotted) before the
/// first row is read; `execute` runs the batch with the log's sink attached and marks the run
/// completed, or interrupted when it stops early. `resume` re-opens an interrupted run after
/// checking that nothing it depends on changed, and completes it: the rows it had committed are
/// skipped, so every profile × service is decided exactly once.
///
///     let logged = try LoggedRun.start(store: store, loaded: loaded, options: options, commandLine: "huiqi run a.csv")
///     print("run id: \(logged.runID)")
///     let summary = try logged.execute(interrupt: InterruptSignal())
public final class LoggedRun {
    public let store: DecisionStore
    /// The run as recorded when this attempt began.
    public let record: RunRecord
    public let loaded: LoadedBundle
    public let options: BatchRun.Options
    /// Whether this attempt resumes an interrupted run.
    public let isResume: Bool

    public var runID: Int64 { record.id }

    private init(store: DecisionStore, record: RunRecord, loaded: LoadedBundle, options: BatchRun.Options, isResume: Bool) {
        self.store = store
        self.record = record
        self.loaded = loaded
        self.options = options
        self.isResume = isResume
    }

    // MARK: - Starting

    /// Records a new run. Throws (and records nothing) when the run could not start: unreadable
    /// inputs, bad headers, rules that do not load.
    ///
    /// Without `options.rejectsPath` the run's rejects go to a file of its own, named by
    /// `defaultRejectsPath` from the run id (next to `--out`, else next to `logPath`) and written
    /// only when a row is rejected.
    public static func start(store: DecisionStore, loaded: LoadedBundle, options: BatchRun.Options,
                             commandLine: String, logPath: String? = nil) throws -> LoggedRun {
        // Everything that would stop BatchRun before its first row is checked here first, so a run
        // that cannot start leaves no trace in the log.
        // A default rejects file is named per run once the run exists: only a given one can clash.
        try OutputPaths.check(outputs: [options.outPath.map { ("--out", $0) }, options.rejectsPath.map { ("--rejects", $0) }].compactMap { $0 },
                              inputs: options.inputs, log: store.location)
        _ = try ProfileStream(files: options.inputs.map { URL(fileURLWithPath: $0) }, schema: loaded.schema,
                              encoding: options.encoding, allowExtra: options.allowExtra)
        let runtime = try RuleRuntime(bundle: loaded, asOf: options.asOf, limits: options.limits)
        let problems = BundleChecker.problemsThatStopARun(runtime, loaded: loaded)
        if !problems.isEmpty {
            let count = problems.count == 1 ? "an error" : "\(problems.count) errors"
            throw DiagnosticList(problems + [Diagnostic(.error, "the rules have \(count) that `huiqi check` reports; fix them before running (规则有错误, 未开始运行)")])
        }
        // A run that would evaluate nothing (a bundle with no rule files, or an as-of outside every
        // window) is a mistake, not a clean run: it exited 0 with one warning per service (docs
        // review: a Rules symlink read as empty).
        if runtime.plan.slots.isEmpty {
            throw Diagnostic(file: loaded.bundle.displayPath("catalog.yaml"),
                             "no service is evaluated on \(options.asOf): \(runtime.rules.isEmpty ? "the bundle has no rules" : "no active service has an effective rule") (没有可评估的服务, 未开始运行)")
        }
        var inputs: [RunInput] = []
        for (ordinal, path) in options.inputs.enumerated() {
            let digest = try FileDigest.sha256(path: path)
            inputs.append(RunInput(ordinal: ordinal, path: path, absolutePath: absolute(path), sha256: digest.hex, size: digest.size))
        }
        // Each rule file's hash and the modules it requires, what a review carries over between
        // runs by (`RuleVersion`).
        let modules = LoggedRule.modules(in: loaded.bundle)
        var sources: [String: (sha256: String, modules: String)] = [:]
        for file in loaded.bundle.ruleFiles {
            sources[file.displayPath] = (LoggedRule.sourceSHA256(of: file), modules[file.displayPath] ?? "")
        }
        let provenance = RunProvenance(
            asOf: options.asOf, rulesDirectory: loaded.bundle.directory, rulesPath: loaded.bundle.url.path,
            rulesSHA256: loaded.bundle.sha256, catalogVersion: loaded.catalog.version, schemaSHA256: loaded.schema.sha256,
            jobs: options.jobs, encoding: options.encoding, allowExtra: options.allowExtra,
            maxInstructions: options.limits.maxInstructions, maxMemoryBytes: options.limits.maxMemoryBytes,
            outPath: options.outPath.map(absolute), rejectsPath: options.rejectsPath.map(absolute),
            commandLine: commandLine, workingDirectory: FileManager.default.currentDirectoryPath, process: .current,
            inputs: inputs,
            services: runtime.plan.slots.enumerated().map { LoggedService(slot: $0.offset, service: $0.element.service, asOf: options.asOf) },
            rules: runtime.rules.enumerated().map { rule in
                LoggedRule(index: rule.offset, descriptor: rule.element, sourceSHA256: sources[rule.element.file]?.sha256,
                           modules: sources[rule.element.file]?.modules)
            },
            shard: options.shard)
        // Last, so a run refused for another cause creates no directory.
        try OutputPaths.prepare(outputs: [options.outPath.map { ("--out", $0) }, options.rejectsPath.map { ("--rejects", $0) }].compactMap { $0 })
        let perRun = options.rejectsPath == nil
        nonisolated(unsafe) var chosen: String?  // set by the closure, inside createRun's transaction
        let id = try store.createRun(provenance, startedAt: ISOTimestamp.now(), rejectsPath: perRun ? { run in
            let path = try unusedRejectsPath(run: run, outPath: options.outPath, logPath: logPath)
            chosen = path
            return absolute(path)
        } : nil)
        var batchOptions = options
        if perRun {
            batchOptions.rejectsPath = chosen ?? defaultRejectsPath(run: id, outPath: options.outPath, logPath: logPath)
            batchOptions.writesEmptyRejectsFile = false
        }
        return LoggedRun(store: store, record: try store.requireRun(id), loaded: loaded, options: batchOptions, isResume: false)
    }

    /// The rejects file of run `run` when it is not given one: next to `--out`
    /// (`out/decisions.csv` → `out/decisions.run3.rejects.csv`), else next to the log (`huiqi.db` →
    /// `huiqi.run3.rejects.csv`; without `logPath`, `huiqi.run3.rejects.csv` in the working
    /// directory). One name per run, so a later run, or one running at the same time, never
    /// writes over another run's rejects.
    public static func defaultRejectsPath(run: Int64, outPath: String?, logPath: String?) -> String {
        ((outPath ?? logPath ?? "huiqi") as NSString).deletingPathExtension + ".run\(run).rejects.csv"
    }

    /// `defaultRejectsPath`, or with `-2`, `-3`… after the run number when a file of that name is
    /// already there: run numbers start at 1 in every log, so another log's run (one log a month,
    /// or a log deleted to start over) with the same `--out` would write over it (found in review).
    ///
    /// The name is reserved at once, an empty file created exclusively: the file proper is written
    /// at the run's first reject, and a name only checked for would be free to another log's run
    /// until then (found in review). An empty reserved file is removed when the run completes
    /// without rejects (`dropEmptyReservation`).
    ///
    /// A name that cannot be created (a directory the user may not write) is refused here, before
    /// the run is recorded: it was noticed only at the first rejected row, after thousands of rows
    /// were logged (crash-safety review).
    static func unusedRejectsPath(run: Int64, outPath: String?, logPath: String?) throws -> String {
        let base = defaultRejectsPath(run: run, outPath: outPath, logPath: logPath)
        var candidate = base, k = 2
        while true {
            let fd = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { close(fd); return candidate }
            guard errno == EEXIST else {
                throw Diagnostic(file: candidate, "cannot create the run's rejects file: \(String(cString: strerror(errno))) (无法创建拒收明细文件); "
                                 + "give --rejects FILE somewhere writable")
            }
            candidate = String(base.dropLast(".rejects.csv".count)) + "-\(k).rejects.csv"
            k += 1
        }
    }

    /// Removes the per-run rejects file reserved for a run that completed without rejects.
    private func dropEmptyReservation(_ path: String?) {
        guard let path, LoggedRun.isDefaultRejectsPath(path, run: runID),
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int, size == 0 else { return }
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Whether `path` is a per-run name `unusedRejectsPath` gives run `run` (then the file is
    /// written only when the run rejected rows).
    static func isDefaultRejectsPath(_ path: String, run: Int64) -> Bool {
        if path.hasSuffix(".run\(run).rejects.csv") { return true }
        guard path.hasSuffix(".rejects.csv"), let r = path.range(of: ".run\(run)-", options: .backwards) else { return false }
        let k = path[r.upperBound...].dropLast(".rejects.csv".count)
        return !k.isEmpty && k.allSatisfy(\.isASCII) && k.allSatisfy(\.isNumber)
    }

    // MARK: - Resuming

    /// Re-opens run `id` to complete it, with the inputs, as-of date, rules and settings it
    /// recorded (only `jobs` may differ: decisions do not depend on it).
    ///
    /// Refuses — naming what changed — when the rules bundle, the schema, the catalog version or
    /// any input file differs from what the run recorded, or when `asOf` is given and differs.
    public static func resume(store: DecisionStore, runID id: Int64, jobs: Int, asOf: String? = nil, chunkSize: Int = 2048) throws -> LoggedRun {
        let record = try store.requireRun(id)
        if record.status == .completed {
            throw Diagnostic(file: store.location, "run \(id) is already completed (运行 \(id) 已完成), nothing to resume")
        }
        let p = record.provenance
        var problems: [Diagnostic] = []
        func changed(_ what: String, _ detail: String) {
            problems.append(Diagnostic(file: store.location, "cannot resume run \(id): \(what) \(detail)"))
        }
        if let asOf, asOf != p.asOf {
            changed("the as-of date differs (判定日期不同):", "the run recorded \(p.asOf), given \(asOf)")
        }
        // Rows are resumed by their ordinal, and another version may read the same file into other
        // rows (0.2 skips rows of empty cells that 0.1 rejected): a resume would shift every row
        // after such a row, evaluating some twice and skipping others (review).
        if p.toolVersion != HuiqiVersion.current {
            changed("it was started by another huiqi version (版本不同):",
                    "huiqi \(p.toolVersion) started it, this is \(HuiqiVersion.current); run it again instead (请重新运行)")
        }
        // Paths as first given when we are where the run started, so messages and rejects read the same.
        let here = FileManager.default.currentDirectoryPath == p.workingDirectory
        let rulesDirectory = here ? p.rulesDirectory : p.rulesPath
        var loaded: LoadedBundle?
        do {
            let bundle = try RuleBundle(directory: rulesDirectory)
            if bundle.sha256 != p.rulesSHA256 {
                changed("the rules bundle changed since the run (规则包已修改):",
                        "\(rulesDirectory) — rules SHA-256 recorded \(p.rulesSHA256), now \(bundle.sha256)"
                        + RuleBundle.modifiedSinceNote(directory: rulesDirectory, startedAt: record.startedAt))
            } else {
                loaded = try LoadedBundle.load(directory: rulesDirectory)
            }
        } catch {
            changed("the rules bundle cannot be loaded (规则包无法加载):", "\(rulesDirectory): \(LoggedRun.text(of: error))")
        }
        if let l = loaded {
            if l.schema.sha256 != p.schemaSHA256 {
                changed("the schema changed (字段表已修改):", "schema SHA-256 recorded \(p.schemaSHA256), now \(l.schema.sha256)")
            }
            if l.catalog.version != p.catalogVersion {
                changed("the catalog version changed (服务目录版本已变):", "recorded \(p.catalogVersion), now \(l.catalog.version)")
            }
        }
        var inputPaths: [String] = []
        for input in p.inputs {
            let path = here ? input.path : input.absolutePath
            inputPaths.append(path)
            guard FileManager.default.fileExists(atPath: path) else {
                changed("an input file is gone (输入文件不存在):", path)
                continue
            }
            do {
                let digest = try FileDigest.sha256(path: path)
                if digest.hex != input.sha256 {
                    changed("an input file changed (输入文件已修改):", "\(path) — SHA-256 recorded \(input.sha256), now \(digest.hex)")
                }
            } catch {
                changed("an input file cannot be read (输入文件无法读取):", "\(path): \(LoggedRun.text(of: error))")
            }
        }
        guard problems.isEmpty, let loaded else { throw DiagnosticList(problems) }

        var options = BatchRun.Options(inputs: inputPaths, asOf: p.asOf, outPath: nil, rejectsPath: nil, encoding: p.encoding,
                                       allowExtra: p.allowExtra, limits: p.limits, jobs: jobs, chunkSize: chunkSize)
        options.shard = p.shard
        // The outputs are rewritten from the log once the run completes; this attempt's own
        // rejects file holds only its part, so it goes to a scratch file.
        LoggedRun.removeAbandonedScratchFiles()
        options.rejectsPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(scratchPrefix)\(getpid())-\(id).rejects.csv").path
        let runtime = try RuleRuntime(bundle: loaded, asOf: p.asOf, limits: p.limits)
        guard runtime.plan.slots.map(\.service.id) == p.services.map(\.id), runtime.rules.map(\.id) == p.rules.map(\.id) else {
            throw Diagnostic(file: store.location, "cannot resume run \(id): the rules plan differs from the recorded one although the bundle hash matches")
        }
        let reopened = try store.reopenRun(id, process: .current)
        options.skipRows = reopened.rowsCommitted
        return LoggedRun(store: store, record: reopened, loaded: loaded, options: options, isResume: true)
    }

    private static let scratchPrefix = "huiqi-resume-"

    /// Scratch rejects files of resumes whose process is gone (a `kill -9` leaves its own behind).
    static func removeAbandonedScratchFiles() {
        let tmp = FileManager.default.temporaryDirectory
        for name in (try? FileManager.default.contentsOfDirectory(atPath: tmp.path)) ?? [] where name.hasPrefix(scratchPrefix) {
            guard name.hasSuffix(".rejects.csv"), let pid = Int32(name.dropFirst(scratchPrefix.count).prefix { $0 != "-" }), pid > 0,
                  pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? FileManager.default.removeItem(at: tmp.appendingPathComponent(name))
        }
    }

    // MARK: - Running

    /// Runs the batch into the log. On SIGINT, SIGTERM or SIGHUP (`interrupt`) it stops after the current
    /// chunk is committed, marks the run interrupted and throws `RunInterrupted`; on any other
    /// failure it marks the run interrupted (so it can be resumed) and rethrows.
    /// `additionalSinks` see the same rows after the log (e.g. to build lists while the run goes).
    public func execute(interrupt: InterruptSignal? = nil, additionalSinks: [DecisionSink] = [],
                        progress: ((Int) -> Void)? = nil) throws -> RunSummary {
        if let signal = interrupt?.signal {
            // Stopped while the run was being prepared (inputs hashed, rules compiled).
            try store.markRun(runID, status: .interrupted, endedAt: ISOTimestamp.now())
            try? store.indexCodes(run: runID)  // an earlier attempt's rows, when resuming
            throw RunInterrupted(signal: signal, rowsCommitted: options.skipRows)
        }
        let batch = BatchRun(loaded: loaded, options: options)
        let sink = try store.sink(forRun: runID, schema: loaded.schema)
        batch.sinks = [interrupt.map { InterruptibleSink(sink, interrupt: $0) } ?? sink] + additionalSinks
        var summary: RunSummary
        do {
            summary = try batch.run(progress: progress)
            // A resume rewrites `--out` and the rejects file of the whole run before it marks the
            // run completed: marked first, a resume killed or failing (a full disk) while
            // rewriting left truncated files and a run `--resume` refused (crash-safety review).
            if isResume { try rewriteOutputs(interrupt: interrupt, rows: summary.read) }
        } catch {
            try? store.markRun(runID, status: .interrupted, endedAt: ISOTimestamp.now())
            // Best effort: rows left out of the index are scanned, and a resume indexes them.
            try? store.indexCodes(run: runID)
            if isResume { try? FileManager.default.removeItem(atPath: options.resolvedRejectsPath) }
            // Stopped while rewriting the outputs, the interrupt comes back wrapped by the store
            // (code review: it read as a log error, exit 2).
            if let signal = interrupt?.signal, !(error is RunInterrupted) {
                throw RunInterrupted(signal: signal, rowsCommitted: (try? store.rowsCommitted(run: runID)) ?? options.skipRows)
            }
            throw error
        }
        try store.finishRun(runID, read: summary.read, evaluated: summary.evaluated, rejected: summary.rejected,
                            inputs: summary.fileCounts, endedAt: ISOTimestamp.now())
        // Complete now: a second Ctrl-C while the index is built must not advise a resume, which a
        // completed run refuses (review).
        interrupt?.forcedStopNote = "run \(runID) is complete (运行已完成); stopped while indexing it by credit code, "
            + "which the next command that writes this log (run, review) finishes"
        do {
            try store.indexCodes(run: runID)
        } catch {
            // The decisions are all logged: only lookups by credit code slow down (review: a small
            // temporary directory for SQLite's sorter had failed the run at its very end).
            let cause = (error as? Diagnostic)?.message ?? String(describing: error)
            summary.warnings.append(Diagnostic(.warning, file: store.location,
                "the run's index by credit code was not built (未建立信用代码索引): \(cause). Every decision is logged; "
                + "until the next command that writes this log (run, review) builds the index, looking a business up by "
                + "code in this run scans its rows. SQLite sorts in its temporary directory (SQLITE_TMPDIR, else TMPDIR, "
                + "/var/tmp or /tmp): if the cause is a full disk, that directory is full, not necessarily the log's disk"))
        }
        for (count, input) in zip(summary.fileCounts, record.provenance.inputs) {
            if let sha = count.sha256, sha != input.sha256 {
                // Written while the run read it (an export still being written): the decisions are
                // of the bytes read, which the log now records; the run is not a clean one.
                summary.inputChanged = true
                summary.warnings.append(Diagnostic(.warning, file: input.path,
                    "the file changed while the run read it (运行期间文件被修改): the log records the file as read (SHA-256 \(sha), "
                    + "\(count.size.map(String.init) ?? "?") bytes), not as it was at the start (\(input.sha256), \(input.size) bytes); "
                    + "check that the export was complete"))
            }
        }
        if isResume {
            try? FileManager.default.removeItem(atPath: options.resolvedRejectsPath)
            summary.outcomes = try store.outcomeCounts(run: runID)
            // An earlier attempt's module changes too (review: the resumed run exited 0 without them).
            summary.moduleChanges = try store.moduleChanges(run: runID)
            // The first rule error of each service, from the log, as an uninterrupted run shows it:
            // an earlier attempt may have met it (crash-safety review: the resumed summary printed
            // the heading with nothing under it).
            summary.firstErrors = [:]
            for (service, counts) in summary.outcomes where (counts[.error] ?? 0) > 0 {
                let filter = DecisionFilter(serviceID: service, outcome: .error, limit: 1)
                try store.forEachDecision(run: runID, filter: filter) { d in
                    // The logged message names the rule first; the summary's line, as a run's own, does not.
                    let message = d.decision.errorMessage.map(LogListing.errorGist) ?? d.decision.reasons.first ?? "rule error"
                    summary.firstErrors[service] = (d.record.creditCode, String(message.split(separator: "\n").first ?? ""))
                }
            }
            summary.rejectsPath = record.provenance.rejectsPath
            dropEmptyReservation(record.provenance.rejectsPath)
        } else if summary.rejected == 0 {
            dropEmptyReservation(record.provenance.rejectsPath)
        }
        return summary
    }

    /// After a resume, writes `--out` and the rejects file of the whole run from the log, as an
    /// uninterrupted run would have written them.
    /// A Ctrl-C stops it (the first one used to be ignored here); the run stays resumable.
    private func rewriteOutputs(interrupt: InterruptSignal?, rows: Int) throws {
        let p = record.provenance
        if let out = p.outPath {
            let writer = try DecisionFileWriter(path: out)
            try store.forEachDecision(run: runID, filter: .all) {
                if let signal = interrupt?.signal { throw RunInterrupted(signal: signal, rowsCommitted: rows) }
                try writer.write($0.record)
            }
            try writer.close()
        }
        if let path = p.rejectsPath {
            // A per-run default file exists only when the run rejected rows; a file given with
            // --rejects is always written, as an uninterrupted run does.
            var writer = LoggedRun.isDefaultRejectsPath(path, run: runID) ? nil : try RejectsWriter(url: URL(fileURLWithPath: path))
            try store.forEachReject(run: runID) { reject in
                if writer == nil { writer = try RejectsWriter(url: URL(fileURLWithPath: path)) }
                try writer?.write(reject.reject)
            }
            try writer?.close()
        }
    }

    static func absolute(_ path: String) -> String { URL(fileURLWithPath: path).standardizedFileURL.path }

    static func text(of error: Error) -> String {
        switch error {
        case let list as DiagnosticList: return list.diagnostics.map(\.description).joined(separator: "; ")
        case let d as Diagnostic: return d.description
        default: return String(describing: error)
        }
    }
}
