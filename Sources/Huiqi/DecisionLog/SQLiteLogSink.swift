import Foundation
import GRDB

/// Writes one run's businesses, decisions and rejects into a `SQLiteDecisionStore`.
///
/// `consume` only buffers (one chunk of `BatchRun`, so memory stays bounded); `commit(rowsRead:)`
/// writes the buffer in one transaction, together with the run's `rows_committed`: one
/// `businesses` row per business with its decisions packed into a blob (`DecisionBlob`).
///
/// It works from the engine's compact `SlotResult`s: a reason list is built (by the run's
/// `DecisionBuilder`) only the first time a (slot, rule, outcome, condition states) pattern
/// occurs, and reasons (`evaluate` rules word theirs per business) are compared byte for byte with
/// the last few of their slot before hashing.
///
/// Repeated texts (reasons, missing fields, streets, errors) are stored once. `consume` resolves
/// them from in-memory caches of committed ids; a text not seen before gets a provisional
/// reference, interned at the next commit, and joins the caches only once that commit succeeded
/// (a rolled-back id must never be reused). Caches are dropped when they grow past `cacheLimit`.
final class SQLiteLogSink: DecisionSink {
    /// A reference to a stored text or error: > 0 its id, 0 none, < 0 `-(i + 1)` for the i-th new
    /// one of this chunk.
    private typealias Ref = Int64

    private struct PendingBusiness {
        var row: Int, input: Int, line: Int
        var creditCode: String, name: String
        var street: Ref
    }

    /// A `LogEntry` whose text references may still be provisional.
    private struct PendingDecision {
        var rule: Int64?, outcome: Int, packed: Int64
        var reason: Ref, missing: Ref, error: Ref
        var amount: Double?, score: Double?
    }

    /// Compared and hashed by bytes, like texts (see `TextKey`).
    private struct ErrorKey: Hashable {
        var message: String
        var traceback: String?

        static func == (a: ErrorKey, b: ErrorKey) -> Bool {
            TextKey(a.message) == TextKey(b.message) && a.traceback.map(TextKey.init) == b.traceback.map(TextKey.init)
        }
        func hash(into hasher: inout Hasher) {
            hasher.combine(TextKey(message))
            hasher.combine(traceback.map(TextKey.init))
        }
    }

    static let cacheLimit = 50_000

    private let store: SQLiteDecisionStore
    private let run: Int64
    private let slotCount: Int
    private let ruleIndexByID: [String: Int64]
    private let inputByPath: [String: Int]
    /// Each input's path as the run was first given it (a resumed run may read it by absolute path).
    private let inputPaths: [Int: String]
    private let schema: Schema

    private var businesses: [PendingBusiness] = []
    private var decisions: [PendingDecision] = []
    private var rejects: [(row: Int, reject: Reject)] = []
    private var moduleChanges: [RunSummary.ModuleChange] = []

    // Committed ids.
    private var textIDs: [TextKey: Int64] = [:]
    private var errorIDs: [ErrorKey: Int64] = [:]
    // New in this chunk.
    private var newTexts: [String] = []
    private var newTextRefs: [TextKey: Ref] = [:]
    private var newErrors: [ErrorKey] = []
    private var newErrorRefs: [ErrorKey: Ref] = [:]
    /// What a decision's reason list and missing-field list depend on (all but `evaluate` reasons).
    private struct ReasonPattern: Hashable {
        var slot: Int, rule: Int, code: Int, packed: Int64
        var missing: MissingFields
        /// The host's "missing data while computing the amount" marker.
        var amount: Bool

        func hash(into hasher: inout Hasher) {
            hasher.combine(slot &* 31 &+ rule)
            hasher.combine(packed)
            hasher.combine(code &* 2 &+ (amount ? 1 : 0))
            hasher.combine(missing)
        }
    }

    /// A pattern seen lately and the references it resolved to (see `recentPattern`). Plain data
    /// (missing fields as `MissingFields.inlineBits`), so moving one copies no references.
    private struct RecentPattern {
        var rule: Int, code: Int, packed: Int64
        var missing: UInt64, amount: Bool
        var reason: Ref, missingText: Ref
    }
    /// Per slot, up to `recentLimit` patterns seen lately, most used first: slot s's are
    /// `recentPatterns[s * recentLimit ..< s * recentLimit + recentPatternCount[s]]`. One flat
    /// array: moving an entry of a nested one cost ~260 instructions (uniqueness checks), and
    /// reading a slot's list retained it.
    private var recentPatterns: [RecentPattern]
    private var recentPatternCount: [Int]
    /// Reason and missing-field references by the pattern that determines them.
    private var patternReasons: [ReasonPattern: (reason: Ref, missing: Ref)] = [:]
    /// Streets seen lately, compared byte for byte (a district has about ten).
    private var recentStreets: [(text: String, ref: Ref)] = []
    /// Per slot, the reason lists seen lately: comparing a list byte for byte with a few
    /// candidates is much cheaper than hashing it (hashing Chinese text normalizes it first), and
    /// a service's decisions repeat a handful of reason lists.
    private var recentReasons: [[(list: [String], ref: Ref)]]
    /// Per slot, the last rule id and its index (a slot is almost always decided by one rule).
    private var lastRule: [(id: String, index: Int64)?]
    private static let recentLimit = 8

    init(store: SQLiteDecisionStore, run record: RunRecord, schema: Schema) {
        self.store = store
        run = record.id
        slotCount = record.services.count
        ruleIndexByID = Dictionary(record.provenance.rules.map { ($0.id, Int64($0.index)) }, uniquingKeysWith: { a, _ in a })
        var inputs: [String: Int] = [:]
        for input in record.provenance.inputs {
            // `Profile.source` is the path as `ProfileStream` names it: the given path's URL relativePath.
            inputs[URL(fileURLWithPath: input.path).relativePath] = input.ordinal
            inputs[input.path] = input.ordinal
            inputs[input.absolutePath] = input.ordinal
        }
        inputByPath = inputs
        inputPaths = Dictionary(record.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        self.schema = schema
        recentReasons = Array(repeating: [], count: record.services.count)
        recentPatterns = Array(repeating: RecentPattern(rule: 0, code: 0, packed: 0, missing: 0, amount: false, reason: 0, missingText: 0),
                               count: record.services.count * SQLiteLogSink.recentLimit)
        recentPatternCount = Array(repeating: 0, count: record.services.count)
        lastRule = Array(repeating: nil, count: record.services.count)
    }

    // MARK: - Consuming

    func consume(_ business: EvaluatedProfile, row: Int) throws {
        let count = business.builder == nil ? business.records?.count ?? 0 : business.results.count
        guard count == slotCount else {
            throw Diagnostic(file: store.path, "internal error: \(count) decisions for row \(row), the run planned \(slotCount) services")
        }
        businesses.append(PendingBusiness(row: row, input: inputByPath[business.profile.source] ?? -1, line: business.profile.line,
                                          creditCode: business.creditCode, name: business.name,
                                          street: business.street.isEmpty ? 0 : street(business.street)))
        if let builder = business.builder {
            // By pointer: passing `results[slot]` copied every `SlotResult` first (retaining what it
            // holds), 10% of `consume`'s instructions under callgrind.
            business.results.withUnsafeBufferPointer { results in
                for slot in results.indices { decisions.append(pending(results.baseAddress! + slot, slot: slot, builder: builder)) }
            }
        } else {
            for (slot, record) in (business.records ?? []).enumerated() { decisions.append(pending(record.decision, slot: slot)) }
        }
    }

    /// Straight from the compact result: an `evaluate` rule's own reason is compared with recent
    /// ones; every other reason (and missing-field list) is built once per `ReasonPattern`.
    /// Rule errors and unknown(…) reasons, rare and each with its own text, go through a built `Decision`.
    private func pending(_ result: UnsafePointer<SlotResult>, slot: Int, builder: DecisionBuilder) -> PendingDecision {
        let code = result.pointee.code, ruleIndex = result.pointee.ruleIndex
        // Rule errors and reasons given with unknown(…), rare and each with its own text.
        guard code != 4, result.pointee.undeterminedReasons == nil else { return pending(builder.decision(for: result.pointee, at: slot), slot: slot) }
        let hasRule = builder.rules.indices.contains(ruleIndex)
        let evaluates = builder.ruleEvaluates(ruleIndex)
        let outcome = result.pointee.outcome
        var d = PendingDecision(rule: hasRule ? Int64(ruleIndex) : nil, outcome: outcome.logCode,
                                packed: hasRule && !evaluates ? result.pointee.packed : 0, reason: 0, missing: 0, error: 0,
                                amount: result.pointee.amount, score: result.pointee.score)
        let plain = result.pointee.missing.isEmpty
        if evaluates, code != 5, plain {
            d.reason = reason(result.pointee.reason ?? Decision.defaultReason(outcome), slot: slot)
            return d
        }
        let missing = result.pointee.missing
        let amount = !plain && result.pointee.reason == "amount"
        // More than four missing fields (rare) skip the recent patterns for the dictionary.
        let bits = missing.inlineBits
        if let bits, let refs = recentPattern(slot: slot, rule: ruleIndex, code: code, packed: d.packed, missing: bits, amount: amount) {
            (d.reason, d.missing) = refs
            return d
        }
        let key = ReasonPattern(slot: slot, rule: ruleIndex, code: code, packed: d.packed, missing: missing, amount: amount)
        if let refs = patternReasons[key] {
            (d.reason, d.missing) = refs
        } else {
            let built = pending(builder.decision(for: result.pointee, at: slot), slot: slot)
            (d.reason, d.missing) = (built.reason, built.missing)
            if patternReasons.count < 4096 { patternReasons[key] = (built.reason, built.missing) }
        }
        if let bits {
            remember(RecentPattern(rule: ruleIndex, code: code, packed: d.packed, missing: bits, amount: amount,
                                   reason: d.reason, missingText: d.missing), slot: slot)
        }
        return d
    }

    /// The reason and missing-field references of a recent pattern of `slot`: a few integer
    /// comparisons, where the dictionary would hash. A hit moves one place towards the front.
    private func recentPattern(slot: Int, rule: Int, code: Int, packed: Int64, missing: UInt64, amount: Bool) -> (Ref, Ref)? {
        let base = slot * SQLiteLogSink.recentLimit, end = base + recentPatternCount[slot]
        return recentPatterns.withUnsafeMutableBufferPointer { r -> (Ref, Ref)? in
            for k in base..<end where r[k].packed == packed && r[k].code == code && r[k].rule == rule
                && r[k].amount == amount && r[k].missing == missing {
                let refs = (r[k].reason, r[k].missingText)
                if k > base { r.swapAt(k, k - 1) }
                return refs
            }
            return nil
        }
    }

    /// Puts `pattern` first among `slot`'s recent ones, dropping the last when they are full.
    private func remember(_ pattern: RecentPattern, slot: Int) {
        let base = slot * SQLiteLogSink.recentLimit
        let count = min(recentPatternCount[slot] + 1, SQLiteLogSink.recentLimit)
        recentPatterns.withUnsafeMutableBufferPointer { r in
            var k = base + count - 1
            while k > base { r[k] = r[k - 1]; k -= 1 }
            r[base] = pattern
        }
        recentPatternCount[slot] = count
    }

    /// Keeps, for each slot, the recent patterns `keep` accepts, in order (after a failed commit).
    private func filterRecentPatterns(_ keep: (RecentPattern) -> Bool) {
        for slot in recentPatternCount.indices {
            let base = slot * SQLiteLogSink.recentLimit
            var n = 0
            for k in base..<(base + recentPatternCount[slot]) where keep(recentPatterns[k]) {
                recentPatterns[base + n] = recentPatterns[k]
                n += 1
            }
            recentPatternCount[slot] = n
        }
    }

    private func pending(_ d: Decision, slot: Int) -> PendingDecision {
        PendingDecision(rule: ruleIndex(d.ruleID, slot: slot), outcome: d.outcome.logCode, packed: LogRowDecoder.pack(d.conditions),
                        reason: reasons(d.reasons, slot: slot), missing: LogRowDecoder.missingText(d.conditions).map(text) ?? 0,
                        error: d.errorMessage.map { error(ErrorKey(message: $0, traceback: d.traceback)) } ?? 0,
                        amount: d.amount, score: d.score)
    }

    private func street(_ name: String) -> Ref {
        if let hit = recentStreets.first(where: { SQLiteLogSink.sameBytes($0.text, name) }) { return hit.ref }
        let ref = text(name)
        if recentStreets.count < 32 { recentStreets.append((name, ref)) }
        return ref
    }

    func consume(moduleChange: RunSummary.ModuleChange) throws {
        moduleChanges.append(moduleChange)
    }

    func consume(reject: Reject, row: Int) throws {
        var reject = reject
        if let ordinal = inputByPath[reject.file], let given = inputPaths[ordinal] { reject.file = given }
        rejects.append((row, reject))
    }

    private func text(_ s: String) -> Ref {
        let key = TextKey(s)
        if let id = textIDs[key] { return id }
        if let ref = newTextRefs[key] { return ref }
        newTexts.append(s)
        let ref = -Ref(newTexts.count)
        newTextRefs[key] = ref
        return ref
    }

    private func ruleIndex(_ id: String?, slot: Int) -> Int64? {
        guard let id else { return nil }
        if let last = lastRule[slot], last.id == id { return last.index }
        guard let index = ruleIndexByID[id] else { return nil }
        lastRule[slot] = (id, index)
        return index
    }

    private func reasons(_ list: [String], slot: Int) -> Ref {
        guard !list.isEmpty else { return 0 }
        if let k = recentReasons[slot].firstIndex(where: { SQLiteLogSink.sameBytes($0.list, list) }) {
            return recentReference(at: k, slot: slot)
        }
        let ref = reasons(list)
        recentReasons[slot].insert((list, ref), at: 0)
        if recentReasons[slot].count > SQLiteLogSink.recentLimit { recentReasons[slot].removeLast() }
        return ref
    }

    /// `reasons([text], slot:)`, without building the one-element list for a recent one, nor
    /// searching the recent lists twice and joining one element for a new one (an `evaluate`
    /// rule's reason is often new: it names the business's own figures).
    private func reason(_ text: String, slot: Int) -> Ref {
        if let k = recentReasons[slot].firstIndex(where: { $0.list.count == 1 && SQLiteLogSink.sameBytes($0.list[0], text) }) {
            return recentReference(at: k, slot: slot)
        }
        let ref = self.text(text)
        recentReasons[slot].insert(([text], ref), at: 0)
        if recentReasons[slot].count > SQLiteLogSink.recentLimit { recentReasons[slot].removeLast() }
        return ref
    }

    /// The reference of recent reason list `k` of `slot`, moved one place towards the front so that
    /// frequent lists are found first (in place: a copy of the slot's list would be copied again on write).
    private func recentReference(at k: Int, slot: Int) -> Ref {
        let ref = recentReasons[slot][k].ref
        if k > 0 { recentReasons[slot].swapAt(k, k - 1) }
        return ref
    }

    private func reasons(_ list: [String]) -> Ref {
        text(list.joined(separator: SQLiteDecisionStore.reasonSeparator))
    }

    /// Byte equality (stricter than `==`, which compares canonical equivalence, and cheaper).
    private static func sameBytes(_ a: [String], _ b: [String]) -> Bool {
        guard a.count == b.count else { return false }
        for i in a.indices where !sameBytes(a[i], b[i]) { return false }
        return true
    }

    fileprivate static func sameBytes(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        let same = x.withContiguousStorageIfAvailable { p in
            y.withContiguousStorageIfAvailable { q -> Bool in
                guard let pa = p.baseAddress, let qa = q.baseAddress else { return p.count == q.count }
                return memcmp(pa, qa, p.count) == 0
            }
        } ?? nil
        return same ?? x.elementsEqual(y)
    }

    private func error(_ key: ErrorKey) -> Ref {
        if let id = errorIDs[key] { return id }
        if let ref = newErrorRefs[key] { return ref }
        newErrors.append(key)
        let ref = -Ref(newErrors.count)
        newErrorRefs[key] = ref
        return ref
    }

    // MARK: - Committing

    func commit(rowsRead: Int) throws {
        var textIDsOfNew: [Int64] = [], errorIDsOfNew: [Int64] = []
        do {
            try store.queue.write { db in
                textIDsOfNew = try internNewTexts(db)
                errorIDsOfNew = try internNewErrors(db)
                try write(db, rowsRead: rowsRead, texts: textIDsOfNew, errors: errorIDsOfNew)
            }
        } catch {
            clearChunk()
            // Provisional references point at rolled-back texts.
            recentReasons = recentReasons.map { $0.filter { $0.ref >= 0 } }
            patternReasons = patternReasons.filter { $0.value.reason >= 0 && $0.value.missing >= 0 }
            recentStreets = recentStreets.filter { $0.ref >= 0 }
            filterRecentPatterns { $0.reason >= 0 && $0.missingText >= 0 }
            throw SQLiteDecisionStore.diagnostic(error, path: store.path)
        }
        // Committed: the new ids are real now.
        if textIDs.count > SQLiteLogSink.cacheLimit { textIDs.removeAll() }
        if errorIDs.count > SQLiteLogSink.cacheLimit { errorIDs.removeAll() }
        for (i, s) in newTexts.enumerated() { textIDs[TextKey(s)] = textIDsOfNew[i] }
        for (i, key) in newErrors.enumerated() { errorIDs[key] = errorIDsOfNew[i] }
        for slot in recentReasons.indices where recentReasons[slot].contains(where: { $0.ref < 0 }) {
            recentReasons[slot] = recentReasons[slot].map { ($0.list, resolve($0.ref, textIDsOfNew) ?? 0) }
        }
        if !textIDsOfNew.isEmpty {
            for (key, refs) in patternReasons where refs.reason < 0 || refs.missing < 0 {
                patternReasons[key] = (resolve(refs.reason, textIDsOfNew) ?? 0, resolve(refs.missing, textIDsOfNew) ?? 0)
            }
            recentStreets = recentStreets.map { ($0.text, resolve($0.ref, textIDsOfNew) ?? 0) }
            // Each slot's live entries only: past its count are leftovers, never read again.
            for slot in recentPatternCount.indices {
                let base = slot * SQLiteLogSink.recentLimit
                for k in base..<(base + recentPatternCount[slot]) where recentPatterns[k].reason < 0 || recentPatterns[k].missingText < 0 {
                    recentPatterns[k].reason = resolve(recentPatterns[k].reason, textIDsOfNew) ?? 0
                    recentPatterns[k].missingText = resolve(recentPatterns[k].missingText, textIDsOfNew) ?? 0
                }
            }
        }
        clearChunk()
    }

    private func clearChunk() {
        businesses.removeAll(keepingCapacity: true)
        decisions.removeAll(keepingCapacity: true)
        rejects.removeAll(keepingCapacity: true)
        moduleChanges.removeAll()
        newTexts.removeAll()
        newTextRefs.removeAll()
        newErrors.removeAll()
        newErrorRefs.removeAll()
    }

    private func resolve(_ ref: Ref, _ new: [Int64]) -> Int64? {
        ref > 0 ? ref : ref == 0 ? nil : new[Int(-ref - 1)]
    }

    private func internNewTexts(_ db: Database) throws -> [Int64] {
        guard !newTexts.isEmpty else { return [] }
        let insert = try db.cachedStatement(sql: "INSERT INTO texts (text) VALUES (?) ON CONFLICT (text) DO NOTHING")
        let select = try db.cachedStatement(sql: "SELECT id FROM texts WHERE text = ?")
        return try newTexts.map { s in
            try insert.execute(arguments: [s])
            if db.changesCount > 0 { return db.lastInsertedRowID }
            guard let id = try Int64.fetchOne(select, arguments: [s]) else {
                throw Diagnostic(file: store.path, "internal error: text not interned")
            }
            return id
        }
    }

    private func internNewErrors(_ db: Database) throws -> [Int64] {
        guard !newErrors.isEmpty else { return [] }
        let select = try db.cachedStatement(sql: "SELECT id FROM errors WHERE message = ? AND traceback IS ?")
        let insert = try db.cachedStatement(sql: "INSERT INTO errors (message, traceback) VALUES (?, ?)")
        return try newErrors.map { key in
            if let id = try Int64.fetchOne(select, arguments: [key.message, key.traceback]) { return id }
            try insert.execute(arguments: [key.message, key.traceback])
            return db.lastInsertedRowID
        }
    }

    /// Businesses per `INSERT`: one statement for many rows spares SQLite's per-statement work
    /// (its start and `sqlite3VdbeHalt`, about 1.5k instructions a statement under callgrind).
    static let rowsPerInsert = 16

    private func write(_ db: Database, rowsRead: Int, texts: [Int64], errors: [Int64]) throws {
        let columns = "INSERT INTO businesses (run, row, input, line, credit_code, name, street_id, decisions) VALUES "
        let values = "(?, ?, ?, ?, ?, ?, ?, ?)"
        let many = SQLiteLogSink.rowsPerInsert
        let insertMany = businesses.count >= many
            ? try SQLiteRawStatement(db, sql: columns + Array(repeating: values, count: many).joined(separator: ", ")) : nil
        let insertOne = try SQLiteRawStatement(db, sql: columns + values)
        // Each business's decisions are encoded into one buffer with room for the largest blob
        // (SQLite copies a bound blob, so the buffer serves every row of a statement).
        try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1 + slotCount * DecisionBlob.maxEntryBytes) { blob in
            func bind(_ i: Int, _ statement: SQLiteRawStatement, at first: Int32) {
                let b = businesses[i]
                statement.bind(first, run)
                statement.bind(first + 1, b.row)
                statement.bind(first + 2, b.input)
                statement.bind(first + 3, b.line)
                statement.bind(first + 4, b.creditCode)
                statement.bind(first + 5, b.name)
                statement.bind(first + 6, resolve(b.street, texts))
                var n = 0
                blob[n] = DecisionBlob.version
                n += 1
                for d in decisions[(i * slotCount)..<((i + 1) * slotCount)] {
                    DecisionBlob.write(LogEntry(outcome: d.outcome, rule: d.rule, conditions: d.packed, reason: resolve(d.reason, texts),
                                                missing: resolve(d.missing, texts), error: resolve(d.error, errors),
                                                amount: d.amount, score: d.score), into: blob, at: &n)
                }
                statement.bind(first + 7, blob: UnsafeRawBufferPointer(start: blob.baseAddress, count: n))
            }
            var i = 0
            if let insertMany {
                while i + many <= businesses.count {
                    for k in 0..<many { bind(i + k, insertMany, at: Int32(1 + 8 * k)) }
                    try insertMany.step()
                    i += many
                }
            }
            while i < businesses.count {
                bind(i, insertOne, at: 1)
                try insertOne.step()
                i += 1
            }
        }
        if !rejects.isEmpty {
            let insertReject = try db.cachedStatement(sql: """
                INSERT INTO rejects (run, row, file, line, credit_code, field, reason, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (row, r) in rejects {
                // The raw row as a blob with its length: GRDB binds a String as a C string, which
                // cut a row at its NUL (data-administrator review). Read back with CAST(raw AS BLOB).
                try insertReject.execute(arguments: [run, row, r.file, r.line, r.creditCode, r.field, r.reason, r.raw.map { Data($0.utf8) }])
            }
        }
        for m in moduleChanges {
            try db.execute(sql: "INSERT OR REPLACE INTO module_changes (run, first_row, last_row, change) VALUES (?, ?, ?, ?)",
                           arguments: [run, m.rows.lowerBound, m.rows.upperBound, m.change])
        }
        try db.cachedStatement(sql: "UPDATE runs SET rows_committed = ? WHERE id = ?").execute(arguments: [rowsRead, run])
    }
}

/// A text as the log stores it: compared and hashed by its UTF-8 bytes. `String`'s own `==` and
/// hash follow canonical equivalence, so hashing Chinese text first normalizes it (NFC checks were
/// 23% of `consume`'s instructions under callgrind), and two byte-different spellings of one text
/// would have shared a `texts` row, giving one of them back with the other's bytes.
private struct TextKey: Hashable {
    let text: String
    init(_ text: String) { self.text = text }
    static func == (a: TextKey, b: TextKey) -> Bool { SQLiteLogSink.sameBytes(a.text, b.text) }
    func hash(into hasher: inout Hasher) {
        var s = text
        s.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
