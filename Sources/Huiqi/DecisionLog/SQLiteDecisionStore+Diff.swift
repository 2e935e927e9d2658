import Foundation
import GRDB

extension SQLiteDecisionStore {
    /// Calls `body` with every business × service whose outcome or amount differs between runs
    /// `before` and `after`, in credit-code order, then returns how many businesses each run alone
    /// had. Services are matched by id, businesses by credit code. With `serviceID`, only that
    /// service. Reasons alone changing (a reworded label) is not a difference. A business missing
    /// from a run that did not complete is not a difference either, unless that run rejected it:
    /// it may not have reached it (review: an interrupted run listed every row it never read as
    /// "→ 未评估").
    ///
    /// Both runs are read in code order through SQLite's sorter (memory stays bounded; about a
    /// second per million rows), and merged; only differing decisions are decoded in full.
    @discardableResult
    public func forEachDifference(before: Int64, after: Int64, serviceID: String? = nil,
                                  _ body: (RunDifference) throws -> Void) throws -> RunDifference.Counts {
        let a = try requireRun(before), b = try requireRun(after)
        let serviceID = serviceID.map { (b.service(id: $0) ?? a.service(id: $0))?.id ?? $0 }  // as the runs spell it
        if let serviceID, a.service(id: serviceID) == nil, b.service(id: serviceID) == nil {
            throw Diagnostic(file: path, "neither run \(before) nor run \(after) evaluated service \(serviceID) (两次运行都未评估此服务)")
        }
        // Services of either run, in the later run's order, then the ones only the earlier had.
        var services = b.services.map(\.id)
        for s in a.services.map(\.id) where !services.contains(s) { services.append(s) }
        if let serviceID { services = [serviceID] }
        let names = Dictionary((a.services + b.services).map { ($0.id, $0.name) }, uniquingKeysWith: { _, later in later })
        let slotsA = services.map { a.service(id: $0)?.slot }, slotsB = services.map { b.service(id: $0)?.slot }
        let decoderA = LogRowDecoder(run: a), decoderB = LogRowDecoder(run: b)
        let sql = LogRowDecoder.businessSelect + "\nWHERE b.run = ? ORDER BY b.credit_code, b.row"
        var counts = RunDifference.Counts()
        let beforeComplete = a.status == .completed, afterComplete = b.status == .completed
        try translating {
            try queue.read { db in
                let texts = LogTexts(db)
                // A business a run that did not complete rejected was reached: a real difference.
                let rejected = try db.makeStatement(sql: "SELECT 1 FROM rejects WHERE credit_code = ? AND run = ? LIMIT 1")
                func wasRejected(_ code: String, in run: Int64) throws -> Bool {
                    try Int.fetchOne(rejected, arguments: [code, run]) != nil
                }
                let left = try Row.fetchCursor(db, sql: sql, arguments: [before])
                let right = try Row.fetchCursor(db, sql: sql, arguments: [after])
                var x = try left.next().map { try decoderA.business($0, path: path) }
                var y = try right.next().map { try decoderB.business($0, path: path) }
                func side(_ business: LogRowDecoder.Business?, _ slot: Int?, _ decoder: LogRowDecoder) throws -> RunDifference.Side? {
                    guard let business, let slot, slot < business.entries.count,
                          let outcome = Outcome(logCode: business.entries[slot].outcome) else { return nil }
                    // Without conditions: a difference shows the outcome, amount and reasons only.
                    let decision = try decoder.decode(business, slot: slot, texts: texts, conditions: false).decision
                    return RunDifference.Side(outcome: outcome, amount: decision.amount, reasons: decision.reasons,
                                              decision: DecisionID(run: decoder.run, row: Int(business.row), slot: slot))
                }
                func compare(_ p: LogRowDecoder.Business?, _ q: LogRowDecoder.Business?) throws {
                    guard let shown = q ?? p else { return }
                    for (k, id) in services.enumerated() {
                        let e = p.flatMap { business in slotsA[k].flatMap { $0 < business.entries.count ? business.entries[$0] : nil } }
                        let f = q.flatMap { business in slotsB[k].flatMap { $0 < business.entries.count ? business.entries[$0] : nil } }
                        let outcomeE = e.map(\.outcome).flatMap { $0 == 0 ? nil : $0 }, outcomeF = f.map(\.outcome).flatMap { $0 == 0 ? nil : $0 }
                        if outcomeE == outcomeF && RunDifference.sameAmount(e?.amount, f?.amount) { continue }
                        try body(RunDifference(creditCode: shown.creditCode, name: shown.name, street: shown.street, serviceID: id,
                                               serviceName: names[id] ?? id,
                                               before: try side(p, slotsA[k], decoderA), after: try side(q, slotsB[k], decoderB)))
                    }
                }
                while x != nil || y != nil {
                    if let p = x, let q = y, p.creditCode == q.creditCode {
                        try compare(p, q)
                        x = try left.next().map { try decoderA.business($0, path: path) }
                        y = try right.next().map { try decoderB.business($0, path: path) }
                    } else if let p = x, y.map({ p.creditCode < $0.creditCode }) ?? true {
                        if try afterComplete || wasRejected(p.creditCode, in: after) {
                            counts.onlyBefore += 1
                            try compare(p, nil)
                        } else {
                            counts.notReached += 1
                        }
                        x = try left.next().map { try decoderA.business($0, path: path) }
                    } else {
                        guard let q = y else { break }  // (the loop runs while x or y is there)
                        if try beforeComplete || wasRejected(q.creditCode, in: before) {
                            counts.onlyAfter += 1
                            try compare(nil, q)
                        } else {
                            counts.notReached += 1
                        }
                        y = try right.next().map { try decoderB.business($0, path: path) }
                    }
                }
            }
        }
        return counts
    }
}
