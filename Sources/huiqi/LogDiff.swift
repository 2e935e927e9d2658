import ArgumentParser
import Foundation
import Huiqi

extension Log {
    /// `huiqi log diff`: which businesses a change of rules, catalog or data affects (PRODUCT.md §1).
    struct Diff: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "比较两次运行 — Compare two runs: every business × service whose outcome or amount changed.",
            discussion: """
            Run the profiles once with the published rules and once with the changed \
            ones (or two years' as-of dates, or two exports), then compare: each \
            business × service whose outcome or amount differs, with the new reasons, \
            and per service how many moved between outcomes. Only outcomes and amounts \
            are compared: a decision whose reasons alone changed is not listed. \
            Businesses are matched by 统一社会信用代码, services by id; a business or \
            service only one run had shows as 未评估 on the other side, except the \
            businesses a run that did not complete never reached, which are only \
            counted (not compared). The summary ends with the services only one run \
            evaluated; per service, the params (amounts, caps, rates, as each run \
            resolved them on its as-of date) that differ and the rules added, removed or \
            with other conditions; the catalog versions if they differ; and whether the \
            two runs read the same profile files.

            Examples:
              # run 1: the published rules; run 2: the draft in Draft/; one as-of date
              huiqi run profiles.csv --as-of 2026-03-01 --db trial.db
              huiqi run profiles.csv --as-of 2026-03-01 --rules Draft --db trial.db
              huiqi log diff 1 2 --db trial.db
              huiqi log diff 1 2 --service FIN-04 --out fin04.csv --db trial.db
            """
        )

        @Argument(help: ArgumentHelp("The earlier run (see `huiqi log runs`).", valueName: "RUN_A"))
        var before: Int64

        @Argument(help: ArgumentHelp("The later run.", valueName: "RUN_B"))
        var after: Int64

        @Option(help: ArgumentHelp("Only this service.", valueName: "ID"))
        var service: String?

        @Option(help: ArgumentHelp("Write every change to FILE instead: .csv (Excel; split at its row limit into FILE.part2.csv, …) or .jsonl.",
                                   valueName: "FILE"))
        var out: String?

        @OptionGroup var listing: ListingOptions
        @OptionGroup var database: DatabaseOption

        func validate() throws {
            if let out, !(out.lowercased().hasSuffix(".csv") || out.lowercased().hasSuffix(".jsonl")) {
                throw ValidationError("--out must end in .csv or .jsonl (输出文件名应以 .csv 或 .jsonl 结尾)")
            }
        }

        func run() throws {
            do {
                let store = try database.openForReading()
                let a = try store.requireRun(before), b = try store.requireRun(after)
                if let out {
                    // As `log export`: never over the log or an input of either run.
                    try OutputPaths.check(out: out, exporting: a, log: database.db)
                    try OutputPaths.check(out: out, exporting: b, log: database.db)
                    try FileManager.default.createDirectory(at: URL(fileURLWithPath: out).deletingLastPathComponent(),
                                                            withIntermediateDirectories: true)
                }
                for r in [a, b] where r.status != .completed {
                    Console.error("run \(r.id) is \(r.status.rawValue) (\(r.status.label)): only the businesses it committed are compared")
                }
                var transitions: [String: [String: Int]] = [:]
                // Differences come in code order: a business is new when its code is (no set of codes).
                var businesses = 0, lastCode: String?
                var count = 0
                func tally(_ d: RunDifference) {
                    transitions[d.serviceID, default: [:]][d.outcomeChanged ? d.change : "金额变化", default: 0] += 1
                    if d.creditCode != lastCode { businesses += 1 }
                    lastCode = d.creditCode
                    count += 1
                }
                let only: RunDifference.Counts
                // --out: the file's extension chooses the format, as `log export`; all rows.
                let format = out.map { $0.lowercased().hasSuffix(".jsonl") ? "jsonl" : "csv" } ?? listing.format
                let cap = out == nil ? listing.cap ?? Int.max : Int.max
                switch format {
                case "table":
                    print("运行 run \(before) → \(after)   判定日期 as-of \(a.provenance.asOf) → \(b.provenance.asOf)   "
                          + "规则 SHA-256 \(a.provenance.rulesSHA256.prefix(12))… → \(b.provenance.rulesSHA256.prefix(12))…")
                    var table = PagedTable<[String]> {
                        TextTable.render(headers: ["决定编号 id", "统一社会信用代码", "名称", "街道", "服务", "变化", "理由(运行\(after))"], rows: $0)
                    }
                    only = try store.forEachDifference(before: before, after: after, serviceID: service) { d in
                        tally(d)
                        guard table.count < cap else { return }
                        table.add([d.decisionID?.description ?? "", d.creditCode, d.name, d.street, d.serviceID, d.change,
                                   d.after?.reasons.joined(separator: "; ") ?? ""])
                    }
                    table.flush()
                    if table.count == 0 { print("no decision changed (没有变化的决定)") }
                    if count > table.count { print("… \(count - table.count) more: use --limit 0, or --out FILE.csv (更多结果未显示)") }
                default:
                    // With --out, as `log export`: written under a temporary name and put in place when
                    // complete, so a signal or a failure leaves no file cut short (code review) and
                    // an earlier file at that path as it was (reviewer review). Signals are caught
                    // before the file is made.
                    let interrupt = out == nil ? nil : InterruptSignal()
                    defer { interrupt?.restore() }
                    let csv: CSVWriter? = format != "csv" ? nil
                        : try out.map { try CSVWriter(url: URL(fileURLWithPath: $0), staged: true) } ?? CSVWriter(fileHandle: FileHandle.standardOutput, bom: Console.stdoutIsRegularFile)
                    let jsonlFile: StagedFile? = format == "jsonl" ? try out.map { try StagedFile($0) } : nil
                    let jsonl = jsonlFile?.handle ?? FileHandle.standardOutput
                    try csv?.writeRow(["决定编号", "统一社会信用代码", "企业名称", "所属街道", "服务编号", "服务名称", "变化",
                                       "运行\(before)结果", "运行\(after)结果", "运行\(before)金额", "运行\(after)金额", "运行\(after)理由"])
                    var lines: [UInt8] = []
                    var written = 0
                    func writeLines() throws {
                        do { try jsonl.write(contentsOf: lines) } catch { throw Diagnostic.writeFailed(error, file: out ?? "standard output") }
                        lines.removeAll(keepingCapacity: true)
                    }
                    do {
                        only = try store.forEachDifference(before: before, after: after, serviceID: service) { d in
                            if let signal = interrupt?.signal { throw DiffInterrupted(signal: signal) }
                            tally(d)
                            guard written < cap else { return }
                            written += 1
                            if let csv {
                                let outcomes: [CSVWriter.Cell] = [.text(d.before?.outcome.label ?? "未评估"), .text(d.after?.outcome.label ?? "未评估")]
                                let amounts: [CSVWriter.Cell] = [.literal(RunDifference.money(d.before?.amount)), .literal(RunDifference.money(d.after?.amount))]
                                let business: [CSVWriter.Cell] = [.identifier(d.decisionID?.description ?? ""), .identifier(d.creditCode),
                                                                  .text(d.name), .text(d.street)]
                                let service: [CSVWriter.Cell] = [.text(d.serviceID), .text(d.serviceName), .text(d.change)]
                                let reasons = d.after?.reasons.joined(separator: "; ") ?? ""
                                try csv.writeRow(business + service + outcomes + amounts + [.text(reasons)])
                            } else {
                                lines += d.jsonLine()
                                if lines.count >= 1 << 18 { try writeLines() }
                            }
                        }
                        if let signal = interrupt?.signal { throw DiffInterrupted(signal: signal) }
                        try csv?.close()
                        try writeLines()
                        try jsonlFile?.commit()
                    } catch {
                        guard out != nil else { throw error }
                        csv?.discard()
                        jsonlFile?.discard()
                        throw Console.outputStopped(error, signal: interrupt?.signal, left: csv?.afterDiscard ?? jsonlFile?.afterDiscard ?? "",
                                                    what: "the diff stopped (写出失败)")
                    }
                    if let out {
                        print("\(written) 条变化 changes → \(csv.map { Console.csvFiles($0.paths) } ?? out)")
                    } else if let csv {
                        Console.warnIfBeyondExcel(rows: csv.rowCount, instead: "huiqi log diff \(before) \(after) --out FILE.csv")
                    }
                }
                // The summary: on standard output after a table, on standard error after csv/jsonl
                // (which a program or a file takes).
                let say: (String) -> Void = listing.format == "table" || out != nil ? { print($0) } : { Console.error($0) }
                var summary = "变化 changed: \(count) decisions of \(businesses) businesses; only in run \(before): \(only.onlyBefore), only in run \(after): \(only.onlyAfter) businesses"
                if only.notReached > 0 { summary += "; not compared (a run that did not complete may not have reached them): \(only.notReached)" }
                say(summary)
                // In the catalog's order, as the later run planned its services (reviewer review:
                // alphabetical); a service only the earlier run evaluated goes after the one before
                // it there (it was listed last: a retired RENT-02 after RWD-01).
                var ids = b.services.map(\.id)
                for (i, s) in a.services.enumerated() where !ids.contains(s.id) {
                    let before = a.services[..<i].last { ids.contains($0.id) }.flatMap { p in ids.firstIndex(of: p.id) }
                    ids.insert(s.id, at: before.map { $0 + 1 } ?? 0)
                }
                let order = Dictionary(ids.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
                for (id, moves) in transitions.sorted(by: { (order[$0.key] ?? .max, $0.key) < (order[$1.key] ?? .max, $1.key) }) {
                    say("  \(id)  " + moves.sorted(by: { $0.key < $1.key }).map { "\($0.key) \($0.value)" }.joined(separator: "   "))
                }
                // Why they moved, where the log can say: services one run did not evaluate (out of
                // their window, or not in its catalog), and params that differ (a new year's
                // amounts change only the catalog; analyst review). Runs logged before v6 kept no params.
                let wanted = { (id: String) in service.map { Service.lookupKey($0) == Service.lookupKey(id) } ?? true }
                let onlyA = a.services.filter { wanted($0.id) && b.service(id: $0.id) == nil }.map(\.id)
                let onlyB = b.services.filter { wanted($0.id) && a.service(id: $0.id) == nil }.map(\.id)
                if !onlyA.isEmpty { say("只在运行\(before)中评估 evaluated only in run \(before): \(onlyA.joined(separator: ", "))") }
                if !onlyB.isEmpty { say("只在运行\(after)中评估 evaluated only in run \(after): \(onlyB.joined(separator: ", "))") }
                var paramLines: [String] = []
                for s in b.services where wanted(s.id) {
                    guard let earlier = a.service(id: s.id) else { continue }
                    let changes = s.paramChanges(since: earlier)
                    if !changes.isEmpty { paramLines.append("  \(s.id)  " + changes.joined(separator: "; ")) }
                }
                if !paramLines.isEmpty {
                    say("参数变化 params changed (运行\(before) → 运行\(after)):")
                    paramLines.forEach(say)
                }
                // The rules and the data: a new year's rule, or other profiles, explain a change
                // as params do (yearly-update review: the diff named params only).
                let ruleLines = b.services.filter { wanted($0.id) && a.service(id: $0.id) != nil }.compactMap { s -> String? in
                    let changes = RunRecord.ruleChanges(of: s.id, from: a, to: b)
                    return changes.isEmpty ? nil : "  \(s.id)  " + changes.joined(separator: "; ")
                }
                if !ruleLines.isEmpty {
                    say("规则变化 rules changed (运行\(before) → 运行\(after)):")
                    ruleLines.forEach(say)
                }
                if a.provenance.catalogVersion != b.provenance.catalogVersion {
                    say("服务目录版本 catalog \(a.provenance.catalogVersion) → \(b.provenance.catalogVersion)")
                }
                // Another hash and nothing else the log keeps: an edit of a rule's code (review: a
                // rule edited between two runs showed only as two hashes in the header).
                if a.provenance.rulesSHA256 != b.provenance.rulesSHA256, ruleLines.isEmpty, paramLines.isEmpty, service == nil,
                   a.provenance.catalogVersion == b.provenance.catalogVersion, a.provenance.schemaSHA256 == b.provenance.schemaSHA256,
                   !a.provenance.rules.isEmpty, a.services.map(\.id) == b.services.map(\.id),
                   a.provenance.rules.map(\.comparable) == b.provenance.rules.map(\.comparable) {
                    // Both runs keep each rule file's hash (log v8): the rule files are the same; and the
                    // hashes of the modules they require (v9): those are the same too.
                    let both = a.provenance.rules + b.provenance.rules
                    let filesKept = both.allSatisfy { $0.sourceSHA256 != nil }, modulesKept = both.allSatisfy { $0.modules != nil }
                    say("规则包不同 the rules bundles differ (SHA-256), with the same rules, conditions and params: "
                        + (filesKept && modulesKept
                           ? "the rule files and the lib modules they require are the same (SHA-256), so a test file, a module no rule requires or another file of the bundle changed"
                           : filesKept ? "the rule files are the same (SHA-256), so a lib module, test file or another file of the bundle changed"
                           : "a rule's code or another file of the bundle changed (the log keeps no code)"))
                }
                say(RunRecord.inputsComparison(a, b))
                // Two years' runs: conditions on the firm's age, "the last 12 months" and windows
                // move with the date (rules.md §10); the header alone did not say so.
                if a.provenance.asOf != b.provenance.asOf {
                    say("判定日期不同 the as-of dates differ (\(a.provenance.asOf) → \(b.provenance.asOf)): some changes come from the date itself "
                        + "(成立年限、近12个月、窗口期随日期变); to see what the rules change alone, run both bundles with the same --as-of")
                }
            } catch let exit as ExitCode {
                throw exit
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
        }

        private struct DiffInterrupted: Error {
            var signal: Int32
        }
    }
}

private extension LoggedRule {
    /// What the log keeps of a rule, apart from its file's path (the bundles may be two folders).
    var comparable: [String] { [id, serviceID, hasEvaluate ? "evaluate" : "conditions"] + conditionLabels }
}
