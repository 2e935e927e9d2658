import ArgumentParser
import Huiqi

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the schema, catalog and every rule, without profiles.",
        discussion: """
        Reports syntax errors with file:line, duplicate rule ids, unknown services, unknown profile
        fields and params read, malformed tests; warns about services no rule serves and
        catalog params written as a number with a unit (70%, 5万, 100人: write 0.7, 50000, 100).
        Exit 0 when clean (warnings allowed), 1 when there are problems.

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
