import ArgumentParser
import Huiqi

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the schema, catalog and every rule, without profiles.",
        discussion: """
        Errors (`huiqi run` refuses rules with any of the first seven): syntax errors with \
        file:line, duplicate rule ids, unknown services and subject types, overlapping \
        rules, unknown profile fields and params read (also p["x"], has(p, "x"), a Chinese \
        label in place of the name), unknown globals and ctx keys read (a function that \
        uses ctx without taking it, a misspelt helper, a module used without require), \
        comparisons wrong for every business (a date against \
        "2025/3/1", a number against a text or boolean field), an unknown key in a rule's \
        `effective` or a catalog key meant as `window`/`params`, malformed test cases.

        Warnings: services no rule serves, days of a service's window no rule covers, rules \
        effective only outside their window, rules with no test case in their own period, \
        catalog params no rule reads or written with a unit (70%, 5万: write 0.7, 50000), \
        an order on an enum value or a partial date, `print` left in a rule, two conditions \
        of a rule with the same label, other unknown catalog keys.

        Exit 0 when clean (warnings allowed), 1 when there are errors.

        Example:
          huiqi check --rules Rules
        """
    )

    @OptionGroup var bundle: BundleOptions
    @OptionGroup var asOf: AsOfOption

    func run() throws {
        let report = BundleChecker.check(directory: bundle.rules, asOf: asOf.resolved, limits: bundle.limits)
        for d in report.diagnostics { Console.error(d.description) }
        let errors = report.errors.count, warnings = report.warnings.count
        print("\(bundle.rules): \(report.ruleCount) rules, \(report.serviceCount) services, \(report.testFileCount) test files — \(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings")")
        if errors > 0 { throw ExitCode(1) }
    }
}
