import Foundation
import HuiqiLua

/// Runs the bundle's `*_test.lua` cases (PRODUCT.md §5 "Rule tests").
///
/// A test file returns a list of cases:
///
///     { name = "个体户租用国有物业", as_of = "2025-06-01",
///       profile = { credit_code = "…", subject_type = "individual", state_owned_premises = true },
///       expect = { ["RENT-02"] = "eligible",
///                  ["FIN-01"] = { outcome = "ineligible", reasons = { "租用国有物业" } } } }
///
/// Each case's profile goes through the same evaluation as a batch run (one runtime per as-of date).
public final class RuleTestRunner {
    /// The result of one case.
    public struct CaseResult: Sendable {
        public var file: String
        /// The line of the case's `name` in its file, when the source spells it plainly.
        public var line: Int?
        public var name: String
        public var asOf: String
        public var failures: [String]
        /// Every decision of the case's expected services, for showing what happened.
        public var decisions: [Decision]
        public var printed: [String]
        public var passed: Bool { failures.isEmpty }
    }

    public let loaded: LoadedBundle
    public let limits: LuaLimits
    private var runtimes: [String: RuleRuntime] = [:]

    public init(loaded: LoadedBundle, limits: LuaLimits = LuaLimits()) {
        self.loaded = loaded
        self.limits = limits
    }

    /// Runs every case whose file path, name, expected service ids or their names contain `filter`
    /// (all when nil; ignoring case).
    /// Throws only when the rules themselves do not load.
    public func run(filter: String? = nil) throws -> [CaseResult] {
        var results: [CaseResult] = []
        let loader = try runtime(for: "2000-01-01")
        // The problems that make `run` refuse the bundle fail `test` too: before, `test` passed
        // (exit 0) with an unknown param or two overlapping rules that `check` and `run` refused
        // (analyst review). A rule for a service the catalog lacks is one of them.
        let rules = loader.rules
        for problem in BundleChecker.problemsThatStopARun(loader, loaded: loaded)
        where filter.map({ problemMatches(problem, rules: rules, filter: $0) }) ?? true {
            results.append(CaseResult(file: problem.file ?? "", line: problem.line, name: "(rule)", asOf: "", failures: [problem.description],
                                      decisions: [], printed: []))
        }
        for file in loaded.bundle.testFiles {
            // A test file's top level is code too: what it changes in a module is its own problem,
            // even when it then fails to load.
            func checkModules() {
                if let change = loader.moduleChanges() {
                    results.append(CaseResult(file: file.displayPath, line: nil, name: "(file)", asOf: "",
                                              failures: ["changes the module table \(change) when it loads (undone). " + RuleRuntime.moduleChangeAdvice],
                                              decisions: [], printed: []))
                }
            }
            let value: LuaValue
            do {
                value = try loader.loadTestFile(file)
            } catch {
                // Its cases are unknown: matched by its text (the service ids its cases expect),
                // not only its path (analyst review: `--filter RENT-03` hid a syntax error in
                // rent03_…_test.lua and reported "no test case matches").
                if filter.map({ textMatches(file.source, filter: $0) || RuleTestRunner.contains(file.displayPath, $0) }) ?? true {
                    results.append(CaseResult(file: file.displayPath, line: nil, name: "(file)", asOf: "", failures: [String(describing: error)],
                                              decisions: [], printed: []))
                }
                checkModules()
                continue
            }
            checkModules()
            guard case .array(let cases) = value else {
                results.append(CaseResult(file: file.displayPath, line: nil, name: "(file)", asOf: "",
                                          failures: [RuleTestRunner.singleCase(value)
                                                     ?? "a test file must return a list of cases { name = …, as_of = …, profile = {…}, expect = {…} }"],
                                          decisions: [], printed: []))
                continue
            }
            let lines = RuleTestRunner.caseLines(in: file.source, names: cases.map { $0["name"].stringValue })
            for (i, testCase) in cases.enumerated() {
                let name = testCase["name"].stringValue ?? "case \(i + 1)"
                if let filter, !matches(testCase, name: name, file: file, filter: filter) { continue }
                var result = runCase(testCase, name: name, file: file.displayPath)
                result.line = lines[i]
                results.append(result)
            }
        }
        return results
    }

    private func matches(_ testCase: LuaValue, name: String, file: RuleBundle.SourceFile, filter: String) -> Bool {
        if RuleTestRunner.contains(file.displayPath, filter) || RuleTestRunner.contains(name, filter) { return true }
        // A case whose expect names no service of the catalog (misspelt `expected`, 'GRO-5') goes
        // with its file, as a file that does not load does: else `--filter GRO-05` left it out and
        // passed (analyst review).
        guard case .map(let expect) = testCase["expect"], expect.keys.contains(where: { loaded.catalog.service(id: $0) != nil }) else {
            return textMatches(file.source, filter: filter)
        }
        return expect.keys.contains { id in serviceMatches(id, filter: filter) }
    }

    /// A service id (as rules and test cases spell it) or its catalog name contains `filter`.
    private func serviceMatches(_ id: String, filter: String) -> Bool {
        RuleTestRunner.contains(id, filter) || (loaded.catalog.service(id: id).map { RuleTestRunner.contains($0.name, filter) } ?? false)
    }

    /// A problem with the rules matches by its text, its file, or a service a rule of that file
    /// serves; one in a `lib/` module matches every filter (any rule may use it; review: a lib
    /// error that stops a run passed `test --filter RENT-02`).
    private func problemMatches(_ problem: Diagnostic, rules: [RuleDescriptor], filter: String) -> Bool {
        if RuleTestRunner.contains(problem.description, filter) { return true }
        if let file = problem.file, loaded.bundle.libraries.values.contains(where: { $0.displayPath == file }) { return true }
        return rules.contains { $0.file == problem.file && serviceMatches($0.serviceID, filter: filter) }
    }

    /// A test file's text names `filter`, or a service whose name contains it.
    private func textMatches(_ source: String, filter: String) -> Bool {
        RuleTestRunner.contains(source, filter)
            || loaded.catalog.services.contains { RuleTestRunner.contains($0.name, filter) && source.contains($0.id) }
    }

    /// The problem with a test file's value when it is one case, not a list of them: a file of one
    /// case often returns the case itself (analyst review: told only "must return a list").
    static func singleCase(_ value: LuaValue) -> String? {
        guard case .map(let keys) = value, ["expect", "as_of", "profile"].contains(where: { keys[$0] != nil }) else { return nil }
        return "a test file must return a list of cases, and this one returns a single case: put it in a list, "
            + "return { { name = …, as_of = …, profile = {…}, expect = {…} } } (用例外面还要一层 { })"
    }

    /// Case-insensitive: `--filter rent-03` finds RENT-03, as `log show --service` does.
    static func contains(_ text: String, _ filter: String) -> Bool {
        text.range(of: filter, options: [.caseInsensitive]) != nil
    }

    /// The line of each case's `name = "…"` in a test file's source, in order (nil where a case
    /// has no name or the source spells it otherwise): failures said only the file and the name,
    /// and an analyst searched a file of twenty cases for it (yearly-update review).
    static func caseLines(in source: String, names: [String?]) -> [Int?] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false)
        var next = 0
        return names.map { name in
            guard let name, !name.isEmpty else { return nil }
            let spelt = ["\"\(name)\"", "'\(name)'", "[[\(name)]]"]
            func holds(_ line: Substring) -> Bool { spelt.contains { line.contains($0) } }
            // In order, so two cases with one name get their own lines; else anywhere.
            guard let k = lines[min(next, lines.count)...].firstIndex(where: holds) ?? lines.firstIndex(where: holds) else { return nil }
            next = k + 1
            return k + 1
        }
    }

    private func runCase(_ testCase: LuaValue, name: String, file: String) -> CaseResult {
        var result = CaseResult(file: file, line: nil, name: name, asOf: testCase["as_of"].stringValue ?? "", failures: [], decisions: [], printed: [])
        guard ISODate.isValid(result.asOf) else {
            let hint = testCase["as_of"].stringValue.flatMap(ISODate.normalize).map { "; write \"\($0)\"" } ?? ""
            result.failures.append("as_of must be an ISO date 'YYYY-MM-DD', got \(testCase["as_of"].displayText)\(hint)")
            return result
        }
        guard case .map(let expectations) = testCase["expect"], !expectations.isEmpty else {
            result.failures.append("expect must be a table like { [\"RENT-01\"] = \"eligible\" }")
            return result
        }
        let profile: Profile
        switch TestProfile.build(from: testCase["profile"], schema: loaded.schema, file: file, asOf: result.asOf) {
        case .success(let p): profile = p
        case .failure(let problem):
            result.failures.append(problem.message)
            return result
        }
        let runtime: RuleRuntime
        do { runtime = try self.runtime(for: result.asOf) } catch {
            result.failures.append(String(describing: error))
            return result
        }
        let decisions = runtime.decisions(for: profile, trace: true)
        result.printed = runtime.takePrinted()
        // One Lua state serves every case (and, in a run, every business): a change would leak.
        if let change = runtime.moduleChanges() {
            result.failures.append("rule code changed the module table \(change) (undone). " + RuleRuntime.moduleChangeAdvice)
        }
        for (serviceID, expected) in expectations.sorted(by: { $0.key < $1.key }) {
            // `"not evaluated"` asserts that the service is off on this date (outside its window,
            // or no rule effective): the only way to test a window's edges (analyst review).
            let expectsOff = expected.stringValue.map(RuleTestRunner.notEvaluatedWords.contains) ?? false
            guard let decision = decisions.first(where: { $0.serviceID == serviceID }) else {
                if !(expectsOff && loaded.catalog.service(id: serviceID) != nil) {
                    result.failures.append(runtime.plan.notEvaluatedReason(serviceID, catalog: loaded.catalog, rules: runtime.rules))
                }
                continue
            }
            if expectsOff {
                result.decisions.append(decision)
                result.failures.append("\(serviceID): expected not evaluated, got \(decision.outcome.rawValue) (应未评估, 实际\(decision.outcome.label))")
                continue
            }
            result.decisions.append(decision)
            result.failures += compare(decision, with: expected, serviceID: serviceID, asOf: result.asOf)
        }
        return result
    }

    static let notEvaluatedWords: Set<String> = ["not evaluated", "not_evaluated", "未评估"]

    /// The outcome's name for one written as its Chinese label ("待定" for 待定(缺数据)).
    static func outcomeName(_ text: String) -> String {
        let label = text == "待定" ? Outcome.undetermined.label : text
        return Outcome.allCases.first { $0.label == label }?.rawValue ?? text
    }

    /// What is wrong with an expectation's shape, whatever the decision: for `check`.
    static func expectationProblem(_ expected: LuaValue) -> String? {
        let outcomes = "eligible, ineligible, undetermined, error (or 符合, 不符合, 待定, 规则错误), or not evaluated"
        if let text = expected.stringValue {
            if notEvaluatedWords.contains(text) || Outcome(rawValue: outcomeName(text)) != nil { return nil }
            return "unknown outcome '\(text)' (expected \(outcomes))"
        }
        guard case .map(let entries) = expected else {
            return "must be an outcome string or { outcome = …, amount = …, reasons = {…} }"
        }
        for key in entries.keys.sorted() where !["outcome", "amount", "reasons"].contains(key) {
            let hint = Suggest.closest(to: key, in: ["outcome", "amount", "reasons"]).map { " (did you mean '\($0)'?)" } ?? ""
            return "unknown key '\(key)'\(hint): use outcome, amount and reasons"
        }
        if let text = expected["outcome"].stringValue, Outcome(rawValue: outcomeName(text)) == nil {
            return "unknown outcome '\(text)' (expected \(outcomes))"
        }
        if !expected["amount"].isNil, expected["amount"].doubleValue == nil {
            return "amount must be a number of 元 (100000, not \"10万\")"
        }
        switch expected["reasons"] {
        case .nil, .array: break
        case .map(let m) where m.isEmpty: break
        default: return "reasons must be a list of strings, like reasons = { \"不符合条件\" }"
        }
        return nil
    }

    private func compare(_ d: Decision, with expected: LuaValue, serviceID: String, asOf: String) -> [String] {
        var failures: [String] = []
        // The Chinese labels reviewers read (符合, 不符合, 待定, 规则错误) work too.
        let outcomeText = (expected.stringValue ?? expected["outcome"].stringValue).map(RuleTestRunner.outcomeName)
        if let outcomeText {
            if Outcome(rawValue: outcomeText) == nil {
                failures.append("\(serviceID): unknown expected outcome '\(outcomeText)' (eligible, ineligible, undetermined, error, or not evaluated; "
                                + "或写 符合、不符合、待定、规则错误、未评估)")
            } else if outcomeText != d.outcome.rawValue {
                failures.append("\(serviceID): expected \(outcomeText), got \(d.outcome.rawValue) (应为\(Outcome(rawValue: outcomeText)?.label ?? outcomeText), 实为\(d.outcome.label))")
            }
        } else if expected.stringValue == nil, case .map = expected {
            // outcome omitted: only amount/reasons are checked
        } else {
            failures.append("\(serviceID): expectation must be an outcome string or { outcome = …, amount = …, reasons = {…} }")
        }
        if case .map(let entries) = expected {
            // A misspelt key (`outcom`, `amout`, `reason`) would check nothing and pass: refuse it.
            for key in entries.keys.sorted() where !["outcome", "amount", "reasons"].contains(key) {
                let hint = Suggest.closest(to: key, in: ["outcome", "amount", "reasons"]).map { " (did you mean '\($0)'?)" } ?? ""
                failures.append("\(serviceID): unknown key '\(key)' in expect\(hint): use outcome, amount and reasons")
            }
            let amount = expected["amount"]
            if !amount.isNil {
                if let want = amount.doubleValue {
                    if let got = d.amount, abs(got - want) < 0.005 {} else {
                        // As every listing shows amounts, to the cent the comparison uses.
                        failures.append("\(serviceID): expected amount \(DecisionFileWriter.money(want)), got \(d.amount.map(DecisionFileWriter.money) ?? "none")"
                                        + (loaded.catalog.service(id: serviceID).map { RuleTestRunner.paramsNote($0, asOf: asOf) } ?? ""))
                    }
                } else {
                    failures.append("\(serviceID): amount must be a number")
                }
            }
            if case .array(let reasons) = expected["reasons"] {
                let want = reasons.map(\.displayText).sorted()
                if want != d.reasons.sorted() {
                    failures.append("\(serviceID): expected reasons \(want), got \(d.reasons)"
                                    + RuleTestRunner.reasonHints(expected: want, actual: d.reasons))
                }
            } else if !expected["reasons"].isNil {
                failures.append("\(serviceID): reasons must be a list of strings, like reasons = { \"不符合条件\" }")
            }
        }
        return failures
    }

    /// What an amount came from, for a case whose amount differs: the service's params as the
    /// case's date resolves them, and, when a number among them is not dated, how to keep an earlier
    /// year's value. A new year's cap written over last year's (`cap: 80000`) failed last year's
    /// cases with only "expected amount 100000, got 80000" (yearly-update review). "" without params.
    static func paramsNote(_ service: Service, asOf: String) -> String {
        let text = service.paramsText(on: asOf)
        guard !text.isEmpty else { return "" }
        var note = "; params (\(asOf)): \(text)"
        let undated = service.params.filter { entry in
            switch entry.value { case .integer, .decimal: return true; default: return false }
        }.map(\.key).sorted()
        if let first = undated.first, let value = service.params[first] {
            let names = undated.map { "'\($0)'" }.joined(separator: ", ")
            note += " — \(names) \(undated.count == 1 ? "is" : "are") not dated: if the catalog changed \(undated.count == 1 ? "it" : "one") for a new year, "
                + "write it dated, \(first): { \"<old from>\": <old value>, \"<new from>\": \(value) }, so cases dated before keep the old value "
                + "(docs/rules.md §13; 金额按上列参数计算, 新年度改的参数请写成带日期的参数)"
        }
        return note
    }

    /// Why an expected reason the analyst copied by hand is not the one the rule gives, where it
    /// shows: `（…）` typed for `(…)` (or a space more) looks the same on the terminal, and an
    /// undetermined decision's reason is "label: 缺少数据 field", not the label (analyst review:
    /// both failures read "expected [X], got [X]"). "" when neither applies.
    static func reasonHints(expected: [String], actual: [String]) -> String {
        let missing = expected.filter { !actual.contains($0) }
        let extra = actual.filter { !expected.contains($0) }
        var hints: [String] = []
        for want in missing {
            if let got = extra.first(where: { looseForm($0) == looseForm(want) }) {
                hints.append("'\(want)' differs from the rule's '\(got)' only in full-width/half-width punctuation or spaces "
                             + "(只差全角/半角标点或空格: 请从规则中复制标签)")
            } else if let got = extra.first(where: { $0.hasPrefix(want + ": 缺少数据") }) {
                hints.append("an undetermined decision's reason names the missing field: write '\(got)' "
                             + "(待定的理由是 \"标签: 缺少数据 字段\")")
            }
        }
        return hints.isEmpty ? "" : "; " + hints.joined(separator: "; ")
    }

    /// `s` with full-width forms as their ASCII letters and punctuation, curly quotes as straight
    /// ones, and no spaces.
    static func looseForm(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(scalar.value - 0xFEE0) ?? scalar)
            case 0x201C, 0x201D: out.append("\"")
            case 0x2018, 0x2019: out.append("'")
            default:
                if !scalar.properties.isWhitespace { out.append(scalar) }
            }
        }
        return String(out)
    }

    private func runtime(for asOf: String) throws -> RuleRuntime {
        if let r = runtimes[asOf] { return r }
        let r = try RuleRuntime(bundle: loaded, asOf: asOf, limits: limits)
        runtimes[asOf] = r
        return r
    }
}
