import HuiqiLua

/// `huiqi check`: validates a bundle without profiles (PRODUCT.md §6).
///
/// Reports schema and catalog problems with their paths, rule syntax errors with file:line, duplicate
/// rule ids, unknown services, unknown subject types, overlapping rules for one service, unknown
/// profile fields and params read, malformed test files; warns about services no rule serves and
/// rules without tests.
public enum BundleChecker {
    public struct Report: Sendable {
        public var diagnostics: [Diagnostic] = []
        public var ruleCount = 0
        public var serviceCount = 0
        public var testFileCount = 0
        /// False when the schema or catalog did not load: no rule or test file was checked.
        public var bundleLoaded = true
        public var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }
        public var warnings: [Diagnostic] { diagnostics.filter { $0.severity == .warning } }
    }

    public static func check(directory: String, asOf: String, limits: LuaLimits = LuaLimits()) -> Report {
        var report = checkAll(directory: directory, asOf: asOf, limits: limits)
        report.diagnostics = MisnamedTestFile.collapse(report.diagnostics)
        return report
    }

    private static func checkAll(directory: String, asOf: String, limits: LuaLimits) -> Report {
        var report = Report()
        let loaded: LoadedBundle
        do { loaded = try LoadedBundle.load(directory: directory) } catch {
            report.diagnostics = LoadedBundle.diagnostics(error, file: directory)
            report.bundleLoaded = false
            return report
        }
        let bundle = loaded.bundle
        report.serviceCount = loaded.catalog.services.count
        report.testFileCount = bundle.testFiles.count
        report.diagnostics += bundle.unreadFiles + loaded.catalog.warnings

        var runtime: RuleRuntime
        var someFilesFailed = false
        do { runtime = try RuleRuntime(bundle: loaded, asOf: asOf, limits: limits) } catch {
            let problems = LoadedBundle.diagnostics(error, file: directory)
            report.diagnostics += problems
            // Check the other files too, without the ones that do not load: one syntax error
            // should not hide the rest of the bundle's problems (it reported "0 rules" and stopped).
            let broken = Set(problems.compactMap(\.file))
            var rest = loaded
            rest.bundle.ruleFiles.removeAll { broken.contains($0.displayPath) }
            guard rest.bundle.ruleFiles.count < loaded.bundle.ruleFiles.count,
                  let partial = try? RuleRuntime(bundle: rest, asOf: asOf, limits: limits) else {
                // No rule state to compile the lib modules in: their syntax at least.
                if let lua = try? LuaState(limits: limits) {
                    for (_, file) in bundle.libraries.sorted(by: { $0.key < $1.key }) {
                        do { try lua.load(file.source, chunkName: file.chunkName); lua.pop() } catch {
                            report.diagnostics.append(RuleRuntime.diagnostic(from: error.message, file: file.displayPath))
                        }
                    }
                }
                return report
            }
            runtime = partial
            someFilesFailed = true
        }
        // Lib modules, compiled as `require` compiles them (rules load them lazily, so a module only
        // a rare business reaches would fail only in a run): code review found an assignment to a
        // sandbox global in lib/sme_scale.lua passing `check` and failing every `scale_of`.
        for (_, file) in bundle.libraries.sorted(by: { $0.key < $1.key }) {
            if let message = runtime.compileError(source: file.source, chunkName: file.chunkName) {
                report.diagnostics.append(RuleRuntime.diagnostic(from: message, file: file.displayPath))
            }
        }
        let rules = runtime.rules
        report.ruleCount = rules.count
        report.diagnostics += ruleProblems(rules, loaded: loaded, noRuleWarnings: !someFilesFailed)
        report.diagnostics += sourceProblems(loaded: loaded, rules: rules)
        report.diagnostics += unknownGlobals(runtime, loaded: loaded, besides: report.diagnostics)
        report.diagnostics += unknownModuleNames(runtime, loaded: loaded)
        report.diagnostics += unreadParams(loaded: loaded, rules: rules)
        report.diagnostics += testProblems(runtime: runtime, loaded: loaded, rules: rules)
        return report
    }

    /// The last line at or before `limit` (the rule's first condition: a file may hold several
    /// rules) that sets `key` to the string `value`: `id = "x"` or `id='x'`. Lua keeps no line for
    /// a table field, so this reads the source; nil when it is not spelt that way.
    static func keyLine(_ key: String, _ value: String, in source: String, before limit: Int?) -> Int? {
        var found: Int?
        for (i, text) in source.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let limit, i + 1 > limit { break }
            let compact = text.filter { $0 != " " && $0 != "\t" }
            if compact.contains("\(key)=\"\(value)\"") || compact.contains("\(key)='\(value)'") { found = i + 1 }
        }
        return found
    }

    /// The line of `key = "value"` in `rule`'s file where the source spells it plainly, else the
    /// rule's first condition's.
    static func line(of key: String, _ value: String, in rule: RuleDescriptor, loaded: LoadedBundle) -> Int? {
        loaded.bundle.ruleFiles.first { $0.displayPath == rule.file }
            .flatMap { keyLine(key, value, in: $0.source, before: rule.lines.first) } ?? rule.lines.first
    }

    /// Rules that name a service the catalog does not have. They would never run: `run` refuses
    /// to start and `test` fails on them, as `check` reports them.
    public static func unknownServices(_ rules: [RuleDescriptor], loaded: LoadedBundle) -> [Diagnostic] {
        let serviceIDs = loaded.catalog.services.map(\.id)
        return rules.filter { loaded.catalog.service(id: $0.serviceID) == nil }.map { rule in
            let hint = Suggest.closest(to: rule.serviceID, in: serviceIDs).map { " (did you mean '\($0)'?)" } ?? ""
            return Diagnostic(file: rule.file, line: line(of: "service", rule.serviceID, in: rule, loaded: loaded),
                              "rule '\(rule.id)': unknown service '\(rule.serviceID)'\(hint) — not in catalog.yaml")
        }
    }

    /// `noRuleWarnings`: false when some rule files did not load (their services would read as having no rule).
    /// The errors `check` reports about the rules themselves, which a run refuses to start with:
    /// duplicate rule ids (two services' decisions would name one rule), unknown services and
    /// subject types, overlapping rules, unknown fields and params read, comparisons wrong for
    /// every business. (Malformed test files do not stop a run; they stop `huiqi test`.) Before,
    /// `run` went ahead with a bundle `check` rejected (analyst review).
    public static func problemsThatStopARun(_ runtime: RuleRuntime, loaded: LoadedBundle) -> [Diagnostic] {
        let rules = runtime.rules
        return (ruleProblems(rules, loaded: loaded, noRuleWarnings: false) + sourceProblems(loaded: loaded, rules: rules)
                + unknownGlobals(runtime, loaded: loaded) + unknownModuleNames(runtime, loaded: loaded))
            .filter { $0.severity == .error }
    }

    /// Names rule and lib files read that are neither locals nor sandbox globals: reading one is an
    /// error in every business that reaches the line, found here rather than in a run.
    /// `besides`: problems already found; a read that failed the file's own loading (at its top
    /// level) is reported there, not twice.
    static func unknownGlobals(_ runtime: RuleRuntime, loaded: LoadedBundle, besides found: [Diagnostic] = []) -> [Diagnostic] {
        let files = loaded.bundle.ruleFiles + loaded.bundle.libraries.values.sorted { $0.displayPath < $1.displayPath }
        return files.flatMap { file in
            (runtime.unknownGlobals(source: file.source, chunkName: file.chunkName) ?? []).compactMap { read in
                if found.contains(where: { $0.file == file.displayPath && $0.line == read.line && $0.severity == .error }) { return nil }
                return Diagnostic(read.isWarning ? .warning : .error, file: file.displayPath, line: read.line, read.message)
            }
        }
    }

    /// Names rule and lib files read from a module (`baoan.is_small_or_micro`) that its table does
    /// not hold: calling one fails every business that reaches it. Found when a lib function was
    /// renamed for a new year and the rules calling it were not (yearly-update review). Modules no
    /// file loaded at its top level, or that answer names through a metatable, are left alone.
    static func unknownModuleNames(_ runtime: RuleRuntime, loaded: LoadedBundle) -> [Diagnostic] {
        var keysByModule: [String: [String]?] = [:]
        let files = loaded.bundle.ruleFiles + loaded.bundle.libraries.values.sorted { $0.displayPath < $1.displayPath }
        return files.flatMap { file in
            LuaSourceScanner.moduleReads(in: file.source).compactMap { module, read, fails -> Diagnostic? in
                if keysByModule[module] == nil { keysByModule[module] = .some(runtime.moduleKeys(module)) }
                guard let keys = keysByModule[module] ?? nil, !keys.contains(read.name) else { return nil }
                let hint = Suggest.closest(to: read.name, in: keys).map { " (did you mean '\($0)'?)" } ?? ""
                let path = loaded.bundle.libraries[module]?.displayPath ?? "lib/\(module).lua"
                // Only a call or an index fails; a plain read is nil, which `baoan.x or default`
                // means (code review: check refused such a bundle, and run with it).
                guard fails else {
                    return Diagnostic(.warning, file: file.displayPath, line: read.line,
                                      "module '\(module)' (\(path)) has no '\(read.name)'\(hint): reading it gives nil (模块中没有该名字, 读到 nil)")
                }
                return Diagnostic(file: file.displayPath, line: read.line,
                                  "module '\(module)' (\(path)) has no '\(read.name)'\(hint): calling or indexing it fails for every business that reaches it (模块中没有该名字)")
            }
        }
    }

    static func ruleProblems(_ rules: [RuleDescriptor], loaded: LoadedBundle, noRuleWarnings: Bool = true) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let catalog = loaded.catalog
        let subjectValues = loaded.schema.field(named: Schema.subjectTypeField)?.values.map(\.value) ?? []
        var firstByID: [String: RuleDescriptor] = [:]
        for rule in rules {
            if let first = firstByID[rule.id] {
                out.append(Diagnostic(file: rule.file, line: line(of: "id", rule.id, in: rule, loaded: loaded),
                                      "duplicate rule id '\(rule.id)' (first in \(first.file)\(line(of: "id", first.id, in: first, loaded: loaded).map { ":\($0)" } ?? ""))"))
            } else {
                firstByID[rule.id] = rule
            }
            out += unknownServices([rule], loaded: loaded)
            for s in rule.subjects ?? [] where !subjectValues.contains(s) {
                out.append(Diagnostic(file: rule.file, line: rule.lines.first,
                                      "rule '\(rule.id)': unknown subject type '\(s)' (expected \(subjectValues.joined(separator: ", "))) "
                                      + "(主体类型请写英文值, 如 enterprise 企业、individual 个体工商户、market 专业市场)"))
            }
            // Two conditions with one label (a condition copied and its label left): a business failing
            // one is told it failed the other (analyst review).
            var seenLabels: [String: Int] = [:]
            for (k, label) in rule.conditionLabels.enumerated() {
                // Reasons are joined with "; " in tables, exports and explain, and with "；" on the
                // printed lists: one label holding either reads as two conditions, the second
                // without its ✓/✗ (usability review).
                if let mark = [";", "；"].first(where: { label.contains($0) }) {
                    out.append(Diagnostic(.warning, file: rule.file, line: rule.lines.indices.contains(k) ? rule.lines[k] : rule.lines.first,
                                          "rule '\(rule.id)': condition \(k + 1)'s label \"\(label)\" holds '\(mark)', which separates reasons "
                                          + "in tables, exports and the printed lists: it would read as two conditions; write '，' or split "
                                          + "the condition (标签中的分号会被读成两条理由)"))
                }
                if let first = seenLabels[label] {
                    out.append(Diagnostic(.warning, file: rule.file, line: rule.lines.indices.contains(k) ? rule.lines[k] : rule.lines.first,
                                          "rule '\(rule.id)': conditions \(first + 1) and \(k + 1) have the same label \"\(label)\": the reasons would not tell them apart (条件说明重复)"))
                } else {
                    seenLabels[label] = k
                }
            }
            if let from = rule.effectiveFrom, let to = rule.effectiveTo, from > to {
                out.append(Diagnostic(file: rule.file, line: line(of: "from", from, in: rule, loaded: loaded),
                                      "rule '\(rule.id)': effective.from \(from) is after effective.to \(to)"))
            }
        }
        // Two rules serving one service at the same time for the same subjects: which decides is ambiguous.
        let byService = Dictionary(grouping: rules, by: \.serviceID)
        for (_, group) in byService.sorted(by: { $0.key < $1.key }) where group.count > 1 {
            for (i, a) in group.enumerated() {
                for b in group[(i + 1)...] where periodsOverlap(a, b) && subjectsOverlap(a, b) {
                    // The days both decide: a year's rule split in two with the new `from` on or
                    // before the old `to` was refused without saying which days (yearly-update review).
                    let from = [a.effectiveFrom, b.effectiveFrom].compactMap { $0 }.max()
                    let to = [a.effectiveTo, b.effectiveTo].compactMap { $0 }.min()
                    let when = from == nil && to == nil ? "at all times (neither has `effective` dates)" : period(from, to)
                    // At the `from` that starts the overlap (else the `to` that ends it): the
                    // rule's first condition holds no date (yearly-update review).
                    let starts = [a, b].first { $0.effectiveFrom != nil && $0.effectiveFrom == from }
                    let ends = [a, b].first { $0.effectiveTo != nil && $0.effectiveTo == to }
                    let (at, line): (RuleDescriptor, Int?) = if let starts, let f = starts.effectiveFrom {
                        (starts, self.line(of: "from", f, in: starts, loaded: loaded))
                    } else if let ends, let t = ends.effectiveTo {
                        (ends, self.line(of: "to", t, in: ends, loaded: loaded))
                    } else {
                        (b, b.lines.first)
                    }
                    out.append(Diagnostic(file: at.file, line: line,
                                          "rules '\(a.id)' and '\(b.id)' both serve \(b.serviceID) for the same subjects \(when); give them `effective` dates "
                                          + "that do not overlap (the earlier rule's `to` before the later rule's `from`) or disjoint `subjects` (规则生效期重叠)"))
                }
            }
        }
        // A dated param whose first date is after the service's window opens has no value in
        // between: every rule reading it errors there (docs/rules.md §3 says not to).
        for service in catalog.services {
            for (name, value) in service.params.sorted(by: { $0.key < $1.key }) {
                guard case .dated(let steps) = value, let first = steps.map(\.from).min() else { continue }
                let problem: String
                if let opens = service.window.from {
                    guard first > opens else { continue }
                    problem = "param '\(name)' starts on \(first), after the service's window opens on \(opens): "
                        + "rules reading it fail in between; give it a first date of \(opens)"
                } else {
                    problem = "param '\(name)' starts on \(first), but the service's window has no start date: "
                        + "rules reading it fail for an as-of before \(first); give the window a `from` date, or the param an earlier one"
                }
                out.append(Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), line: service.line, "service \(service.id): " + problem))
            }
            // A new year's value dated after the window closes never applies: the year's amounts
            // were added and the window was not extended (yearly-update review).
            for (name, value) in service.params.sorted(by: { $0.key < $1.key }) {
                guard case .dated(let steps) = value, let closes = service.window.to,
                      let late = steps.map(\.from).filter({ $0 > closes }).min() else { continue }
                out.append(Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), line: service.line,
                                      "service \(service.id): param '\(name)' has a value from \(late), after the service's window closes on \(closes): "
                                      + "it never applies; extend the window's `to` if the service goes on (参数日期晚于服务期)"))
            }
        }
        out += coverageProblems(byService: byService, loaded: loaded)
        for service in catalog.services where noRuleWarnings && byService[service.id] == nil {
            out.append(Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), line: service.line,
                                  "service \(service.id) \(service.name) has no rule (没有规则, 不会被评估)"))
        }
        return out
    }

    /// What a rule's `ctx` holds (`EngineLua` `make_ctx`).
    static let ctxKeys = ["as_of", "params", "service"]

    static func sourceProblems(loaded: LoadedBundle, rules: [RuleDescriptor]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var exportReads: [String: [String: [LuaSourceScanner.Read]]] = [:]  // by module
        let fields = loaded.schema.fields.map(\.name)
        let declared = Set(fields)
        let files = loaded.bundle.ruleFiles + loaded.bundle.libraries.values.sorted { $0.displayPath < $1.displayPath }
        for file in files {
            let reads = LuaSourceScanner.profileReads(in: file.source) + LuaSourceScanner.quotedFieldReads(in: file.source)
            for read in reads.sorted(by: { ($0.line, $0.name) < ($1.line, $1.name) }) where !declared.contains(read.name) {
                if let field = loaded.schema.fields.first(where: { $0.label == read.name || $0.aliases.contains(read.name) }) {
                    out.append(Diagnostic(file: file.displayPath, line: read.line,
                                          "unknown profile field '\(read.name)': that is how inputs name the field '\(field.name)'; rules read it as p.\(field.name) (规则中请用字段英文名)"))
                    continue
                }
                // As the engine says it when a rule reads the field (EngineLua's `absent`).
                let hint = Suggest.closest(to: read.name, in: fields).map { " (did you mean '\($0)'? 字段名可能拼错)" }
                    ?? " (not declared in schema.yaml; 档案中没有该字段)"
                out.append(Diagnostic(file: file.displayPath, line: read.line, "unknown profile field '\(read.name)'\(hint)"))
            }
            // Debugging left in: it runs for every business of a batch, and its output shows only in
            // `huiqi test -v` and `explain` (analyst review).
            for line in LuaSourceScanner.printCalls(in: file.source) {
                out.append(Diagnostic(.warning, file: file.displayPath, line: line,
                                      "print in a rule runs for every business of a run; its output shows only in `huiqi test` (failing cases; all with -v) and `huiqi explain`: remove it before publishing (发布前请删除调试用的 print)"))
            }
            // A field compared with a literal of the wrong kind (text it never holds, a number for a
            // boolean, a date not written YYYY-MM-DD, an order on an enum): wrong for every business.
            for c in LuaSourceScanner.literalComparisons(in: file.source) {
                if c.name == LuaSourceScanner.scaleOfCall {
                    if let problem = scaleProblem(c) { out.append(Diagnostic(file: file.displayPath, line: c.line, problem)) }
                    continue
                }
                guard let field = loaded.schema.field(named: c.name), let problem = literalProblem(c, field) else { continue }
                out.append(Diagnostic(problem.severity, file: file.displayPath, line: c.line, problem.message))
            }
            // ctx has three keys; any other reads nil, or fails the rule (analyst review: `ctx.asof`).
            // In rule files only: a lib function's own parameter may be called ctx (final review:
            // `function M.money(n, ctx)` with `ctx.prefix` was refused); a typo there still fails at
            // run time, naming the line.
            let isRuleFile = loaded.bundle.ruleFiles.contains { $0.displayPath == file.displayPath }
            for read in isRuleFile ? LuaSourceScanner.ctxReads(in: file.source) : [] where !BundleChecker.ctxKeys.contains(read.name) {
                let hint = Suggest.closest(to: read.name, in: BundleChecker.ctxKeys).map { " (did you mean '\($0)'?)" } ?? ""
                out.append(Diagnostic(file: file.displayPath, line: read.line,
                                      "ctx.\(read.name): ctx has no field '\(read.name)'\(hint); a rule's ctx has as_of, service and params (ctx 没有该字段)"))
            }
            // Params: each read must exist in some service served by this file's rules.
            let services = Set(rules.filter { $0.file == file.displayPath }.map(\.serviceID))
            guard !services.isEmpty else { continue }
            var params = Set<String>()
            for id in services { for key in loaded.catalog.service(id: id)?.params.keys ?? [:].keys { params.insert(key) } }
            let paramReads = LuaSourceScanner.paramReads(in: file.source)
            // A param renamed in the catalog and not in the rule (docs/rules.md §13): one name read
            // that is not there, one param nothing reads. Its name is seldom close enough for "did
            // you mean" (annual_cap → annual_limit), so the pair is named (analyst review).
            let unknownNames = Set(paramReads.map(\.name)).subtracting(params)
            // Read by nothing: not by this file, a lib module or another file serving these services.
            let siblings = Set(rules.filter { services.contains($0.serviceID) }.map(\.file))
            let otherReads = (loaded.bundle.libraries.values + loaded.bundle.ruleFiles.filter { siblings.contains($0.displayPath) })
                .flatMap { LuaSourceScanner.paramReads(in: $0.source).map(\.name) }
            let unread = params.subtracting(paramReads.map(\.name)).subtracting(otherReads)
            let renamed = unknownNames.count == 1 && unread.count == 1 && !LuaSourceScanner.passesParamsOn(file.source) ? unread.first : nil
            for read in paramReads where !params.contains(read.name) {
                let hint = Suggest.closest(to: read.name, in: params.sorted()).map { " (did you mean '\($0)'?)" }
                    ?? renamed.map { " (renamed '\($0)' in catalog.yaml? no rule reads that one)" } ?? ""
                out.append(Diagnostic(file: file.displayPath, line: read.line,
                                      "ctx.params.\(read.name): no such param for \(services.sorted().joined(separator: ", ")) in catalog.yaml\(hint) (目录中该服务没有这个参数)"))
            }
            // A lib export that reads the rule's params (`baoan.not_dishonest` reads
            // exclude_dishonest): a new service using it without the param failed every business it
            // reached, and check was clean (yearly-update review).
            guard isRuleFile else { continue }
            for (module, read, _) in LuaSourceScanner.moduleReads(in: file.source) {
                guard let lib = loaded.bundle.libraries[module] else { continue }
                if exportReads[module] == nil { exportReads[module] = LuaSourceScanner.exportParamReads(in: lib.source) }
                for param in exportReads[module]?[read.name] ?? [] where !params.contains(param.name) {
                    out.append(Diagnostic(file: file.displayPath, line: read.line,
                                          "\(module).\(read.name) reads ctx.params.\(param.name) (\(lib.displayPath):\(param.line)), which "
                                          + "\(services.sorted().joined(separator: ", ")) does not have in catalog.yaml: it fails for every business "
                                          + "that reaches it; add \(param.name) to the service's params (服务参数中没有该参数)"))
                }
            }
        }
        return out
    }

    /// Periods of a service's window that no rule covers (the service is then not evaluated, and
    /// only `run` said so, on the day), and rules effective only outside their service's window
    /// (they never decide). Found in the analyst review: a rule split in two with a gap between
    /// was clean in check. Subjects are not considered: any rule covers a day.
    static func coverageProblems(byService: [String: [RuleDescriptor]], loaded: LoadedBundle) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let catalogPath = loaded.bundle.displayPath("catalog.yaml")
        for service in loaded.catalog.services {
            guard let rules = byService[service.id], !rules.isEmpty else { continue }
            let opens = service.window.from.flatMap(ISODate.init).map(\.dayNumber) ?? Int.min
            let closes = service.window.to.flatMap(ISODate.init).map(\.dayNumber) ?? Int.max
            var periods: [(from: Int, to: Int, rule: RuleDescriptor)] = []
            for rule in rules {
                let from = rule.effectiveFrom.flatMap(ISODate.init).map(\.dayNumber) ?? Int.min
                let to = rule.effectiveTo.flatMap(ISODate.init).map(\.dayNumber) ?? Int.max
                if to < opens || from > closes {
                    out.append(Diagnostic(.warning, file: rule.file, line: rule.lines.first,
                                          "rule '\(rule.id)' is effective \(period(rule.effectiveFrom, rule.effectiveTo)) only outside the window of \(service.id) "
                                          + "(\(period(service.window.from, service.window.to))): it never decides (规则生效期与服务期不重叠)"))
                    continue
                }
                periods.append((max(from, opens), min(to, closes), rule))
            }
            // The rules either side of a gap, where their `to` and `from` are: the warning is at
            // the service, the fix in a rule's dates (yearly-update review).
            func ends(_ rule: RuleDescriptor) -> String {
                guard let to = rule.effectiveTo else { return "" }
                return "rule '\(rule.id)' (\(rule.file)\(line(of: "to", to, in: rule, loaded: loaded).map { ":\($0)" } ?? "")) ends on \(to)"
            }
            func starts(_ rule: RuleDescriptor, first: Bool) -> String {
                guard let from = rule.effectiveFrom else { return "" }
                return "\(first ? "rule " : "")'\(rule.id)' (\(rule.file)\(line(of: "from", from, in: rule, loaded: loaded).map { ":\($0)" } ?? "")) starts on \(from)"
            }
            // Walk the window in order; the first day no rule covers starts a gap.
            var day = opens
            var last: RuleDescriptor?  // the rule whose period reaches furthest so far
            for p in periods.sorted(by: { $0.from < $1.from }) {
                if p.from > day {
                    let gapFrom = day == Int.min ? nil : ISODate(clampingDayNumber: day).description
                    let gapTo = ISODate(clampingDayNumber: p.from - 1).description
                    let around = [last.map(ends) ?? "", starts(p.rule, first: last == nil)].filter { !$0.isEmpty }.joined(separator: " and ")
                    out.append(Diagnostic(.warning, file: catalogPath, line: service.line,
                                          "service \(service.id): no rule is effective \(period(gapFrom, gapTo)), inside its window: not evaluated then"
                                          + (around.isEmpty ? "" : "; \(around)") + " (服务期内无生效规则)"))
                }
                if p.to == Int.max { day = Int.max; break }
                if p.to + 1 > day { last = p.rule }
                day = max(day, p.to + 1)
            }
            if day <= closes, day != Int.max {
                let gapTo = closes == Int.max ? nil : ISODate(clampingDayNumber: closes).description
                let around = last.map(ends) ?? ""
                out.append(Diagnostic(.warning, file: catalogPath, line: service.line,
                                      "service \(service.id): no rule is effective \(period(ISODate(clampingDayNumber: day).description, gapTo)), inside its window: not evaluated then"
                                      + (around.isEmpty ? "" : "; \(around)") + " (服务期内无生效规则)"))
            }
        }
        return out
    }

    private static func period(_ from: String?, _ to: String?) -> String { ServicePlan.period(from: from, to: to) }

    /// `run`'s warning for an active service that no rule serves on the as-of date: when the
    /// bundle has rules for it, which the date falls between (or after, or before), with each
    /// rule's file:line (of its `to` or `from`) and period, and the days no rule covers. It said
    /// only "no effective rule serves it", and the analyst had to find the rules and their dates
    /// (yearly-update review: a date between last year's rule and this year's).
    public static func unservedWarning(_ service: Service, plan: ServicePlan, loaded: LoadedBundle) -> Diagnostic {
        let head = "service \(service.id) \(service.name) is active on \(plan.asOf) but no effective rule serves it"
        let catalogPath = loaded.bundle.displayPath("catalog.yaml")
        let rules = plan.unservedRules[service.id] ?? []
        guard !rules.isEmpty else { return Diagnostic(.warning, file: catalogPath, line: service.line, head + " (无规则, 未评估)") }
        let gap = plan.gap(around: service.id, window: service.window)
        func named(_ rule: RuleDescriptor, _ key: String, _ value: String?) -> String {
            let at = value.flatMap { line(of: key, $0, in: rule, loaded: loaded) }.map { ":\($0)" } ?? ""
            return "rule '\(rule.id)' (\(rule.file)\(at)), effective \(period(rule.effectiveFrom, rule.effectiveTo))"
        }
        let around: String
        switch (gap.before, gap.after) {
        case let (before?, after?): around = "between \(named(before, "to", before.effectiveTo)), and \(named(after, "from", after.effectiveFrom))"
        case let (before?, nil): around = "after \(named(before, "to", before.effectiveTo))"
        case let (nil, after?): around = "before \(named(after, "from", after.effectiveFrom))"
        case (nil, nil):
            return Diagnostic(.warning, file: catalogPath, line: service.line,
                              head + " (its rules: \(ServicePlan.effectivePeriods(rules))) (无生效规则, 未评估)")
        }
        let chinese: String
        switch (gap.from, gap.to) {
        case let (f?, t?): chinese = "\(f) 至 \(t)"
        case let (f?, nil): chinese = "\(f) 起"
        case let (nil, t?): chinese = "至 \(t)"
        case (nil, nil): chinese = ""
        }
        return Diagnostic(.warning, file: catalogPath, line: service.line,
                          head + ": no rule is effective \(period(gap.from, gap.to)), \(around) (规则生效期空档 \(chinese), 无生效规则, 未评估)")
    }

    /// Catalog params no rule of their service reads (analyst review: `subsidy_rate: 0.6` added
    /// beside the `subsidy_share` the rule reads changed nothing, and check was clean). Reads are
    /// found in the files of the service's rules and in every `lib/` module; a service whose files
    /// hand `ctx` or `ctx.params` to other code, or index params with `[ ]`, is left alone (its
    /// reads cannot be seen).
    static func unreadParams(loaded: LoadedBundle, rules: [RuleDescriptor]) -> [Diagnostic] {
        let libraries = loaded.bundle.libraries.values.map(\.source)
        let libraryReads = Set(libraries.flatMap { LuaSourceScanner.paramReads(in: $0).map(\.name) })
        var out: [Diagnostic] = []
        for service in loaded.catalog.services where !service.params.isEmpty {
            let files = Set(rules.filter { $0.serviceID == service.id }.map(\.file))
            let sources = loaded.bundle.ruleFiles.filter { files.contains($0.displayPath) }.map(\.source)
            guard !sources.isEmpty, !(sources + libraries).contains(where: LuaSourceScanner.passesParamsOn) else { continue }
            let reads = libraryReads.union(sources.flatMap { LuaSourceScanner.paramReads(in: $0).map(\.name) })
            for name in service.params.keys.sorted() where !reads.contains(name) {
                let unknown = reads.subtracting(service.params.keys).sorted()
                let hint = Suggest.closest(to: name, in: unknown).map { " (did you mean '\($0)', which the rules read?)" } ?? ""
                out.append(Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), line: service.line,
                                      "service \(service.id): param '\(name)' is not read by any of its rules\(hint); changing it changes nothing (参数未被规则读取)"))
            }
        }
        return out
    }

    /// Why `p.field OP literal` is wrong whatever the profile holds, or nil when it can make sense.
    /// Rules see an enum's canonical value ("enterprise"), not its Chinese label; a boolean as
    /// true/false, not 是/否 or 1/0; a date as "YYYY-MM-DD" text, which orders correctly only
    /// against text of that shape (found in the analyst review: "2025/3/1" compared as text, and
    /// check was clean).
    ///
    /// Errors are comparisons wrong for every business. Two are only warnings, because they can be
    /// meant (review): an order on an enum (`<= "B"` does select A and B of A/B/M/C/D) and a date
    /// against a partial date (`< "2020"` compares correctly as text).
    static func literalProblem(_ c: LuaSourceScanner.Comparison, _ field: SchemaField) -> (message: String, severity: Diagnostic.Severity)? {
        let shown = c.kind == .text ? "p.\(c.name) \(c.op) \"\(c.literal)\"" : "p.\(c.name) \(c.op) \(c.literal)"
        // An order against one of the enum's own values selects a fixed set: maybe meant.
        if field.type == .enum, c.isOrdering, c.kind == .text, field.values.contains(where: { $0.value == c.literal }) {
            return ("\(shown): \(field.displayName) has no order (its values: \(field.values.map(\.value).joined(separator: ", "))); "
                + "\(c.op) compares the letters of its code. Clearer: list the values that qualify, p.\(c.name) == \"…\" or p.\(c.name) == \"…\" (枚举值没有大小顺序)", .warning)
        }
        // An order against a year or a year and month ("2020", "2020-06") compares correctly as text.
        if field.type == .date, c.kind == .text, c.isOrdering, DateLiteral.isZeroPaddedPrefix(c.literal) {
            return ("\(shown): not a whole date written YYYY-MM-DD; it compares letter by letter with the date's text, which works for a year or year-month prefix (日期请写成 YYYY-MM-DD)", .warning)
        }
        return literalError(c, field, shown).map { ($0, .error) }
    }

    /// `scale_of(p) OP literal` that holds for no business, or for all: scale_of gives "large",
    /// "medium", "small" or "micro" (analyst review: `scale_of(p) == "小型"` passed check).
    static func scaleProblem(_ c: LuaSourceScanner.Comparison) -> String? {
        let values = ["large", "medium", "small", "micro"]
        let shown = c.kind == .text ? "scale_of(p) \(c.op) \"\(c.literal)\"" : "scale_of(p) \(c.op) \(c.literal)"
        if c.isOrdering {
            return "\(shown): a scale has no order (\(c.op) compares the letters of its name); list the scales that qualify, "
                + "scale_of(p) == \"small\" or scale_of(p) == \"micro\" (规模没有大小顺序)"
        }
        guard c.kind == .text, !values.contains(c.literal) else { return c.kind == .text ? nil : "\(shown): scale_of(p) gives text, \(values.joined(separator: ", "))" }
        let chinese = ["大型": "large", "中型": "medium", "小型": "small", "微型": "micro"]
        let hint = chinese[c.literal].map { "write \"\($0)\"" }
            ?? (c.literal.hasPrefix("小微") ? "for small or micro, write baoan.is_small_or_micro(p) (or scale_of(p) == \"small\" or scale_of(p) == \"micro\")"
                : "its values: \(values.joined(separator: ", "))")
        return "\(shown): scale_of(p) gives \"large\", \"medium\", \"small\" or \"micro\", never \"\(c.literal)\", so this holds for "
            + "\(c.op == "==" ? "no" : "every") business; \(hint) (规模的值是英文)"
    }

    /// The shapes of date text a comparison can use.
    enum DateLiteral {
        /// `YYYY` or `YYYY-MM` with a two-digit month.
        static func isZeroPaddedPrefix(_ text: String) -> Bool {
            let b = Array(text.utf8)
            func digits(_ r: Range<Int>) -> Bool { r.allSatisfy { b[$0] >= 48 && b[$0] <= 57 } }
            if b.count == 4 { return digits(0..<4) }
            return b.count == 7 && digits(0..<4) && b[4] == 45 && digits(5..<7)
        }
    }

    private static func literalError(_ c: LuaSourceScanner.Comparison, _ field: SchemaField, _ shown: String) -> String? {
        switch (field.type, c.kind) {
        case (.list, _):
            // A list is a table: never equal to a text, a number or a boolean, and an order on it
            // raises (analyst review: `p.tags == "首次进入省百强"` passed check and no business had it).
            let result = c.isOrdering ? "fails for every business" : c.op == "~=" ? "is true for every business" : "is false for every business"
            return "\(shown): \(field.displayName) is a list in rules, so this \(result). Ask whether it holds an item: "
                + "for _, x in ipairs(p.\(c.name)) do if x == … then … end end, or a lib helper such as baoan.has_tag(p, \"…\") (列表字段不能与单个值比较)"
        case (.enum, _) where c.isOrdering:
            return "\(shown): \(field.displayName) has no order, and \(c.kind == .text ? "\"\(c.literal)\" is none of its values" : "its values are text") "
                + "(its values: \(field.values.map(\.value).joined(separator: ", "))); list the values that qualify (枚举值没有大小顺序)"
        case (.enum, .text):
            if field.values.contains(where: { $0.value == c.literal }) { return nil }
            if let v = field.values.first(where: { $0.label == c.literal || $0.aliases.contains(c.literal) }) {
                return "\(shown): that is how inputs may write '\(v.value)'; rules see the value itself, write \"\(v.value)\""
            }
            return "\(shown): \(field.displayName) is never that (its values: \(field.values.map(\.value).joined(separator: ", ")))"
        case (.boolean, .text), (.boolean, .number):
            return "\(shown): \(field.displayName) is true or false in rules, never \(c.kind == .text ? "text" : "a number"); write p.\(c.name) or not p.\(c.name)"
        case (.boolean, .boolean):
            return c.isOrdering ? "\(shown): \(field.displayName) is true or false; it has no order" : nil
        case (.integer, .text), (.decimal, .text):
            return "\(shown): \(field.displayName) is a number in rules, never text"
        case (.integer, .boolean), (.decimal, .boolean):
            return "\(shown): \(field.displayName) is a number in rules, never true or false"
        case (.date, .text):
            if ISODate(c.literal) != nil { return nil }
            let hint = ISODate.normalize(c.literal).map { ", write \"\($0)\"" } ?? ""
            let never = c.isOrdering ? "they compare letter by letter" : "a date is never equal to it"
            return "\(shown): dates are \"YYYY-MM-DD\" text in rules, and \"\(c.literal)\" is not: \(never)\(hint) (日期请写成 YYYY-MM-DD)"
        case (.date, .number), (.date, .boolean):
            return "\(shown): \(field.displayName) is \"YYYY-MM-DD\" text in rules; compare it with a date such as \"2025-01-01\""
        case (.string, .number), (.enum, .number):
            return "\(shown): \(field.displayName) is text in rules, never a number; write \"\(c.literal)\" (文本字段请与带引号的文本比较)"
        case (.string, .boolean), (.enum, .boolean):
            return "\(shown): \(field.displayName) is never true or false"
        case (.integer, .number), (.decimal, .number), (.string, .text):
            return nil
        }
    }

    static func testProblems(runtime: RuleRuntime, loaded: LoadedBundle, rules: [RuleDescriptor]) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var testedServices = Set<String>()
        var testedDates: [String: [String]] = [:]
        for file in loaded.bundle.testFiles {
            let value: LuaValue
            do { value = try runtime.loadTestFile(file) } catch {
                out += LoadedBundle.diagnostics(error, file: file.displayPath)
                continue
            }
            guard case .array(let cases) = value, !cases.isEmpty else {
                out.append(Diagnostic(file: file.displayPath, RuleTestRunner.singleCase(value) ?? "a test file must return a non-empty list of cases"))
                continue
            }
            let lines = RuleTestRunner.caseLines(in: file.source, names: cases.map { $0["name"].stringValue })
            for (i, c) in cases.enumerated() {
                let name = c["name"].stringValue ?? "case \(i + 1)"
                let path = "[\(i + 1)] \(name)"
                func problem(_ message: String) -> Diagnostic { Diagnostic(file: file.displayPath, line: lines[i], path: path, message) }
                guard case .map(let expect) = c["expect"] else {
                    out.append(problem("missing expect = { [\"SERVICE-ID\"] = \"eligible\" }"))
                    continue
                }
                // What `huiqi test` would refuse, found before it runs (analyst review: check was
                // clean on cases without as_of, with as_of = "2026/3/1", or with reasons as a string).
                // The case's date when it is one (the problems below are about it otherwise).
                let asOf = c["as_of"].stringValue.flatMap { ISODate($0) != nil ? $0 : nil }
                if let written = c["as_of"].stringValue {
                    if asOf == nil {
                        let hint = ISODate.normalize(written).map { "; write \"\($0)\"" } ?? ""
                        out.append(problem("as_of \"\(written)\" is not a date written YYYY-MM-DD\(hint)"))
                    }
                } else if !c["as_of"].isNil {
                    // `as_of = 20260301` is there, not missing (analyst review: check said "missing").
                    let hint = ISODate.normalize(c["as_of"].displayText).map { ": write \"\($0)\"" } ?? ": write it in quotes, \"YYYY-MM-DD\""
                    out.append(problem("as_of \(c["as_of"].displayText) is not a date in quotes\(hint)"))
                } else {
                    out.append(problem("missing as_of = \"YYYY-MM-DD\" (the date the case is evaluated on)"))
                }
                // The profile as `huiqi test` builds it: a misspelt field (`monthly_rents`), a value
                // of the wrong type or a firm founded after as_of failed only `test` (yearly-update review).
                if case .failure(let p) = TestProfile.build(from: c["profile"], schema: loaded.schema, file: file.displayPath, asOf: asOf) {
                    out.append(problem(p.message))
                }
                for (id, expected) in expect.sorted(by: { $0.key < $1.key }) {
                    if loaded.catalog.service(id: id) == nil {
                        let hint = Suggest.closest(to: id, in: loaded.catalog.services.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
                        out.append(problem("expect names unknown service '\(id)'\(hint)"))
                    }
                    if let shapeProblem = RuleTestRunner.expectationProblem(expected) {
                        out.append(problem("expect[\"\(id)\"]: \(shapeProblem)"))
                    }
                    // A case dated when its service is not evaluated, expecting an outcome: `test`
                    // fails it (yearly-update review: a case in the gap between last year's rule
                    // and this year's, or after the window, passed check).
                    if let asOf, let service = loaded.catalog.service(id: id),
                       !(expected.stringValue.map(RuleTestRunner.notEvaluatedWords.contains) ?? false) {
                        let own = rules.filter { $0.serviceID == service.id }
                        let fix = "`huiqi test` fails the case: date it when the service is evaluated, or expect \"未评估\""
                        if !service.isActive(on: asOf) {
                            out.append(problem("expects \(id) on \(asOf), outside the window of \(id) (\(period(service.window.from, service.window.to))): "
                                               + "it is not evaluated then; \(fix) (用例日期不在服务期内)"))
                        } else if !own.isEmpty, !own.contains(where: { $0.isEffective(on: asOf) }) {
                            out.append(problem("expects \(id) on \(asOf), when no rule of \(id) is effective (\(ServicePlan.effectivePeriods(own))): "
                                               + "it is not evaluated then; \(fix) (用例日期无生效规则)"))
                        }
                    }
                    testedServices.insert(id)
                    if let asOf { testedDates[id, default: []].append(asOf) }
                }
            }
        }
        // A dated param's later values (a new year's cap) with no case of the service dated while
        // they hold: the tests passed on last year's cases alone (yearly-update review). The first
        // value is the one the service started with, tested by its cases as before.
        for service in loaded.catalog.services where testedServices.contains(service.id) && rules.contains(where: { $0.serviceID == service.id }) {
            let dates = testedDates[service.id] ?? []
            for (name, value) in service.params.sorted(by: { $0.key < $1.key }) {
                guard case .dated(let steps) = value else { continue }
                for (k, step) in steps.enumerated().dropFirst() {
                    let next = k + 1 < steps.count ? ISODate(steps[k + 1].from).map { ISODate(clampingDayNumber: $0.dayNumber - 1).description } : nil
                    let to = [next, service.window.to].compactMap { $0 }.min()
                    if let to, step.from > to { continue }  // after the window: the window's warning says so
                    guard !dates.contains(where: { day in day >= step.from && (to.map { day <= $0 } ?? true) }) else { continue }
                    out.append(Diagnostic(.warning, file: loaded.bundle.displayPath("catalog.yaml"), line: service.line,
                                          "service \(service.id): param '\(name)' is \(step.value) from \(step.from)\(to.map { " (to \($0))" } ?? ""), "
                                          + "and no test case of \(service.id) is dated then: the new value is not tested; "
                                          + "add a case dated on or after \(step.from) (参数的新值没有测试用例)"))
                }
            }
        }
        for rule in rules {
            if !testedServices.contains(rule.serviceID) {
                out.append(Diagnostic(.warning, file: rule.file, line: line(of: "id", rule.id, in: rule, loaded: loaded),
                                      "rule '\(rule.id)' (\(rule.serviceID)) has no test case (没有测试用例)"))
            } else {
                // The days the rule decides: its effective period within its service's window. A
                // rule split by date had no case in its second half (analyst review); a new
                // service's cases copied from last year's, all dated before its window opened, were
                // not evaluated, and check was clean (yearly-update review).
                let window = loaded.catalog.service(id: rule.serviceID)?.window ?? .always
                let from = [rule.effectiveFrom, window.from].compactMap { $0 }.max()
                let to = [rule.effectiveTo, window.to].compactMap { $0 }.min()
                if let from, let to, from > to { continue }  // never decides: coverageProblems says so
                let decides = { (day: String) in (from.map { day >= $0 } ?? true) && (to.map { day <= $0 } ?? true) }
                guard !(testedDates[rule.serviceID] ?? []).contains(where: decides) else { continue }
                let clipped = from != rule.effectiveFrom || to != rule.effectiveTo
                let note = clipped ? ", within the window of \(rule.serviceID)): cases dated outside the window are not evaluated" : ")"
                out.append(Diagnostic(.warning, file: rule.file, line: line(of: "id", rule.id, in: rule, loaded: loaded),
                                      "rule '\(rule.id)' (\(rule.serviceID)) has no test case dated while it is effective (\(period(from, to))\(note) (该规则生效期内没有测试用例)"))
            }
        }
        return out
    }

    static func periodsOverlap(_ a: RuleDescriptor, _ b: RuleDescriptor) -> Bool {
        let aFrom = a.effectiveFrom ?? "0000-01-01", aTo = a.effectiveTo ?? "9999-12-31"
        let bFrom = b.effectiveFrom ?? "0000-01-01", bTo = b.effectiveTo ?? "9999-12-31"
        return aFrom <= bTo && bFrom <= aTo
    }

    static func subjectsOverlap(_ a: RuleDescriptor, _ b: RuleDescriptor) -> Bool {
        guard let sa = a.subjects, let sb = b.subjects else { return true }
        return !Set(sa).isDisjoint(with: sb)
    }
}
