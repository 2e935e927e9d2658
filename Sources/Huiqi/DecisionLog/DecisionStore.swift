/// The decision log (PRODUCT.md §7): runs with their provenance, every decision, rejects and
/// reviews. `SQLiteDecisionStore` is the embedded default; everything else in huiqi talks to
/// this protocol only, so another store (PostgreSQL for a shared log, §9) is an addition.
///
/// Errors are `Diagnostic`s naming the store and the cause.
///
///     let store = try SQLiteDecisionStore(path: "huiqi.db")
///     let run = try store.createRun(provenance, startedAt: ISOTimestamp.now())
///     batch.sinks.append(try store.sink(forRun: run, schema: loaded.schema))
///     let summary = try batch.run()
///     try store.finishRun(run, read: summary.read, evaluated: summary.evaluated, rejected: summary.rejected,
///                         inputs: summary.fileCounts, endedAt: ISOTimestamp.now())
public protocol DecisionStore: AnyObject {
    /// Where the log lives, for messages (a file path or a connection name).
    var location: String { get }

    // MARK: Runs

    /// Records a new run, `running`, with its provenance; returns its id (1, 2, …). When
    /// `rejectsPath` is given, the run's rejects file is named from its new id by it and recorded
    /// in place of `provenance.rejectsPath`, in the same transaction.
    /// `rejectsPath` names the run's rejects file once its id is known; if it throws, no run is created.
    func createRun(_ provenance: RunProvenance, startedAt: String, rejectsPath: ((Int64) throws -> String)?) throws -> Int64

    /// The sink that logs a run's businesses, decisions and rejects. Each `commit(rowsRead:)` is
    /// one transaction that also records `rowsCommitted`, so a crash loses only uncommitted rows
    /// and a resumed run skips exactly the committed ones.
    func sink(forRun run: Int64, schema: Schema) throws -> DecisionSink

    /// Takes over an interrupted run to resume it: refuses a completed run and one whose process
    /// is still alive; records `process` as the run's process and marks it `running`.
    func reopenRun(_ run: Int64, process: ProcessIdentity) throws -> RunRecord

    /// Marks a run `completed` with its final counts and each input's rows (in input order).
    func finishRun(_ run: Int64, read: Int, evaluated: Int, rejected: Int, inputs: [FileCount], endedAt: String) throws

    /// Sets a run's status (e.g. `interrupted` after SIGINT); `endedAt` nil leaves it unchanged.
    func markRun(_ run: Int64, status: RunStatus, endedAt: String?) throws

    /// Indexes by credit code the rows of `run` written since its last indexing, once it has
    /// stopped (completed or interrupted), in a transaction of its own. Only lookups by code use
    /// the index, and they scan the rows not yet indexed: a failure here loses nothing.
    func indexCodes(run: Int64) throws

    /// Every run, oldest first.
    func runs() throws -> [RunRecord]

    func run(_ id: Int64) throws -> RunRecord?

    /// Input rows the run has committed.
    func rowsCommitted(run: Int64) throws -> Int

    /// Service id → outcome → count, over everything the run has committed.
    func outcomeCounts(run: Int64) throws -> [String: [Outcome: Int]]

    /// The chunks of rows, in row order, during which rule code changed a module's tables.
    func moduleChanges(run: Int64) throws -> [RunSummary.ModuleChange]

    // MARK: Decisions

    /// Calls `body` for each decision of `run` that passes `filter`, by row then slot, with the
    /// review that applies (see `LoggedDecision.review`). Streams: memory does not grow with the run.
    func forEachDecision(run: Int64, filter: DecisionFilter, _ body: (LoggedDecision) throws -> Void) throws

    /// The decisions `forEachDecision` gives, in its order, not yet built into `LoggedDecision`s:
    /// for readers of a few of their fields over millions of decisions (`lists`).
    func forEachSelected(run: Int64, filter: DecisionFilter, _ body: (SelectedDecision) throws -> Void) throws

    /// Writes the decisions `filter` selects to `exporter`, in the order `forEachDecision` gives
    /// them; `each` runs before each one (it throws to stop: a signal).
    func export(run: Int64, filter: DecisionFilter, to exporter: LogExporter, before each: () throws -> Void) throws

    /// How many decisions of `run` pass `filter`, its `limit` aside.
    func countDecisions(run: Int64, filter: DecisionFilter) throws -> Int

    func decision(_ id: DecisionID) throws -> LoggedDecision?

    /// Decision `id`; throws, saying what the log holds instead (the business's decisions, the
    /// run's, or its runs), when there is none.
    func requireDecision(_ id: DecisionID) throws -> LoggedDecision

    /// The business with `creditCode` as run `run` read it.
    func business(run: Int64, creditCode: String) throws -> LoggedBusiness?

    /// Calls `body` for each rejected row of `run`, by row.
    func forEachReject(run: Int64, _ body: (LoggedReject) throws -> Void) throws

    /// The streets of a run's businesses as `--street` and `lists` name them (`StreetName.key`),
    /// sorted, `StreetName.unfilled` last when some business has none: for "nothing matched" messages.
    func streets(run: Int64) throws -> [String]

    /// Calls `body` for each business × service whose outcome or amount differs between two runs,
    /// in credit-code order; returns how many businesses only one run had. Streams.
    @discardableResult
    func forEachDifference(before: Int64, after: Int64, serviceID: String?,
                           _ body: (RunDifference) throws -> Void) throws -> RunDifference.Counts

    // MARK: Reviews

    /// Records a review of decision `id` (which must exist); reviews are never deleted.
    func addReview(decision id: DecisionID, verdict: Verdict, reviewer: String, note: String?, at: String) throws -> Review
    /// The same review of each decision, all in one transaction: if any id names no decision,
    /// none is recorded and the error lists them. `overturned` receives, in the same transaction,
    /// each review in effect before whose verdict the new one reverses.
    func addReviews(decisions: [DecisionID], verdict: Verdict, reviewer: String, note: String?, at: String,
                    overturned: ((DecisionID, Review) -> Void)?) throws -> [Review]

    /// Reviews of the same business × service in `id`'s run and earlier runs, oldest first.
    func reviews(for id: DecisionID) throws -> [Review]
}

extension DecisionStore {
    public func export(run: Int64, filter: DecisionFilter, to exporter: LogExporter, before each: () throws -> Void) throws {
        try forEachDecision(run: run, filter: filter) {
            try each()
            try exporter.write($0)
        }
    }

    /// Records a new run with its provenance as given; returns its id.
    public func createRun(_ provenance: RunProvenance, startedAt: String) throws -> Int64 {
        try createRun(provenance, startedAt: startedAt, rejectsPath: nil)
    }

    /// The decisions that pass `filter`, in memory (for small results: `log show`, `explain`).
    public func decisions(run: Int64, filter: DecisionFilter = .all) throws -> [LoggedDecision] {
        var out: [LoggedDecision] = []
        try forEachDecision(run: run, filter: filter) { out.append($0) }
        return out
    }

    /// The run's rejects, in memory.
    public func rejects(run: Int64) throws -> [LoggedReject] {
        var out: [LoggedReject] = []
        try forEachReject(run: run) { out.append($0) }
        return out
    }

    /// The run, or a diagnostic naming the log when there is none with that id.
    public func requireRun(_ id: Int64) throws -> RunRecord {
        guard let run = try run(id) else {
            // The runs it holds, and the --db to list them with: `huiqi log runs` alone lists
            // ./huiqi.db's (first-day review: pointed to another log's runs).
            let ids = try runs().map(\.id)
            let held = ids.isEmpty ? "其中还没有运行 no runs in it yet"
                : "其中的运行 runs in it: " + (ids.count == 1 ? "\(ids[0])" : "\(ids.min() ?? 0)–\(ids.max() ?? 0)")
            let db = location == "huiqi.db" ? "" : " --db \(ShellWord.quoted(location))"
            throw Diagnostic(file: location, "no run \(id) in this decision log (没有编号为 \(id) 的运行; \(held)); see `huiqi log runs\(db)`")
        }
        return run
    }
}
