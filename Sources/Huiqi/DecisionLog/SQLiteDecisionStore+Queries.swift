import Foundation
import GRDB

extension SQLiteDecisionStore {
    /// Reasons are stored joined by U+001F (unit separator), which reason text never contains.
    static let reasonSeparator = "\u{1F}"
    static let reasonSeparatorByte: UInt8 = 0x1F

    /// `StreetName.key` as an SQL function, for the `--street` filter.
    static let streetKey = DatabaseFunction("huiqi_street_key", argumentCount: 1, pure: true) { values in
        String.fromDatabaseValue(values[0]).map(StreetName.key)
    }

    public func forEachDecision(run: Int64, filter: DecisionFilter, _ body: (LoggedDecision) throws -> Void) throws {
        try forEachSelected(run: run, filter: filter) { selected in try body(try selected.decoded()) }
    }

    /// `log export` through the exporter's own reading of the log: a CSV row is put together from
    /// cells encoded once for the business, the service and the texts, rather than from a
    /// `LoggedDecision` built for each decision (district-scale review: 24M decisions took 173 s).
    public func export(run: Int64, filter: DecisionFilter, to exporter: LogExporter, before each: () throws -> Void) throws {
        try forEachSelected(run: run, filter: filter) { selected in
            try each()
            try exporter.write(selected)
        }
    }

    public func forEachSelected(run: Int64, filter: DecisionFilter, _ body: (SelectedDecision) throws -> Void) throws {
        let record = try requireRun(run)
        let selection = try EntrySelection(record, filter, log: path)
        let (sql, args) = SQLiteDecisionStore.businessQuery(run: run, filter: filter)
        let decoder = LogRowDecoder(run: record)
        try translating {
            try queue.read { db in
                db.add(function: SQLiteDecisionStore.streetKey)
                let reviews = try latestReviews(db, upToRun: run, creditCode: filter.creditCode)
                let texts = LogTexts(db)
                var emitted = 0
                let cursor = try Row.fetchCursor(db, sql: sql, arguments: args)
                let selectable = selection.accepts
                rows: while let row = try cursor.next() {
                    // Tested on each blob before the business is built.
                    if selection.filtersEntries, try !row.withUnsafeData(atIndex: 6, { data in
                        data.map { $0.withUnsafeBytes { DecisionBlob.anyEntry(in: $0, selectable) } } ?? false
                    }) { continue }
                    let business = try decoder.business(row, path: path)
                    for slot in business.entries.indices {
                        if !selectable(slot, business.entries[slot].outcome) { continue }
                        if let limit = filter.limit, emitted >= limit { break rows }
                        let id = DecisionID(run: run, row: Int(business.row), slot: slot)
                        let review = Self.review(in: reviews, of: business, slot: slot, id: id, decoder: decoder)
                        let selected = SelectedDecision(business: business, slot: slot, review: review, decoder: decoder, texts: texts)
                        if filter.unreviewed && selected.isReviewed { continue }
                        try body(selected)
                        emitted += 1
                    }
                }
            }
        }
    }

    /// The review in effect for the decision `id` in `slot` of `business`: as `decode` names the
    /// service; no lookup when no review was ever made.
    static func review(in reviews: [ReviewKey: ReviewsOfSubject], of business: LogRowDecoder.Business, slot: Int, id: DecisionID,
                       decoder: LogRowDecoder) -> Review? {
        guard !reviews.isEmpty else { return nil }
        let entry = business.entries[slot]
        return reviews[ReviewKey(creditCode: business.creditCode, serviceID: decoder.service(slot: slot).id)]?
            .inEffect(for: id, outcome: Outcome(logCode: entry.outcome) ?? .error, amount: entry.amount, rule: decoder.ruleVersion(entry))
    }

    /// The businesses of `run` that `filter` can select in SQL (service and outcome are inside the
    /// blobs and filtered while decoding), in row order.
    static func businessQuery(run: Int64, filter: DecisionFilter) -> (sql: String, arguments: StatementArguments) {
        var sql = LogRowDecoder.businessSelect + "\nWHERE b.run = ?"
        var args: StatementArguments = [run]
        if let code = filter.creditCode {
            // As a subquery on the row, so the plan looks the business up by code instead of
            // walking the run's rows in order (SQLite prefers the latter for ORDER BY).
            sql += " AND b.row IN (\(SQLiteDecisionStore.rowsWithCode))"
            _ = args.append(contentsOf: [code, run, run, run, code])
        }
        if let street = filter.street {
            // Every spelling of the street as `lists` groups them (StreetName.key), whichever the
            // input held: "新安", "新安街道", "深圳市 宝安区 新安街道办事处"… The key is worked out by
            // SQL function over the texts (a few thousand), not a fixed list of spellings (review:
            // spaces between the parts were missed).
            let key = StreetName.key(street)
            if key.isEmpty {
                sql += " AND 0"  // a blank --street: no street matches it
            } else if key == StreetName.unfilled {
                // The lists' page of businesses without a street, which also holds a street written
                // as "(未填街道)" itself (reviewer review: the page had 3 businesses, the filter 2).
                sql += " AND (b.street_id IS NULL OR b.street_id IN (SELECT id FROM texts WHERE \(SQLiteDecisionStore.streetKey.name)(text) = ?))"
                _ = args.append(contentsOf: [key])
            } else {
                sql += " AND b.street_id IN (SELECT id FROM texts WHERE \(SQLiteDecisionStore.streetKey.name)(text) = ?)"
                _ = args.append(contentsOf: [key])
            }
        }
        return (sql + "\nORDER BY b.row", args)
    }

    public func streets(run: Int64) throws -> [String] {
        try translating {
            try queue.read { db in
                let ids = try Int64?.fetchAll(db, sql: "SELECT DISTINCT street_id FROM businesses WHERE run = ?", arguments: [run])
                let texts = LogTexts(db)
                var keys = Set<String>()
                for case let id? in ids { if let text = try texts.text(id) { keys.insert(StreetName.key(text)) } }
                return keys.sorted(by: StreetName.ordered) + (ids.contains(nil) ? [StreetName.unfilled] : [])
            }
        }
    }

    public func requireDecision(_ id: DecisionID) throws -> LoggedDecision {
        if let decision = try decision(id) { return decision }
        throw try translating { try queue.read { db in try noDecision(db, id) } }
    }

    public func decision(_ id: DecisionID) throws -> LoggedDecision? {
        guard let record = try run(id.run) else { return nil }
        let decoder = LogRowDecoder(run: record)
        return try translating {
            try queue.read { db in
                guard let row = try Row.fetchOne(db, sql: LogRowDecoder.businessSelect + "\nWHERE b.run = ? AND b.row = ?",
                                                 arguments: [id.run, id.row]) else { return nil }
                let business = try decoder.business(row, path: path)
                guard business.entries.indices.contains(id.slot), business.entries[id.slot].outcome != 0 else { return nil }
                var decision = try decoder.decode(business, slot: id.slot, texts: LogTexts(db))
                let reviews = try latestReviews(db, upToRun: id.run, creditCode: decision.record.creditCode)
                decision.review = reviews[ReviewKey(creditCode: decision.record.creditCode, serviceID: decision.decision.serviceID)]?
                    .inEffect(for: decision.id, outcome: decision.decision.outcome, amount: decision.decision.amount, rule: decision.ruleVersion)
                return decision
            }
        }
    }

    public func business(run: Int64, creditCode: String) throws -> LoggedBusiness? {
        try translating {
            try queue.read { db in
                try Row.fetchOne(db, sql: """
                    SELECT b.row, b.input, b.line, b.credit_code, b.name, st.text FROM businesses b
                    LEFT JOIN texts st ON st.id = b.street_id WHERE b.run = ? AND b.row IN (\(SQLiteDecisionStore.rowsWithCode))
                    """, arguments: [run, creditCode, run, run, run, creditCode]).map { r in
                    LoggedBusiness(run: run, row: r[0], input: r[1], line: r[2], creditCode: r[3], name: r[4], street: r[5] ?? "")
                }
            }
        }
    }

    public func forEachReject(run: Int64, _ body: (LoggedReject) throws -> Void) throws {
        try translating {
            try queue.read { db in
                // The raw row as a blob: read as text, SQLite hands it over as a C string, cut at a NUL
                // (data-administrator review: the rejects from the log lost what followed one).
                let cursor = try Row.fetchCursor(db, sql: """
                    SELECT row, file, line, field, reason, credit_code, CAST(raw AS BLOB) FROM rejects WHERE run = ? ORDER BY row
                    """, arguments: [run])
                while let r = try cursor.next() {
                    let raw = (r[6] as Data?).map { String(decoding: $0, as: UTF8.self) }
                    try body(LoggedReject(run: run, row: r[0], reject: Reject(file: r[1], line: r[2], field: r[3], reason: r[4],
                                                                            creditCode: r[5], raw: raw)))
                }
            }
        }
    }

    // MARK: - Reviews

    public func addReview(decision id: DecisionID, verdict: Verdict, reviewer: String, note: String?, at: String) throws -> Review {
        try addReviews(decisions: [id], verdict: verdict, reviewer: reviewer, note: note, at: at, overturned: nil)[0]
    }

    public func addReviews(decisions ids: [DecisionID], verdict: Verdict, reviewer: String, note: String?, at: String,
                           overturned: ((DecisionID, Review) -> Void)? = nil) throws -> [Review] {
        try requireWritable()
        return try translating {
            try queue.write { db in
                var reviews: [Review] = [], missing: [Diagnostic] = []
                for id in ids {
                    let subject: Subject
                    do { subject = try self.subject(db, id) } catch let d as Diagnostic {
                        missing.append(d)
                        continue
                    }
                    if let overturned {
                        // The review in effect before this one, read in this transaction with one
                        // indexed query (review: a pass through `decision(id)` for each id made
                        // `review --from` 8× slower, outside the transaction).
                        let earlier = try Row.fetchAll(db.cachedStatement(sql: SQLiteDecisionStore.reviewSelect + """
                             WHERE r.credit_code = ? AND r.service_id = ? AND r.run <= ? ORDER BY r.id
                            """), arguments: [subject.creditCode, subject.serviceID, id.run]).map(SQLiteDecisionStore.review)
                        if let before = ReviewsOfSubject(reviews: earlier).inEffect(for: id, outcome: subject.outcome, amount: subject.amount,
                                                                                    rule: subject.rule),
                           before.applies(to: id, outcome: subject.outcome, amount: subject.amount, rule: subject.rule), before.verdict != verdict {
                            overturned(id, before)
                        }
                    }
                    try db.execute(sql: """
                        INSERT INTO reviews (run, row, slot, credit_code, service_id, outcome, amount, rule_id, verdict, reviewer, reviewed_at, note)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [id.run, id.row, id.slot, subject.creditCode, subject.serviceID, subject.outcome.logCode,
                                         Review.amountText(subject.amount), subject.rule.id ?? "", verdict.rawValue, reviewer, at, note])
                    reviews.append(Review(id: db.lastInsertedRowID, decision: id, creditCode: subject.creditCode, serviceID: subject.serviceID,
                                          outcome: subject.outcome, amount: Review.amountText(subject.amount), rule: subject.rule,
                                          verdict: verdict, reviewer: reviewer, at: at, note: note))
                }
                // All or none: the transaction is rolled back.
                if ids.count == 1, let only = missing.first { throw only }
                if !missing.isEmpty {
                    throw DiagnosticList(Array(missing.prefix(10)) + [Diagnostic(file: path,
                        "\(missing.count) of \(ids.count) ids name no decision in this log; no review was recorded (未记录任何审核)")])
                }
                return reviews
            }
        }
    }

    public func reviews(for id: DecisionID) throws -> [Review] {
        try translating {
            try queue.read { db in
                let subject = try self.subject(db, id)
                return try Row.fetchAll(db, sql: SQLiteDecisionStore.reviewSelect + """
                     WHERE r.credit_code = ? AND r.service_id = ? AND r.run <= ? ORDER BY r.id
                    """, arguments: [subject.creditCode, subject.serviceID, id.run]).map(SQLiteDecisionStore.review)
            }
        }
    }

    /// What a review is about: the business, service, and the decision's outcome, amount and rule.
    private struct Subject {
        var creditCode: String
        var serviceID: String
        var outcome: Outcome
        var amount: Double?
        var rule: RuleVersion
    }

    /// Who and what decision `id` is about; throws when there is no such decision.
    private func subject(_ db: Database, _ id: DecisionID) throws -> Subject {
        guard let row = try Row.fetchOne(db, sql: """
            SELECT b.credit_code, s.service_id, b.decisions, ru.rules_sha256 FROM businesses b
            JOIN run_services s ON s.run = b.run AND s.slot = ?
            JOIN runs ru ON ru.id = b.run
            WHERE b.run = ? AND b.row = ?
            """, arguments: [id.slot, id.run, id.row]) else { throw try noDecision(db, id) }
        // A damaged row says so (code review: it read as "no decision").
        let entries = try LogRowDecoder.entries(row[2], path: path)
        guard entries.indices.contains(id.slot), entries[id.slot].outcome != 0 else { throw try noDecision(db, id) }
        let entry = entries[id.slot]
        var rule = RuleVersion(id: nil, sourceSHA256: nil, bundleSHA256: row[3])
        if let index = entry.rule, let r = try Row.fetchOne(db.cachedStatement(sql: """
            SELECT rule_id, sha256, modules FROM run_rules WHERE run = ? AND rule_index = ?
            """), arguments: [id.run, index]) {
            rule.id = r[0]
            rule.sourceSHA256 = r[1]
            rule.modules = r[2]
        }
        return Subject(creditCode: row[0], serviceID: row[1], outcome: Outcome(logCode: entry.outcome) ?? .error, amount: entry.amount,
                       rule: rule)
    }

    /// No decision `id`, and the command that lists what is there, with this log's `--db` (review:
    /// "listed by `huiqi log show RUN`" listed ./huiqi.db's, and the run was left to guess): the
    /// decisions of the business of that run and row, else the run's, else the log's runs.
    private func noDecision(_ db: Database, _ id: DecisionID) throws -> Diagnostic {
        let option = path == "huiqi.db" ? "" : " --db \(ShellWord.quoted(path))"
        let head = "no decision \(id) in this log (没有编号为 \(id) 的决定): run \(id.run), row \(id.row), slot \(id.slot); "
        if let business = try Row.fetchOne(db, sql: "SELECT credit_code, name FROM businesses WHERE run = ? AND row = ?", arguments: [id.run, id.row]) {
            let code: String = business[0], name: String = business[1]
            return Diagnostic(file: path, head + "the decisions of \(name) in run \(id.run) (该企业在运行 \(id.run) 中的决定): "
                              + "`huiqi log show \(id.run) --firm \(ShellWord.quoted(code))\(option)`")
        }
        if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [id.run]) == true {
            return Diagnostic(file: path, head + "run \(id.run)'s decision ids are listed by (运行 \(id.run) 的决定编号): `huiqi log show \(id.run)\(option)`")
        }
        return Diagnostic(file: path, head + "no run \(id.run) in this log (日志中没有运行 \(id.run)): see `huiqi log runs\(option)`")
    }

    /// Every review of each business × service in runs up to `run`, in the order made; the one in
    /// effect for a decision is `ReviewsOfSubject.inEffect`.
    func latestReviews(_ db: Database, upToRun run: Int64, creditCode: String?) throws -> [ReviewKey: ReviewsOfSubject] {
        var sql = SQLiteDecisionStore.reviewSelect + " WHERE r.run <= ?"
        var args: StatementArguments = [run]
        if let creditCode {
            sql += " AND r.credit_code = ?"
            _ = args.append(contentsOf: [creditCode])
        }
        var all: [ReviewKey: ReviewsOfSubject] = [:]
        for row in try Row.fetchAll(db, sql: sql + " ORDER BY r.id", arguments: args) {
            let review = SQLiteDecisionStore.review(row)
            all[ReviewKey(creditCode: review.creditCode, serviceID: review.serviceID), default: ReviewsOfSubject()].reviews.append(review)
        }
        return all
    }

    /// The columns `review(_:)` reads: a review, with the hash of its decision's rule, the modules
    /// the rule requires, and the hash of its run's bundle (`RuleVersion`).
    static let reviewSelect = """
        SELECT r.*, rr.sha256 AS rule_sha256, rr.modules AS rule_modules, ru.rules_sha256 AS bundle_sha256 FROM reviews r
        JOIN runs ru ON ru.id = r.run
        LEFT JOIN run_rules rr ON rr.run = r.run AND rr.rule_id = r.rule_id
        """

    static func review(_ r: Row) -> Review {
        let verdict: String = r["verdict"], outcome: Int = r["outcome"]
        // rule_id: NULL when not known (see migration v8), "" when no rule made the decision.
        let ruleSHA256: String? = r["rule_sha256"], bundleSHA256: String = r["bundle_sha256"]
        let rule = (r["rule_id"] as String?).map { id in
            RuleVersion(id: id.isEmpty ? nil : id, sourceSHA256: id.isEmpty ? nil : ruleSHA256,
                        modules: id.isEmpty ? nil : r["rule_modules"], bundleSHA256: bundleSHA256)
        }
        return Review(id: r["id"], decision: DecisionID(run: r["run"], row: r["row"], slot: r["slot"]), creditCode: r["credit_code"],
                      serviceID: r["service_id"], outcome: Outcome(logCode: outcome) ?? .error, amount: r["amount"], rule: rule,
                      verdict: Verdict(rawValue: verdict) ?? .confirm, reviewer: r["reviewer"], at: r["reviewed_at"], note: r["note"])
    }
}

/// The reviews of one business × service, in the order they were made.
struct ReviewsOfSubject {
    var reviews: [Review] = []

    /// The review in effect for decision `id` (outcome `outcome`, amount `amount`, made by `rule`):
    /// the latest review of the decision itself, else the latest review of an earlier run that carries over
    /// (`Review.carriesOver`), else the latest one, which does not apply and says so (需重新审核).
    /// Latest means made last, whatever run it was made in (reviewer review: a confirm made from
    /// an old run's export lost to an earlier reject). An applicable review is never hidden by a
    /// later one of another outcome (code review: a rejected business went back on the lists).
    func inEffect(for id: DecisionID, outcome: Outcome, amount: Double?, rule: RuleVersion) -> Review? {
        reviews.last { $0.run == id.run } ?? reviews.last { $0.carriesOver(to: outcome, amount: amount, rule: rule) } ?? reviews.last
    }
}

/// Business × service, the key a review carries over between runs by.
struct ReviewKey: Hashable {
    var creditCode: String
    var serviceID: String
}
