import ArgumentParser
import Foundation
import Huiqi

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "检查规则包 — Validate the schema, catalog and every rule, without profiles.",
        discussion: """
        Errors (`huiqi run` refuses rules with any of the first eight): syntax errors with \
        file:line, duplicate rule ids, unknown services and subject types, overlapping \
        rules, unknown profile fields and params read (also p["x"], has(p, "x"), a Chinese \
        label in place of the name), unknown globals and ctx keys read (a function that \
        uses ctx without taking it, a misspelt helper, a module used without require), \
        globals assigned (a forgotten local), comparisons wrong for every business (a date against \
        "2025/3/1", a number against a text or boolean field, a list field against a value, \
        scale_of(p) against "小型"), names a lib module does not \
        hold, called or indexed (baoan.is_small_or_micro(p) after a rename), an unknown key or a date not written \
        YYYY-MM-DD in a rule's `effective`, a catalog key meant as `window`/`params`, a \
        service id listed twice, catalog dates not written YYYY-MM-DD, malformed test cases \
        and test profiles `huiqi test` would refuse (a misspelt field, a value of the wrong \
        type, a firm founded after the case's as_of), with the line of the case's name.

        Warnings: Lua files not read (….lua.txt, ….LUA), services no rule serves, days of a \
        service's window no rule covers, rules \
        effective only outside their window, rules with no test case in their own period \
        within their service's window, catalog params no rule reads or written with a unit \
        (70%, 5万: write 0.7, 50000), a dated param whose values are of different kinds or \
        that has a value dated after its service's window closes, \
        a name a lib module does not hold read plainly (nil), an order on an enum value or a \
        partial date, `print` left in a rule, two conditions \
        of a rule with the same label, a label holding ';' or '；' (they separate reasons), other unknown \
        catalog keys.

        check reads the rules without running them on businesses: a condition \
        that loops, or fails for every business (a function returned uncalled), shows \
        in `huiqi test`, which runs the test cases.

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
        // "0 rules, 0 services" read as an empty bundle when the catalog had one typo (yearly-update review).
        // A missing directory is not a schema or catalog error (fresh-eyes review: it said so).
        var isDirectory: ObjCBool = false
        let found = FileManager.default.fileExists(atPath: bundle.rules, isDirectory: &isDirectory) && isDirectory.boolValue
        // Lua files that could not be read (not UTF-8) stop the bundle too: not the schema's fault.
        let unreadableLua = report.diagnostics.contains { $0.file?.hasSuffix(".lua") == true }
        let counts = report.bundleLoaded
            ? "\(report.ruleCount) rules, \(report.serviceCount) services, \(report.testFileCount) test files"
            : !found ? "no rules directory here, nothing checked (规则目录不存在, 未检查)"
            : unreadableLua ? "Lua files not readable, nothing checked yet (规则文件无法读取, 尚未检查)"
            : "schema or catalog not loaded, rules and tests not checked yet (字段表或目录有错误, 规则和用例尚未检查)"
        let chinese = (report.bundleLoaded ? "规则 \(report.ruleCount) 条, 服务 \(report.serviceCount) 项, 测试文件 \(report.testFileCount) 个; " : "")
            + "错误 \(errors) 个, 警告 \(warnings) 个"
        print("\(bundle.rules): \(counts) — \(errors) \(errors == 1 ? "error" : "errors"), \(warnings) \(warnings == 1 ? "warning" : "warnings") (\(chinese))")
        if errors > 0 { throw ExitCode(1) }
        // An analyst who ran check alone took a rule that fails on every business for a good one
        // (first-day review): what comes next.
        if report.bundleLoaded {
            print("next: `huiqi test` runs the rules on the test cases; check does not run them (检查不运行规则: 请再运行 huiqi test)")
        }
    }
}
