import ArgumentParser
import Foundation
import Huiqi

/// `huiqi log`: list runs, show and export a run's decisions, export its rejects, and compare two
/// runs, from the decision log.
struct Log: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "查询决策日志 — Query the decision log: runs, decisions, exports, rejected rows, changes between runs; merge shard runs.",
        discussion: """
        Examples:
          huiqi log runs
          huiqi log show 3 --service FIN-01 --outcome eligible --street 新安街道
          huiqi log export 3 --out out/run3.csv
          huiqi log rejects 3 --out out/run3-rejects.csv
          huiqi log diff 3 4
          huiqi log merge shard1.db shard2.db shard3.db --db huiqi.db
        """,
        subcommands: [Runs.self, Show.self, Export.self, Rejects.self, Diff.self, Merge.self]
    )

    struct Runs: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "运行列表 — List the runs in the log with their status, as-of date, counts, rules hash and inputs; or one run in full.",
            discussion: """
            A run still marked running whose process is gone (killed with kill -9) is \
            shown as interrupted; complete it with `huiqi run --resume RUN`. A run during which \
            rule code changed a module's tables gets a line under the table.

            With a RUN, everything that run recorded when it started: the command, \
            directory and process; the program's version; the rules bundle, catalog version \
            and schema with their SHA-256; the settings; each input with its size and SHA-256; \
            and each service with the rules and conditions that judged it.

            Examples:
              huiqi log runs --db logs/huiqi.db
              huiqi log runs 3 --db logs/huiqi.db
            """
        )

        @Argument(help: ArgumentHelp("Show this run in full.", valueName: "RUN"))
        var runID: Int64?

        @OptionGroup var database: DatabaseOption

        func run() throws {
            do {
                let store = try database.openForReading()
                if let runID {
                    let record = try store.requireRun(runID)
                    let here = FileManager.default.currentDirectoryPath == record.provenance.workingDirectory
                    print(LogListing.runCard(record, moduleChanges: try store.moduleChanges(run: runID).count, log: database.db,
                                             ruleDates: LogListing.ruleDates(of: record, here: here)))
                    return
                }
                let runs = try store.runs()
                if runs.isEmpty {
                    print("no runs yet in \(database.db) (日志中还没有运行)")
                } else {
                    print(LogListing.runsTable(runs))
                    for run in runs {
                        let changes = try store.moduleChanges(run: run.id)
                        guard let first = changes.first else { continue }
                        print("run \(run.id): rule code changed a module's tables in \(changes.count) chunk(s) of rows, the first at rows "
                              + "\(first.rows.lowerBound)–\(first.rows.upperBound): \(first.change); those rows' decisions may differ "
                              + "with another --jobs (规则修改了模块中的表)")
                    }
                }
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
        }
    }

    /// Filters `show` and `export` share.
    struct Filters: ParsableArguments {
        @Option(help: ArgumentHelp("Only this service.", valueName: "ID"))
        var service: String?

        @Option(help: ArgumentHelp("Only this outcome: eligible, ineligible, undetermined, error (or 符合, 不符合, 待定, 错误).",
                                   valueName: "O"))
        var outcome: String?

        @Option(help: ArgumentHelp("Only businesses of this street (新安街道, or 新安).", valueName: "S"))
        var street: String?

        @Option(help: ArgumentHelp("Only this business: its 统一社会信用代码, or (part of) its name 企业名称 when one business of the run has it.",
                                   valueName: "CODE|NAME"))
        var firm: String?

        @Flag(help: "Only decisions no review applies to (none in this run, none from an earlier run's decision of the same rule with the same outcome, and amount for a confirmation).")
        var unreviewed = false

        func validate() throws {
            if let street, StreetName.key(street).isEmpty {
                throw ValidationError("--street is blank: give a street (新安 or 新安街道) (街道为空: 请写街道名, 如 新安 或 新安街道)")
            }
            if let outcome, Outcome(userText: outcome) == nil {
                throw ValidationError("--outcome must be eligible, ineligible, undetermined or error (符合, 不符合, 待定, 错误), got '\(outcome)'")
            }
        }

        /// These filters with `--firm NAME` replaced by the credit code of the one business of `run`
        /// so named (`FirmByName`); exits 1, naming the businesses found, when not exactly one.
        /// `subcommand`: the command's words (`["log", "show"]`), for the example command.
        func resolvingFirm(store: DecisionStore, run: RunRecord, subcommand: [String]) throws -> Filters {
            guard let name = FirmByName.name(firm) else { return self }
            var resolved = self
            resolved.firm = try FirmByName.code(named: name, store: store, run: run) { code in
                FirmByName.commandLine(subcommand, code: code, codeFirst: false)
            }
            return resolved
        }

        /// A `--street` the run has no business of (a typo) shows and writes nothing: it says so with
        /// the run's streets and exits 1, as `lists` does (first-day review: `log export` wrote an
        /// empty file and exited 0).
        /// Asked only when nothing matched: the run's streets are a scan of its businesses (0.45 s
        /// at 1M rows), not to be paid by every `--street` that matches (code review).
        func refuseUnknownStreet(store: DecisionStore, run: Int64) throws {
            if try streetIsUnknown(store: store, run: run) { try stopForUnknownStreet(store: store, run: run) }
        }

        /// Says that `--street` is no street of run `run`, with the run's streets, and exits 1.
        func stopForUnknownStreet(store: DecisionStore, run: Int64) throws -> Never {
            Console.error("no street '\(street ?? "")' in run \(run): nothing shown or written (运行中没有这个街道)")
            Console.error(try Console.streetsNote(store, run: run))
            throw ExitCode(1)
        }

        /// Whether `--street` names no street of run `run`.
        func streetIsUnknown(store: DecisionStore, run: Int64) throws -> Bool {
            guard let street else { return false }
            return try !store.streets(run: run).contains(StreetName.key(street))
        }

        func filter(limit: Int?) -> DecisionFilter {
            DecisionFilter(serviceID: service, outcome: outcome.flatMap(Outcome.init(userText:)), street: street,
                           creditCode: firm.map(CreditCode.fromArgument),
                           unreviewed: unreviewed, limit: limit)
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "查看决定 — Show a run's decisions: id, business, service, outcome, amount, reasons, review.",
            discussion: """
            The decision id (决定编号) is what `huiqi review` takes. A review made in \
            an earlier run of the same business × service is shown with its run number.

            Examples:
              huiqi log show 3 --outcome 符合 --street 新安
              huiqi log show 3 --firm 91440306790N9U6MXA
              huiqi log show 3 --firm 佳佳投资
              huiqi log show 3 --service FIN-01 --unreviewed --format csv > fin01.csv
            """
        )

        @Argument(help: ArgumentHelp("The run id (see `huiqi log runs`).", valueName: "RUN"))
        var runID: Int64

        @OptionGroup var filters: Filters
        @OptionGroup var listing: ListingOptions
        @OptionGroup var database: DatabaseOption

        func run() throws {
            do {
                let store = try database.openForReading()
                let record = try store.requireRun(runID)
                let filters = try self.filters.resolvingFirm(store: store, run: record, subcommand: ["log", "show"])
                let cap = listing.cap
                let format = listing.format
                if format == "table" {
                    // In pages, whatever --limit asks for; one more than the cap is read, to tell
                    // whether there are more.
                    var table = PagedTable<LoggedDecision> { LogListing.decisionsTable($0) }
                    var more = false
                    try store.forEachDecision(run: runID, filter: filters.filter(limit: cap.map { $0 < Int.max ? $0 + 1 : $0 })) { d in
                        if let cap, table.count == cap {
                            more = true
                            return
                        }
                        if table.count == 0 {
                            print("运行 run \(runID) (\(record.status.label))   判定日期 as-of \(record.provenance.asOf)   规则 SHA-256 \(record.provenance.rulesSHA256.prefix(12))…")
                        }
                        table.add(d)
                    }
                    table.flush()
                    if table.count == 0 { try filters.refuseUnknownStreet(store: store, run: runID) }
                    if table.count == 0 {
                        print("no decisions match in run \(runID) (没有符合条件的决定)"
                              + (filters.firm.map { CreditCodeArgument.problemNote(CreditCode.fromArgument($0)) } ?? ""))
                        // A firm the run rejected, or never had, read like one other filters left
                        // out (reviewer review): say which, as explain does.
                        if let firm = filters.firm, let note = try Console.firmNote(store, run: runID, firm: firm) { print(note) }
                    } else if more {
                        // Counted after the page is out: at a million businesses it takes a second.
                        let rest = try store.countDecisions(run: runID, filter: filters.filter(limit: nil)) - table.count
                        print("… \(rest) more \(rest == 1 ? "decision matches" : "decisions match"): use --limit 0 for all, "
                              + "or --format csv / `huiqi log export` (另有 \(rest) 条未显示)")
                    }
                } else {
                    // Redirected to a file (`> fin01.csv`) the CSV must open in Excel: a BOM, as
                    // `log export` writes. None on a terminal or into a pipe, where a program reads
                    // it and the BOM would stick to the first column's name.
                    let exporter = try LogExporter(handle: FileHandle.standardOutput, format: format == "csv" ? .csv : .jsonl, run: record,
                                                   bom: Console.stdoutIsRegularFile)
                    try store.export(run: runID, filter: filters.filter(limit: cap), to: exporter) {}
                    try exporter.close()
                    if exporter.count == 0 { try filters.refuseUnknownStreet(store: store, run: runID) }
                    if format == "csv" { Console.warnIfBeyondExcel(rows: exporter.csvRows, instead: "huiqi log export \(runID) --out FILE.csv") }
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
        }
    }

    private struct ExportInterrupted: Error {
        var signal: Int32
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导出决定 — Export a run's decisions to CSV (Excel: UTF-8 with BOM, Chinese headers) or JSON Lines.",
            discussion: """
            The format follows the file name: .csv or .jsonl. The same filters as \
            `log show` apply.

            Examples:
              huiqi log export 3 --out out/run3.csv
              huiqi log export 3 --outcome 符合 --street 新安 --out out/xinan.csv
              huiqi log export 3 --out out/run3.jsonl
            """
        )

        @Argument(help: ArgumentHelp("The run id (see `huiqi log runs`).", valueName: "RUN"))
        var runID: Int64

        @Option(help: ArgumentHelp("The file to write (.csv or .jsonl).", valueName: "FILE"))
        var out: String

        @OptionGroup var filters: Filters
        @OptionGroup var database: DatabaseOption

        func validate() throws {
            guard LogExporter.Format(path: out) != nil else { throw ValidationError("--out must end in .csv or .jsonl (输出文件名应以 .csv 或 .jsonl 结尾)") }
        }

        func run() throws {
            do {
                let store = try database.openForReading()
                let record = try store.requireRun(runID)
                let filters = try self.filters.resolvingFirm(store: store, run: record, subcommand: ["log", "export"])
                try OutputPaths.check(out: out, exporting: record, log: database.db)
                try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(),
                                                        withIntermediateDirectories: true)
                // Stopped (Ctrl-C) or failing (a full disk), an export left a file cut short under
                // the name asked for (crash-safety review), then removed it with the earlier export
                // (reviewer review): it writes a temporary file and puts it in place when complete.
                // Signals are caught first, so one cannot leave the temporary file behind.
                let interrupt = InterruptSignal()
                defer { interrupt.restore() }
                let exporter = try LogExporter(path: out, run: record)
                var unknownStreet = false
                do {
                    try store.export(run: runID, filter: filters.filter(limit: nil), to: exporter) {
                        if let signal = interrupt.signal { throw ExportInterrupted(signal: signal) }
                    }
                    // A signal after the last match (a filter that matches little) stops it too.
                    if let signal = interrupt.signal { throw ExportInterrupted(signal: signal) }
                    // A street the run does not have writes no file (see `refuseUnknownStreet`).
                    unknownStreet = exporter.count == 0 ? try filters.streetIsUnknown(store: store, run: runID) : false
                    if unknownStreet { exporter.discard() } else { try exporter.close() }
                } catch {
                    exporter.discard()
                    throw Console.outputStopped(error, signal: interrupt.signal, left: exporter.afterDiscard, what: "the export stopped (导出失败)")
                }
                if unknownStreet { try filters.stopForUnknownStreet(store: store, run: runID) }
                var note = ""
                if record.status != .completed { note = " — run \(runID) is \(record.status.rawValue) (\(record.status.label)): only committed rows" }
                print("\(exporter.count) 条决定 decisions → \(Console.csvFiles(exporter.paths))\(note)")
                if exporter.count == 0, let firm = filters.firm, let note = try Console.firmNote(store, run: runID, firm: firm) {
                    Console.error(note)
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
        }
    }

    struct Rejects: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "导出拒收明细 — Export a run's rejected rows as the run's rejects file has them.",
            discussion: """
            Every row the run rejected, in input order: file, line, 统一社会信用代码, \
            field, reason and the raw row, in the rejects file's CSV (Chinese headers; \
            UTF-8 with BOM in a file, so Excel opens it). Without --out the CSV goes to \
            standard output (with the BOM only when redirected to a file). A run that \
            did not complete gives the rows it committed; after `huiqi run --resume`, \
            all of them.

            Examples:
              huiqi log rejects 3
              huiqi log rejects 3 --out out/run3-rejects.csv
              huiqi log rejects 3 --db logs/huiqi.db > rejects.csv
            """
        )

        @Argument(help: ArgumentHelp("The run id (see `huiqi log runs`).", valueName: "RUN"))
        var runID: Int64

        @Option(help: ArgumentHelp("The file to write (.csv); default: standard output.", valueName: "FILE"))
        var out: String?

        @OptionGroup var database: DatabaseOption

        func validate() throws {
            if let out, !out.lowercased().hasSuffix(".csv") { throw ValidationError("--out must end in .csv (输出文件名应以 .csv 结尾)") }
        }

        func run() throws {
            do {
                let store = try database.openForReading()
                let record = try store.requireRun(runID)
                var note = ""
                if record.status != .completed { note = "run \(runID) is \(record.status.rawValue) (\(record.status.label)): only committed rows" }
                let writer: RejectsWriter
                let interrupt = out == nil ? nil : InterruptSignal()
                defer { interrupt?.restore() }
                if let out {
                    try OutputPaths.check(out: out, exporting: record, log: database.db)
                    try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                    writer = try RejectsWriter(url: URL(fileURLWithPath: out), staged: true)
                } else {
                    // As `log show --format csv`: a BOM when redirected to a file (Excel), none on a
                    // terminal or into a pipe.
                    writer = try RejectsWriter(handle: FileHandle.standardOutput, bom: Console.stdoutIsRegularFile)
                }
                do {
                    try store.forEachReject(run: runID) {
                        if let signal = interrupt?.signal { throw ExportInterrupted(signal: signal) }
                        try writer.write($0.reject)
                    }
                    if let signal = interrupt?.signal { throw ExportInterrupted(signal: signal) }
                    try writer.close()
                } catch {
                    guard out != nil else { throw error }
                    writer.discard()
                    throw Console.outputStopped(error, signal: interrupt?.signal, left: writer.afterDiscard, what: "the export stopped (导出失败)")
                }
                if out != nil {
                    print("\(writer.count) 行拒收 rejects → \(Console.csvFiles(writer.paths))\(note.isEmpty ? "" : " — " + note)")
                } else {
                    if !note.isEmpty { Console.error(note) }
                    Console.warnIfBeyondExcel(rows: writer.rows, instead: "huiqi log rejects \(runID) --out FILE.csv")
                    if writer.count == 0 { Console.error("no rejected rows in run \(runID) (运行 \(runID) 没有拒收行)") }
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
        }
    }
}
