import ArgumentParser
import Foundation
import Huiqi

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "批量判定 — Match every business in the profile files against every active service.",
        discussion: """
        Reads CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or JSON Lines files with \
        Chinese or English headers. Rows that fail validation go to a rejects CSV \
        with line, field and reason, one file per run: next to the output as \
        NAME.runN.rejects.csv (or next to the log without --out), or --rejects \
        FILE. They are logged too: `huiqi log rejects RUN` gives them back. \
        read = evaluated + rejected always holds (with --shard K/N, + the rows \
        other shards evaluate). --out and --rejects may not \
        name an input, each other or the log, nor a file that cannot be created \
        (refused before the run is recorded). Rules with errors `huiqi check` \
        reports (duplicate ids, unknown fields or params, overlapping rules…) are \
        refused too: fix them first.

        Every run is recorded in the decision log (--db, default ./huiqi.db) with \
        its provenance: as-of date, rules SHA-256, catalog version, schema hash, \
        each input's SHA-256. The run id is printed first. Ctrl-C (SIGINT), \
        SIGTERM or SIGHUP (a closed terminal; not under nohup) stops after the current chunk and marks the run interrupted; \
        `--resume RUN` completes it later with the inputs, rules and as-of it \
        recorded, and refuses if any of them changed.

        Exit 0 clean; 1 finished with rejected rows, rule errors or an input that changed while it was read; 2 could not \
        start (including a mistyped option); 130/143/129 interrupted by SIGINT/SIGTERM/SIGHUP \
        (a second Ctrl-C stops at once).

        Examples:
          huiqi run Samples/profiles.csv --out out/decisions.csv
          huiqi run a.csv b.jsonl --as-of 2025-06-01 --jobs 2 --db logs/huiqi.db
          huiqi run --resume 7 --db logs/huiqi.db
          huiqi run all.csv --shard 2/4 --db shard2.db     (on the second of four machines)
        """
    )

    @Argument(help: ArgumentHelp("Profile files (.csv, .jsonl).", valueName: "PROFILES"))
    var profiles: [String] = []

    @OptionGroup var bundle: BundleOptions
    @OptionGroup var asOf: AsOfOption
    @OptionGroup var database: DatabaseOption

    @Option(help: ArgumentHelp("Write decisions to FILE (.jsonl or .csv).", valueName: "FILE"))
    var out: String?

    @Option(help: ArgumentHelp("Rejects CSV, always written (default: one file per run, reserved when the run starts and removed if it completes without rejects: next to --out as NAME.runN.rejects.csv, else next to the log as LOG.runN.rejects.csv; NAME.runN-2.rejects.csv if another log's run has that name).",
                               valueName: "FILE"))
    var rejects: String?

    @Option(help: ArgumentHelp("Worker threads, each with its own Lua state; the default is the number of cores.", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Rows evaluated and committed to the log together. Smaller: less memory, and an interrupted run redoes less; larger: a little faster.",
                               valueName: "N"))
    var commitEvery: Int = 2048

    @Option(help: ArgumentHelp("Input encoding: auto, utf-8, gb18030, gbk.", valueName: "E"))
    var encoding: String = "auto"

    @Flag(help: "Ignore columns the schema does not know (with a warning) instead of refusing the file.")
    var allowExtra = false

    @Option(help: ArgumentHelp("Evaluate only shard K of N (1 ≤ K ≤ N ≤ 1024), for a run split across machines: every shard reads all rows and evaluates those whose credit code falls to it (rows without a code: by row number). Run 1/N … N/N, each into its own log, then `huiqi log merge` puts them into one run.",
                               valueName: "K/N"))
    var shard: String?

    @Option(help: ArgumentHelp("Complete the interrupted run RUN (same inputs, rules and as-of; give only --db, --jobs and --commit-every).",
                               valueName: "RUN"))
    var resume: Int64?

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1 (至少为 1)") }
        guard commitEvery >= 1 else { throw ValidationError("--commit-every must be at least 1 (至少为 1)") }
        guard InputEncoding(name: encoding) != nil else { throw ValidationError("--encoding must be auto, utf-8, gb18030 or gbk (编码只能是 auto、utf-8、gb18030 或 gbk)") }
        if let out, ![".jsonl", ".csv", ".ndjson"].contains(where: out.lowercased().hasSuffix) {  // O.CSV as well
            throw ValidationError("--out must end in .jsonl or .csv (输出文件名应以 .jsonl 或 .csv 结尾)")
        }
        if let shard, RunShard(parsing: shard) == nil {
            throw ValidationError("--shard must be K/N with 1 ≤ K ≤ N ≤ \(RunShard.maxCount), like --shard 2/4 (got '\(shard)') (分片写作 K/N, 如 --shard 2/4)")
        }
        if resume != nil {
            let given = ["--rules", "--out", "--rejects", "--encoding", "--allow-extra", "--max-instructions", "--max-memory-mb", "--shard"]
                .filter { flag in CommandLine.arguments.contains { $0 == flag || $0.hasPrefix(flag + "=") } }
            if !profiles.isEmpty || !given.isEmpty {
                let what = (profiles.isEmpty ? [] : ["PROFILES"]) + given
                throw ValidationError("--resume takes the inputs, rules, as-of and settings the run recorded; do not give \(what.joined(separator: ", ")) (续跑沿用该次运行记录的输入、规则、判定日期和设置, 请勿再给出 \(what.joined(separator: "、")))")
            }
        } else if profiles.isEmpty {
            throw ValidationError("give the profile files to match, or --resume RUN (请给出画像文件, 或用 --resume 续跑)")
        }
    }

    func run() throws {
        // Signals are caught from here on: the run stops at its next commit point and is marked interrupted.
        let interrupt = InterruptSignal()
        defer { interrupt.restore() }
        let logged: LoggedRun
        // A run that cannot start (no rules, a missing input) leaves no new log behind: the file is
        // created here exclusively, so only a log this process created is ever removed.
        let createdLog = Run.createExclusively(database.db)
        // Lua files not read (….lua.txt): said also when the run cannot start, as "the bundle has
        // no rules" may be because of them.
        var unread: [Diagnostic] = []
        do {
            let store = try database.openForWriting(create: true)
            if let resume {
                logged = try LoggedRun.resume(store: store, runID: resume, jobs: jobs, asOf: asOf.asOf.flatMap(ISODate.normalize),
                                              chunkSize: commitEvery)
            } else {
                let loaded = try LoadedBundle.load(directory: bundle.rules)
                unread = loaded.bundle.unreadFiles
                // Without --rejects, each run writes its own file, named with its run id, next to
                // --out or else next to the decision log (log.db → log.run3.rejects.csv).
                var options = BatchRun.Options(inputs: profiles, asOf: asOf.resolved, outPath: out, rejectsPath: rejects,
                                               encoding: InputEncoding(name: encoding) ?? .auto, allowExtra: allowExtra,
                                               limits: bundle.limits, jobs: jobs, chunkSize: commitEvery)
                options.shard = shard.flatMap(RunShard.init(parsing:))
                logged = try LoggedRun.start(store: store, loaded: loaded, options: options, commandLine: Run.commandLine(),
                                             logPath: database.db)
            }
        } catch {
            for w in unread { Console.error(w.description) }
            Console.report(error)
            // Not if another process started a run in it meanwhile, or has it open to start one.
            if createdLog { DecisionLogFiles.removeCreatedLog(database.db) }
            throw ExitCode(2)
        }
        let runID = logged.runID
        print("运行编号 run id: \(runID)")
        // Written out now: stdout to a file is block-buffered, and a run killed (kill -9, a second
        // Ctrl-C) lost its id with the buffer (found in review).
        fflush(nil)  // stdout (the global `stdout` is not concurrency-safe in Swift 6)
        // Said before the run, not only in its summary (first-day review: a forgotten --as-of
        // judged a district as of today without a word until the end).
        if !logged.isResume && asOf.asOf == nil {
            Console.error("注意 note: --as-of not given, so judged as of today (\(logged.record.provenance.asOf)) (未指定判定日期, 按今天判定); "
                          + "give --as-of DATE to judge as of another date")
        }
        interrupt.forcedStopNote = "run \(runID) stopped at once (已立即停止); resume with (续跑): huiqi run --resume \(runID) --db \(ShellWord.quoted(database.db))"
        // Before the run, so an interrupted one shows them too: a number written as text in the
        // catalog explains a column of errors; a rule saved as ….lua.txt, a service not evaluated.
        for w in logged.loaded.bundle.unreadFiles + logged.loaded.catalog.warnings { Console.error(w.description) }
        if logged.isResume {
            print("续跑 resuming after row \(logged.options.skipRows) (已提交 \(logged.options.skipRows) 行)")
            fflush(nil)
        }

        let summary: RunSummary
        let showProgress = Console.stderrIsTerminal
        do {
            summary = try logged.execute(interrupt: interrupt, progress: showProgress ? { (n: Int) in Console.progress("已读取 \(n) 行 rows read") } : nil)
            if showProgress { Console.progress(nil) }
        } catch let stop as RunInterrupted {
            if showProgress { Console.progress(nil) }
            Console.error("run \(runID) \(stop.description)")
            if let out = logged.record.provenance.outPath {
                Console.error("\(out) holds only the rows read so far (只含已处理的行, 不完整); the resume rewrites it whole")
            }
            // The rejects file too: read on its own, it looked like the run's whole list.
            if let rejects = logged.record.provenance.rejectsPath, FileManager.default.fileExists(atPath: rejects) {
                Console.error("\(rejects) holds only the rejects of the rows read so far (拒收明细也只含已处理的行, 不完整); the resume rewrites it whole")
            }
            Console.error("resume with (续跑): huiqi run --resume \(runID) --db \(ShellWord.quoted(database.db))")
            throw ExitCode(InterruptSignal.exitStatus(for: stop.signal))
        } catch {
            if showProgress { Console.progress(nil) }
            Console.report(error)
            Console.error("run \(runID) marked interrupted (已标记为中断); after fixing the cause: huiqi run --resume \(runID) --db \(ShellWord.quoted(database.db))")
            throw ExitCode(2)
        }
        let p = logged.record.provenance
        for w in summary.warnings + summary.moduleChangeWarnings() { Console.error(w.description) }
        print("判定日期 as-of \(p.asOf)   规则包 rules \(p.rulesDirectory) (SHA-256 \(summary.rulesSHA256.prefix(12))…)")
        print(summary.table())
        if summary.errorCount > 0 {
            print("规则错误 rule errors, the first of each service (all of them: huiqi log show \(runID) --outcome error --db \(ShellWord.quoted(database.db))):")
            for line in summary.errorLines() { print(line) }
        }
        if summary.rejected > 0, let path = summary.rejectsPath {
            print("拒收明细 rejects: \(Console.csvFiles(CSVWriter.parts(of: path))) (again from the log 从日志导出: huiqi log rejects \(runID) --db \(ShellWord.quoted(database.db)))")
        }
        if let out = p.outPath {
            let shown = logged.isResume ? out : self.out ?? out
            print("决定 decisions: \(out.lowercased().hasSuffix(".csv") ? Console.csvFiles(CSVWriter.parts(of: shown)) : shown)")
        }
        print("决策日志 log: \(database.db) (run \(runID); huiqi log show \(runID) --db \(ShellWord.quoted(database.db)))")
        if let shard = p.shard, shard.count > 1 {
            // The step after the last shard, which the one running this shard may not know of.
            print("分片 shard \(shard): 全部 \(shard.count) 个分片完成后合并为一次运行 (once all \(shard.count) shards are done, merge them): "
                  + "huiqi log merge SHARD1.db\(shard.count > 2 ? " …" : "") SHARD\(shard.count).db --db MERGED.db (本分片日志 this shard's log: \(database.db))")
        }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }

    /// Creates an empty file at `path` if there is none (SQLite makes it a database), and says
    /// whether this call created it.
    static func createExclusively(_ path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }

    /// The command line as typed, quoted where needed, recorded with the run.
    static func commandLine() -> String {
        CommandLine.arguments.map { arg in
            arg.isEmpty || arg.contains(where: { " \t\"'$\\".contains($0) }) ? "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'" : arg
        }.joined(separator: " ")
    }
}

extension Console {
    /// A one-line progress display on a terminal (nil clears it).
    static func progress(_ text: String?) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
    }
}
