import ArgumentParser
import Foundation
import Huiqi

struct Sample: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "生成示例画像 — Generate deterministic, realistic synthetic profiles (for demos, tests and benchmarks).",
        discussion: """
        Columns follow the bundle's schema.yaml (Chinese labels as CSV headers). The same --count and \
        --seed always give the same file. The register is drawn as of 2025-06-01: no firm is \
        established later, so a run --as-of 2025-06-01 or after rejects none for that. --invalid-share adds deliberately bad rows (bad check digit, \
        missing name, bad number or date, unknown value, duplicate code) to exercise the rejects.

        Examples:
          huiqi sample --count 1000000 --seed 7 --out bench/profiles-1m.csv
          huiqi sample --count 500 --seed 1 --invalid-share 0.05 --out demo.jsonl
        """
    )

    @Option(help: ArgumentHelp("Number of rows.", valueName: "N"))
    var count: Int

    @Option(help: ArgumentHelp("Random seed.", valueName: "S"))
    var seed: UInt64 = 1

    @Option(help: ArgumentHelp("Output file: .csv or .jsonl.", valueName: "FILE"))
    var out: String

    @Option(help: ArgumentHelp("Share of deliberately invalid rows, 0 to 1.", valueName: "X"))
    var invalidShare: Double = 0

    @Option(name: .long, help: ArgumentHelp("The rules bundle whose schema.yaml defines the columns.", valueName: "DIR"))
    var rules: String = "Rules"

    func validate() throws {
        guard count >= 0 else { throw ValidationError("--count must be 0 or more (应为 0 或正整数)") }
        guard (0...1).contains(invalidShare) else { throw ValidationError("--invalid-share must be between 0 and 1 (应在 0 到 1 之间)") }
        guard isCSV || out.lowercased().hasSuffix(".jsonl") else { throw ValidationError("--out must end in .csv or .jsonl (输出文件名应以 .csv 或 .jsonl 结尾)") }
    }

    /// By the extension in any case (`X.CSV`), as `run` and `log export` read it.
    private var isCSV: Bool { out.lowercased().hasSuffix(".csv") }

    func run() throws {
        do {
            let schema = try Schema.load(from: URL(fileURLWithPath: rules).appendingPathComponent("schema.yaml"))
            let url = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let generator = SampleGenerator(schema: schema, seed: seed, invalidShare: invalidShare)
            // The file is written under a temporary name and renamed when complete: Ctrl-C or a
            // full disk leaves no sample cut short (a later run would read it as a smaller one).
            let interrupt = InterruptSignal()
            defer { interrupt.restore() }
            do {
                if isCSV {
                    try generator.writeCSV(count: count, to: url) { interrupt.signal != nil }
                } else {
                    try generator.writeJSONLines(count: count, to: url) { interrupt.signal != nil }
                }
            } catch is SampleGenerator.Stopped {
                Console.error("interrupted (已中断): nothing was written to \(out) (未写出; a file already there is as it was)")
                throw ExitCode(InterruptSignal.exitStatus(for: interrupt.signal ?? SIGINT))
            }
            print("\(count) 条画像 profiles → \(out)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }
}
