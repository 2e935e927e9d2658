import ArgumentParser
import Foundation
import Huiqi

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Match every business in the profile files against every active service.",
        discussion: """
        Reads CSV (UTF-8, UTF-8 with BOM, GB18030/GBK) or JSON Lines files with Chinese or English
        headers. Rows that fail validation go to a rejects CSV next to the output, with line, field
        and reason; read = evaluated + rejected always holds.
        Exit 0 clean; 1 finished with rejected rows or rule errors; 2 could not start.

        Examples:
          huiqi run Samples/profiles.csv --out out/decisions.csv
          huiqi run a.csv b.jsonl --as-of 2025-06-01 --out out/decisions.jsonl --jobs 2
        """
    )

    @Argument(help: ArgumentHelp("Profile files (.csv, .jsonl).", valueName: "PROFILES"))
    var profiles: [String]

    @OptionGroup var bundle: BundleOptions
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Write decisions to FILE (.jsonl or .csv).", valueName: "FILE"))
    var out: String?

    @Option(help: ArgumentHelp("Rejects CSV (default: next to --out, as NAME.rejects.csv).", valueName: "FILE"))
    var rejects: String?

    @Option(help: ArgumentHelp("Worker threads, each with its own Lua state (default: number of cores).", valueName: "N"))
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: ArgumentHelp("Input encoding: auto, utf-8, gb18030, gbk.", valueName: "E"))
    var encoding: String = "auto"

    @Flag(help: "Ignore columns the schema does not know (with a warning) instead of refusing the file.")
    var allowExtra = false

    func validate() throws {
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        guard InputEncoding(name: encoding) != nil else { throw ValidationError("--encoding must be auto, utf-8, gb18030 or gbk") }
        if let out, !(out.hasSuffix(".jsonl") || out.hasSuffix(".csv") || out.hasSuffix(".ndjson")) {
            throw ValidationError("--out must end in .jsonl or .csv")
        }
    }

    func run() throws {
        let summary: RunSummary
        do {
            let loaded = try LoadedBundle.load(directory: bundle.rules)
            if let out { try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(), withIntermediateDirectories: true) }
            let options = BatchRun.Options(inputs: profiles, asOf: asOf.resolved, outPath: out, rejectsPath: rejects,
                                           encoding: InputEncoding(name: encoding) ?? .auto, allowExtra: allowExtra,
                                           limits: bundle.limits, jobs: jobs)
            let batch = BatchRun(loaded: loaded, options: options)
            let showProgress = Console.stderrIsTerminal
            summary = try batch.run(progress: showProgress ? { (n: Int) in Console.progress("已读取 \(n) 行 rows read") } : nil)
            if showProgress { Console.progress(nil) }
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
        for w in summary.warnings { Console.error(w.description) }
        print("as-of \(asOf.resolved)   rules \(bundle.rules) (SHA-256 \(summary.rulesSHA256.prefix(12))…)")
        print(summary.table())
        if summary.rejected > 0, let path = summary.rejectsPath { print("拒收明细 rejects: \(path)") }
        if let out { print("决定 decisions: \(out)") }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

extension Console {
    /// A one-line progress display on a terminal (nil clears it).
    static func progress(_ text: String?) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + (text ?? "")).utf8))
    }
}
