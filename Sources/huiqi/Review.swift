import ArgumentParser
import Foundation
import Huiqi

/// `huiqi review`: record a reviewer's confirm/reject of one decision.
struct ReviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "review",
        abstract: "Confirm or reject one decision (by its id from `huiqi log show`).",
        discussion: """
        Reviews are kept in the log for good: later runs show the latest review \
        of the same business × service, marked with the run it was made in.

        Examples:
          huiqi review 3000000001007 --confirm --by 张三
          huiqi review 3000000001007 --reject --by 李四 --note "已迁出宝安"
        """
    )

    @Argument(help: ArgumentHelp("The decision id (决定编号).", valueName: "DECISION"))
    var decision: String

    @Flag(help: "The decision is right (确认).")
    var confirm = false

    @Flag(help: "The decision is wrong (驳回); say why with --note.")
    var reject = false

    // `.unconditional`: a note such as "-2万 已核减" is the note, not an unknown option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Who reviews (姓名).", valueName: "NAME"))
    var by: String

    @Option(parsing: .unconditional, help: ArgumentHelp("A note kept with the review.", valueName: "TEXT"))
    var note: String?

    @OptionGroup var database: DatabaseOption

    func validate() throws {
        guard confirm != reject else {
            throw ValidationError("give exactly one of --confirm or --reject (请选择 --confirm 确认 或 --reject 驳回, 二选一)")
        }
        guard DecisionID(text: decision) != nil else {
            throw ValidationError("'\(decision)' is not a decision id (不是决定编号); ids are listed by `huiqi log show RUN`")
        }
        guard !by.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw ValidationError("--by must name the reviewer (请用 --by 写明审核人姓名)")
        }
    }

    func run() throws {
        guard let id = DecisionID(text: decision) else { throw ExitCode(2) }
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
            print("审核已记录 review #\(review.id): \(review.verdict.label) decision \(id) — \(what) by \(review.reviewer) at \(ISOTimestamp.local(review.at))")
            if let before, before.verdict != review.verdict {
                print("注意 note: 此前的审核为 \(before.summary(viewedFrom: id.run)); 现以本次为准 (this review overturns it)")
            }
        } catch {
            Console.report(error)
            throw ExitCode(2)
        }
    }
}
