import ArgumentParser
import Foundation
import Huiqi

/// `huiqi review`: record a reviewer's confirm/reject of one decision.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "审核 (确认或驳回) — Confirm or reject a decision (by its id from `huiqi log show`), or every decision a file lists.",
        discussion: """
        Reviews are kept in the log for good: later runs show the latest review \
        of the same business × service, marked with the run it was made in; it \
        applies there while the outcome is the same, and for a confirmation the \
        amount too (else the decision shows as needing a new review).

        --from FILE reviews many decisions at once: a CSV export cut down in \
        Excel to the rows to review (its 决定编号 column) or a text file of one \
        id per line. Delete the other rows: Excel saves rows a filter hides to \
        the CSV too (筛选隐藏的行也会保存). All are \
        recorded in one transaction: if any id names no decision, none is. The \
        earlier reviews a new one overturns are listed, for one id or many.

        Examples:
          huiqi review 3000000001007 --confirm --by 张三
          huiqi review 3000000001007 --reject --by 李四 --note "已迁出宝安"
          huiqi review --from out/新安-已核实.csv --confirm --by 张三 --note "走访核实"
        """
    )

    @Argument(help: ArgumentHelp("The decision id (决定编号).", valueName: "DECISION"))
    var decision: String?

    @Option(help: ArgumentHelp("Review every decision this file lists: a CSV with a 决定编号 column, or one id per line.",
                               valueName: "FILE"))
    var from: String?

    @Flag(help: "The decision is right (确认).")
    var confirm = false

    @Flag(help: "The decision is wrong (驳回); --note says why (required).")
    var reject = false

    // `.unconditional`: a note such as "-2万 已核减" is the note, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Who reviews (姓名).", valueName: "NAME"))
    var by: String

    @Option(parsing: .unconditional, help: ArgumentHelp("A note kept with the review; with --reject, the reason (required).", valueName: "TEXT"))
    var note: String?

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard confirm != reject else {
            throw ValidationError("give exactly one of --confirm or --reject (请选择 --confirm 确认 或 --reject 驳回, 二选一)")
        }
        guard (decision == nil) != (from == nil) else {
            throw ValidationError("give a decision id or --from FILE, not both (请给出一个决定编号, 或用 --from 给出文件)")
        }
        if let decision, DecisionID(text: decision) == nil {
            let option = database.db == "huiqi.db" ? "" : " --db \(ShellWord.quoted(database.db))"
            throw ValidationError("'\(decision)' is not a decision id (不是决定编号); ids are listed by `huiqi log show RUN\(option)`")
        }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--by must name the reviewer (请用 --by 写明审核人姓名)")
        }
        // A rejection is an official's finding against the rules' decision: the log keeps why
        // (first-day review: one without a reason was recorded, the export's 审核备注 empty).
        if reject, (note ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reject needs --note saying why, e.g. --note \"已迁出宝安\" (驳回须用 --note 写明原因)")
        }
    }

    func run() throws {
        if let from { return try reviewAll(listedIn: from) }
        guard let decision, let id = DecisionID(text: decision) else { throw ExitCode(2) }
        do {
            let store = try database.openForWriting(create: false)
            // The review in effect before this one, to say when this one overturns it.
            let before = try store.decision(id).flatMap { $0.isReviewed ? $0.review : nil }
            let review = try store.addReview(decision: id, verdict: confirm ? .confirm : .reject,
                                             reviewer: by.trimmingCharacters(in: .whitespaces),
                                             note: note.flatMap { $0.isEmpty ? nil : $0 }, at: ISOTimestamp.now())
            let logged = try store.decision(id)
            let what = logged.map { d in
                "\(d.record.name) (\(d.record.creditCode)) × \(d.decision.serviceID) \(d.record.serviceName): \(d.decision.outcome.label)"
            } ?? ""
            print(TerminalText.visible("审核已记录 review #\(review.id): \(review.verdict.label) decision \(id) — \(what) by \(review.reviewer) at \(ISOTimestamp.local(review.at))"))
            if let before, before.verdict != review.verdict {
                print(TerminalText.visible("注意 note: 此前的审核为 \(before.summary(viewedFrom: id.run)); 现以本次为准 (this review overturns it)"))
            }
            // A decision of last year's run reviewed from last year's export (yearly-update review):
            // name the latest run's decision of the same business × service.
            if let logged {
                let runs = try store.runs()
                let asOf = runs.first { $0.id == id.run }?.provenance.asOf ?? "?"
                for later in runs.reversed() where later.id > id.run && later.status == .completed {
                    guard let service = later.service(id: logged.decision.serviceID),
                          let business = try store.business(run: later.id, creditCode: logged.record.creditCode) else { continue }
                    let theirs = DecisionID(run: later.id, row: business.row, slot: service.slot)
                    print("注意 note: decision \(id) is of run \(id.run) (as-of \(asOf)); the log's latest run with this business × service is "
                          + "run \(later.id) (as-of \(later.provenance.asOf)): its decision \(theirs) (审核的是较早运行的决定; "
                          + "之后的运行中由同一规则判定、结果和金额相同时沿用此审核, 见 review.md §3)")
                    break
                }
            }
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }

    /// `--from FILE`: the same review of every decision the file lists, in one transaction.
    private func reviewAll(listedIn path: String) throws {
        do {
            let ids: [DecisionID]
            do {
                ids = try DecisionIDList.read(path: path)
            } catch let list as DiagnosticList {
                // All or none, said as for an id that names no decision.
                throw DiagnosticList(list.diagnostics + [Diagnostic(file: path, "no review was recorded (未记录任何审核): correct or remove the lines above")])
            }
            guard !ids.isEmpty else { throw Diagnostic(file: path, "no decision ids in the file (文件中没有决定编号)") }
            let store = try database.openForWriting(create: false)
            let verdict: Verdict = confirm ? .confirm : .reject
            // The reviews this one overturns, said as for one id (analyst review: a file of 45
            // confirmations overturned a reject without a word).
            var overturned: [(id: DecisionID, before: Review)] = []
            let reviews = try store.addReviews(decisions: ids, verdict: verdict, reviewer: by.trimmingCharacters(in: .whitespaces),
                                               note: note.flatMap { $0.isEmpty ? nil : $0 }, at: ISOTimestamp.now(),
                                               overturned: { overturned.append(($0, $1)) })
            let at = reviews.first.map { ISOTimestamp.local($0.at) } ?? ""
            print("审核已记录 \(reviews.count) \(reviews.count == 1 ? "review" : "reviews"): \(verdict.label) by \(by.trimmingCharacters(in: .whitespaces)) at \(at) (from \(path))")
            // Ids of runs older than the log's latest completed run: perhaps last year's export.
            let runs = try store.runs()
            if let latest = runs.last(where: { $0.status == .completed }) {
                let earlier = Dictionary(grouping: ids.filter { $0.run < latest.id }, by: \.run)
                let count = earlier.values.map(\.count).reduce(0, +)
                if count > 0 {
                    let which = earlier.keys.sorted().map { run in
                        "run \(run)\(runs.first { $0.id == run }.map { " (as-of \($0.provenance.asOf))" } ?? "") ×\(earlier[run]?.count ?? 0)"
                    }.joined(separator: ", ")
                    print("注意 note: \(count) of these decisions \(count == 1 ? "is" : "are") of an earlier run than the log's latest, run \(latest.id) "
                          + "(as-of \(latest.provenance.asOf)): \(which) (审核的是较早运行的决定; 之后的运行中由同一规则判定、结果和金额相同时沿用, 见 review.md §3)")
                }
            }
            if !overturned.isEmpty {
                print("注意 note: \(overturned.count) of them \(overturned.count == 1 ? "overturns" : "overturn") an earlier review; 现以本次为准 (此前的审核被推翻):")
                for o in overturned.prefix(20) {
                    print(TerminalText.visible("  \(o.id) \(o.before.creditCode) × \(o.before.serviceID): 此前 \(o.before.summary(viewedFrom: o.id.run))"))
                }
                if overturned.count > 20 { print("  … and \(overturned.count - 20) more (另有 \(overturned.count - 20) 条)") }
            }
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }
}
