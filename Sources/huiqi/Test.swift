import ArgumentParser
import Huiqi
import HuiqiLua

struct Test: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "运行规则测试 — Run the rule tests (*_test.lua) of the bundle.",
        discussion: """
        A failing case shows the expected and actual outcome and each condition's result with the \
        fields it read. The problems that make `huiqi run` refuse the bundle (see `huiqi check`) \
        fail the tests too, and so does a test file that does not load. Exit 0 when all pass, \
        1 otherwise (also when no case ran, e.g. a --filter that matches nothing).

        Examples:
          huiqi test
          huiqi test --filter RENT-01
        """
    )

    @OptionGroup var bundle: BundleOptions

    @Option(help: ArgumentHelp("Only cases whose file path, name, service id or service name contains TEXT (ignoring case).", valueName: "TEXT"))
    var filter: String?

    @Flag(name: .shortAndLong, help: "List every case, not only failures.")
    var verbose = false

    func run() throws {
        let loaded: LoadedBundle
        let results: [RuleTestRunner.CaseResult]
        do {
            loaded = try LoadedBundle.load(directory: bundle.rules)
            results = try RuleTestRunner(loaded: loaded, limits: bundle.limits).run(filter: filter)
        } catch {
            Console.report(error)
            throw ExitCode(1)
        }
        // A catalog warning (a number written as text), or a rule file not read (`….lua.txt`), is
        // often what a failing case comes down to.
        for w in loaded.bundle.unreadFiles + loaded.catalog.warnings { Console.error(w.description) }
        for r in results where verbose || !r.passed {
            print("\(r.passed ? "PASS" : "FAIL") \(r.file)\(r.line.map { ":\($0)" } ?? "") — \(r.name)\(r.asOf.isEmpty ? "" : " (as_of \(r.asOf))")")
            // With -v, what rules printed shows for passing cases too (analyst review: `print`
            // debugging showed nowhere unless the case failed).
            guard !r.passed else {
                for line in r.printed { print("    print: \(line)") }
                continue
            }
            for f in r.failures { print("    ✗ \(f)") }
            for d in r.decisions {
                // The amount as explain and the log show it (review: `\($0)` printed 80000.0).
                print("    [\(d.serviceID)] actual: \(d.outcome.rawValue)\(d.amount.map { ", amount \(DecisionFileWriter.money($0))" } ?? "") — \(d.reasons.joined(separator: "; "))")
                for (k, c) in d.conditions.enumerated() {
                    let reads = (c.fieldsRead ?? []).joined(separator: ", ")
                    let state = d.conditionResultName(k)
                    print("        \(state.padding(toLength: 8, withPad: " ", startingAt: 0)) \(c.label)\(reads.isEmpty ? "" : "   [reads \(reads)]")\(c.missingField.map { "   [missing \($0)]" } ?? "")\(c.note.map { "   [\($0)]" } ?? "")")
                }
                if let e = d.errorMessage { print("        error: \(e)") }
                // Where in the rule, as explain shows it: an error raised in a library function
                // (`math.min(x, "5万")`, `string.rep`) has no line of its own (analyst review).
                for line in d.traceback.map(LuaError.readableTraceback) ?? [] { print("        " + line) }
            }
            for line in r.printed { print("    print: \(line)") }
        }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed) passed, \(failed) failed (通过 \(results.count - failed), 失败 \(failed))")
        // Nothing ran is not a pass: a misspelt --filter in a script would otherwise pass silently.
        if results.isEmpty {
            Console.error(filter == nil ? "no test cases in \(bundle.rules) (没有测试用例)" : "no test case matches '\(filter ?? "")' (没有匹配的测试用例)")
            throw ExitCode(1)
        }
        if failed > 0 { throw ExitCode(1) }
    }
}
