import ArgumentParser
import Foundation
import Huiqi

@main
struct HuiqiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huiqi",
        abstract: "惠企 huiqi — match businesses with government services using Lua eligibility rules.",
        discussion: """
        Analysts write rules in Lua under Rules/; operators run them over business \
        profiles; every decision comes with its reasons.

        Examples:
          huiqi check                        validate the bundle in ./Rules
          huiqi test --filter RENT           rule tests mentioning RENT
          huiqi run Samples/profiles.csv --out out/decisions.csv
          huiqi log show 1 --outcome eligible
          huiqi explain 91440306790N9U6MXA --run 1
          huiqi review 1000000001000 --confirm --by 张三
          huiqi lists 1 --out out/lists      一企一单, one HTML per street
          huiqi sample --count 1000 --out demo.csv
        """,
        version: HuiqiVersion.current,
        subcommands: [Check.self, Test.self, Run.self, Explain.self, Log.self, ReviewCommand.self, Lists.self, Sample.self]
    )

    /// As ArgumentParser's, except that a usage error (an unknown option, a missing argument, a
    /// bad value) exits 2, the code PRODUCT.md §6 gives a run that could not start, rather than
    /// EX_USAGE (64): scripts check for 0, 1 and 2.
    static func main() {
        // A write past a file-size limit (`ulimit -f`, common under batch schedulers) then fails
        // with EFBIG and is reported with its file, instead of the kernel killing the process
        // (SIGXFSZ) with the log's last chunk half written.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((UsageErrorChinese.adding(to: fullMessage(for: error)) + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
