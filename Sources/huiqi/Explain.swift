import ArgumentParser
import Foundation
import Huiqi

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "解释一家企业的判定 — Explain the decisions for one business: every condition, the fields it read, the amount.",
        discussion: """
        With --profiles, evaluates the business now (rules from --rules, as-of \
        from --as-of). A column that names no field is left out, with a warning \
        (`run` refuses the file).

        With --run, explains what run RUN decided: its recorded input row is read \
        again and re-evaluated with the run's rules and as-of when both are \
        unchanged (the logged decisions are shown beside, differences flagged); \
        otherwise the view comes from the log alone. Provenance (run, as-of, rules \
        SHA-256, input file and line) and reviews are shown.

        --firm finds the business by (part of) its name (企业名称) instead of its \
        code; when several businesses' names hold it, they are listed (up to 10, \
        with their codes and where they are) to choose one by its credit code.

        A decision id (决定编号, what `log show` lists and `review` takes) \
        explains that decision: its run and service are in the id.

        Examples:
          huiqi explain 91440306790N9U6MXA --profiles Samples/profiles.csv
          huiqi explain --firm 佳佳投资 --profiles Samples/profiles.csv --as-of 2025-06-01
          huiqi explain 91440306790N9U6MXA --run 3
          huiqi explain 91440306790N9U6MXA --run 3 --service FIN-01 --db logs/huiqi.db
          huiqi explain 3000001205007 --db logs/huiqi.db
        """
    )

    @Argument(help: ArgumentHelp("The business's 统一社会信用代码 (or give --firm), or a decision id (决定编号, as log show lists it).",
                                 valueName: "CREDIT_CODE|DECISION_ID"))
    var creditCode: String?

    @Option(help: ArgumentHelp("The business by (part of) its name (企业名称), or its credit code, instead of CREDIT_CODE.",
                               valueName: "NAME"))
    var firm: String?

    @Option(help: ArgumentHelp("Profile file(s) to find the business in.", valueName: "FILE"))
    var profiles: [String] = []

    @Option(name: .customLong("run"), help: ArgumentHelp("Explain what this logged run decided.", valueName: "RUN"))
    var runID: Int64?

    @Option(help: ArgumentHelp("Only this service.", valueName: "ID"))
    var service: String?

    @OptionGroup var database: DatabaseOption

    @OptionGroup var bundle: BundleOptions
    @OptionGroup var asOf: AsOfOption

    @Option(help: ArgumentHelp("Input encoding: auto, utf-8, gb18030, gbk.", valueName: "E"))
    var encoding: String = "auto"

    func validate() throws {
        if let id = decisionID {
            // The run and the service are the id's: given otherwise, which one is meant?
            guard firm == nil, profiles.isEmpty, asOf.asOf == nil else {
                throw ValidationError("\(id) is a decision id (决定编号): it is explained from the log; give it alone, with --db (决定编号只能单独使用, 不能与 --firm、--profiles、--as-of 同用)")
            }
            if let runID, runID != id.run {
                throw ValidationError("decision \(id) is of run \(id.run), not --run \(runID) (决定编号属于运行 \(id.run))")
            }
            return
        }
        guard (creditCode == nil) != (firm == nil) else {
            throw ValidationError(creditCode == nil ? "give the business: its credit code, or --firm NAME (请给出企业: 统一社会信用代码, 或 --firm 企业名称)"
                                  : "give the business's credit code or --firm NAME, not both (统一社会信用代码与 --firm 二选一)")
        }
        guard profiles.isEmpty != (runID == nil) else { throw ValidationError("give either --profiles FILE or --run RUN (请给出 --profiles 文件 或 --run 运行编号, 二选一)") }
        if runID != nil, asOf.asOf != nil {
            throw ValidationError("--as-of goes with --profiles; a run is explained at the as-of date it recorded (--as-of 只与 --profiles 同用; 运行按其记录的判定日期解释)")
        }
    }

    /// `--firm` as a name, or nil when it is shaped like a credit code (`FirmByName.name`).
    private var firmName: String? { FirmByName.name(firm) }

    /// CREDIT_CODE when it is a decision id (决定编号), written in any way `review` takes one
    /// (`DecisionID(text:)`: Excel's `'3000…`, digit groups): a number, and not of 18 digits (a
    /// credit code may be all digits; a decision id has 18 digits only from run 100,000 on).
    private var decisionID: DecisionID? {
        guard let text = creditCode, let id = DecisionID(text: text), id.description.count != 18 else { return nil }
        return id
    }

    /// The code given, as CREDIT_CODE or as a code in --firm.
    private var givenCode: String { CreditCode.fromArgument(creditCode ?? firm ?? "") }

    func run() throws {
        if let id = decisionID { return try explainDecision(id) }
        if let runID { return try explainLogged(runID) }
        do {
            let loaded = try LoadedBundle.load(directory: bundle.rules)
            let files = profiles.map { URL(fileURLWithPath: $0) }
            let encoding = InputEncoding(name: encoding) ?? .auto
            var code = givenCode
            let found: ProfileSearch.Found
            if let name = firmName {
                let matches = try ProfileSearch.find(named: name, in: files, schema: loaded.schema, encoding: encoding, asOf: asOf.resolved,
                                                     warnings: { Explain.report($0) })
                guard let one = matches.only, let profile = one.profile else {
                    Console.error(FirmByName.choice(matches, name: name, in: profiles.joined(separator: ", "), command: Explain.commandLine))
                    throw ExitCode(1)
                }
                code = one.creditCode
                found = .profile(profile)
            } else {
                found = try ProfileSearch.find(code, in: files, schema: loaded.schema, encoding: encoding, asOf: asOf.resolved,
                                               warnings: { Explain.report($0) })
            }
            switch found {
            case .profile(let p):
                let runtime = try RuleRuntime(bundle: loaded, asOf: asOf.resolved, limits: bundle.limits)
                // As the catalog spells it (`fin-01` is FIN-01).
                let service = self.service.map { s in
                    runtime.plan.slots.first { Service.lookupKey($0.service.id) == Service.lookupKey(s) }?.service.id ?? s
                }
                if let service, !runtime.plan.slots.contains(where: { $0.service.id == service }) {
                    throw Diagnostic(.error, runtime.plan.notEvaluatedReason(service, catalog: loaded.catalog, rules: runtime.rules))
                }
                print(TerminalText.visible(Explanation(runtime: runtime, profile: p, serviceFilter: service).render()))
                // Today is rarely the date a run used (analyst review: explain judged as of today,
                // the run as of 2025-06-01, and the two disagreed without a word).
                if asOf.asOf == nil {
                    Console.error("注意 note: --as-of not given, so judged as of today (\(asOf.resolved)); a run's decisions use the run's as-of date (`huiqi log runs`; or explain --run ID) (未指定判定日期, 按今天判定)")
                }
                return
            case .rejected(let r):
                print(TerminalText.visible("\(code): rejected at \(r.file):\(r.line) — \(r.reason) (未评估)"))
                throw ExitCode(1)
            case .notFound:
                break
            }
            Console.error("\(code): not found in \(profiles.joined(separator: ", ")) (文件中没有这家企业)" + CreditCodeArgument.problemNote(code)
                          + CreditCodeArgument.nameNote(code))
            throw ExitCode(1)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }

    /// The input's warnings: a column left out because it names no field (analyst review: a
    /// misspelt header was dropped without a word, and the business explained as missing the
    /// field). Not the list of fields without a column: the explanation shows each one a rule read.
    private static func report(_ warnings: [Diagnostic]) {
        for w in warnings where !w.message.contains("(no column; rules reading them decide undetermined)") {
            Console.error(w.description)
        }
    }

    /// This command as typed, with `code` for `--firm NAME`: a command the user can copy.
    private static func commandLine(code: String) -> String { FirmByName.commandLine(["explain"], code: code, codeFirst: true) }

    /// A decision id: its business in its run, for its service (`--service` may not name another).
    private func explainDecision(_ id: DecisionID) throws {
        let decision: LoggedDecision
        do {
            let store = try database.openForReading()
            do {
                decision = try store.requireDecision(id)
            } catch {
                Console.report(error)
                throw ExitCode(1)  // no such decision: exit 1, as for a business not found
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
        if let service, Service.lookupKey(service) != Service.lookupKey(decision.decision.serviceID) {
            Console.error("decision \(id) is of service \(decision.decision.serviceID), not --service \(service) (决定编号属于服务 \(decision.decision.serviceID))")
            throw ExitCode(2)
        }
        try explainLogged(id.run, code: decision.record.creditCode, service: decision.decision.serviceID)
    }

    /// `--run`: from the decision log.
    private func explainLogged(_ runID: Int64, code given: String? = nil, service: String? = nil) throws {
        let service = service ?? self.service
        var code = given ?? givenCode
        let result: LogExplanation.Result
        do {
            let store = try database.openForReading()
            if given == nil, let name = firmName {
                code = try FirmByName.code(named: name, store: store, run: try store.requireRun(runID), command: Explain.commandLine)
            }
            result = try LogExplanation.explain(store: store, run: runID, creditCode: code, serviceID: service)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
        switch result {
        case .explained(let text):
            print(TerminalText.visible(text))
        case .rejected(let text):
            print(TerminalText.visible(text))
            throw ExitCode(1)
        case .notFound(let text):
            Console.error(text + CreditCodeArgument.problemNote(code))
            throw ExitCode(1)
        }
    }
}
