import Foundation
import GRDB

extension SQLiteDecisionStore {
    /// The log's schema, created and upgraded by named migrations ("v1", …). A migration, once
    /// released, is never edited: later changes are new migrations.
    ///
    /// Compactness matters (1M businesses × 20 services ≤ 1 GB, §7). Since v2 a business's
    /// decisions are packed into one blob of its `businesses` row (`DecisionBlob`): small integers
    /// per slot, in slot order (v1 had one `decisions` row per slot); texts that repeat —
    /// reasons, missing fields, streets, error messages — are stored once in `texts`/`errors`;
    /// condition labels once per rule in `rule_conditions`, with each decision's condition
    /// results packed 2 bits per condition (1 passed, 2 failed, 3 unknown, 0 not run) in label order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE runs (
                  id INTEGER PRIMARY KEY,
                  started_at TEXT NOT NULL,
                  ended_at TEXT,
                  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'interrupted')),
                  as_of TEXT NOT NULL,
                  rules_dir TEXT NOT NULL,
                  rules_path TEXT NOT NULL,
                  rules_sha256 TEXT NOT NULL,
                  catalog_version TEXT NOT NULL,
                  schema_sha256 TEXT NOT NULL,
                  tool_version TEXT NOT NULL,
                  jobs INTEGER NOT NULL,
                  encoding TEXT NOT NULL,
                  allow_extra INTEGER NOT NULL,
                  max_instructions INTEGER NOT NULL,
                  max_memory_bytes INTEGER NOT NULL,
                  out_path TEXT,
                  rejects_path TEXT,
                  command_line TEXT NOT NULL,
                  working_directory TEXT NOT NULL,
                  pid INTEGER NOT NULL,
                  host TEXT NOT NULL,
                  process_start INTEGER,
                  rows_committed INTEGER NOT NULL DEFAULT 0,
                  read INTEGER,
                  evaluated INTEGER,
                  rejected INTEGER
                );
                CREATE TABLE run_inputs (
                  run INTEGER NOT NULL REFERENCES runs(id),
                  ordinal INTEGER NOT NULL,
                  path TEXT NOT NULL,
                  absolute_path TEXT NOT NULL,
                  sha256 TEXT NOT NULL,
                  size INTEGER NOT NULL,
                  rows INTEGER,
                  rejected INTEGER,
                  encoding TEXT,
                  PRIMARY KEY (run, ordinal)
                ) WITHOUT ROWID;
                CREATE TABLE run_services (
                  run INTEGER NOT NULL REFERENCES runs(id),
                  slot INTEGER NOT NULL,
                  service_id TEXT NOT NULL,
                  name TEXT NOT NULL,
                  category TEXT NOT NULL,
                  mode TEXT NOT NULL,
                  provider TEXT,
                  source TEXT,
                  PRIMARY KEY (run, slot)
                ) WITHOUT ROWID;
                CREATE TABLE run_rules (
                  run INTEGER NOT NULL REFERENCES runs(id),
                  rule_index INTEGER NOT NULL,
                  rule_id TEXT NOT NULL,
                  service_id TEXT NOT NULL,
                  file TEXT NOT NULL,
                  has_evaluate INTEGER NOT NULL,
                  PRIMARY KEY (run, rule_index)
                ) WITHOUT ROWID;
                CREATE TABLE rule_conditions (
                  run INTEGER NOT NULL,
                  rule_index INTEGER NOT NULL,
                  position INTEGER NOT NULL,
                  label TEXT NOT NULL,
                  PRIMARY KEY (run, rule_index, position),
                  FOREIGN KEY (run, rule_index) REFERENCES run_rules(run, rule_index)
                ) WITHOUT ROWID;
                CREATE TABLE texts (
                  id INTEGER PRIMARY KEY,
                  text TEXT NOT NULL UNIQUE
                );
                CREATE TABLE errors (
                  id INTEGER PRIMARY KEY,
                  message TEXT NOT NULL,
                  traceback TEXT
                );
                CREATE INDEX errors_by_message ON errors(message);
                -- No foreign keys on the two big tables: the check would cost a lookup per row,
                -- and only the run's own sink writes them.
                CREATE TABLE businesses (
                  run INTEGER NOT NULL,
                  row INTEGER NOT NULL,
                  input INTEGER NOT NULL,
                  line INTEGER NOT NULL,
                  credit_code TEXT NOT NULL,
                  name TEXT NOT NULL,
                  street_id INTEGER,
                  PRIMARY KEY (run, row)
                ) WITHOUT ROWID;
                CREATE INDEX businesses_by_code ON businesses(credit_code, run);
                CREATE TABLE decisions (
                  run INTEGER NOT NULL,
                  row INTEGER NOT NULL,
                  slot INTEGER NOT NULL,
                  rule INTEGER,
                  outcome INTEGER NOT NULL,
                  conditions INTEGER NOT NULL,
                  reason_id INTEGER,
                  missing_id INTEGER,
                  amount REAL,
                  score REAL,
                  error_id INTEGER,
                  PRIMARY KEY (run, row, slot)
                ) WITHOUT ROWID;
                CREATE TABLE rejects (
                  run INTEGER NOT NULL,
                  row INTEGER NOT NULL,
                  file TEXT NOT NULL,
                  line INTEGER NOT NULL,
                  credit_code TEXT,
                  field TEXT,
                  reason TEXT NOT NULL,
                  raw TEXT,
                  PRIMARY KEY (run, row)
                ) WITHOUT ROWID;
                CREATE INDEX rejects_by_code ON rejects(credit_code, run);
                CREATE TABLE reviews (
                  id INTEGER PRIMARY KEY,
                  run INTEGER NOT NULL REFERENCES runs(id),
                  row INTEGER NOT NULL,
                  slot INTEGER NOT NULL,
                  credit_code TEXT NOT NULL,
                  service_id TEXT NOT NULL,
                  outcome INTEGER NOT NULL,
                  verdict TEXT NOT NULL CHECK (verdict IN ('confirm', 'reject')),
                  reviewer TEXT NOT NULL,
                  reviewed_at TEXT NOT NULL,
                  note TEXT
                );
                CREATE INDEX reviews_by_subject ON reviews(credit_code, service_id, run);
                """)
        }
        // v2: one blob of decisions per business instead of a row per decision (`DecisionBlob`).
        // Logs written by v1 are converted in place, so every query reads one layout.
        migrator.registerMigration("v2") { db in
            try db.execute(sql: "ALTER TABLE businesses ADD COLUMN decisions BLOB")
            let update = try db.makeStatement(sql: "UPDATE businesses SET decisions = ? WHERE run = ? AND row = ?")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT run, row, slot, rule, outcome, conditions, reason_id, missing_id, amount, score, error_id
                FROM decisions ORDER BY run, row, slot
                """)
            var business: (run: Int64, row: Int64)?
            var entries: [LogEntry] = []
            func flush() throws {
                guard let business else { return }
                try update.execute(arguments: [Data(DecisionBlob.encode(entries)), business.run, business.row])
                entries.removeAll(keepingCapacity: true)
            }
            while let r = try rows.next() {
                let key = (run: r[0] as Int64, row: r[1] as Int64)
                if business == nil || business! != key {
                    try flush()
                    business = key
                }
                let slot: Int = r[2]
                // v1 wrote every slot; a gap would read as "no decision" (outcome 0), never shift the others.
                while entries.count < slot { entries.append(LogEntry(outcome: 0)) }
                entries.append(LogEntry(outcome: r[4], rule: r[3], conditions: r[5], reason: r[6], missing: r[7], error: r[10],
                                        amount: r[8], score: r[9]))
            }
            try flush()
            try db.execute(sql: "DROP TABLE decisions")
        }
        // v3: businesses are found by credit code through `business_codes`, filled in code order
        // when a run stops (`indexCodes`), instead of an index on `businesses` kept up while the
        // run writes: random inserts into that index cost 6–11 µs per business at 100k–400k rows
        // (each commit rewrote thousands of index pages), the largest part of writing the log.
        migrator.registerMigration("v3") { db in
            try db.execute(sql: """
                CREATE TABLE business_codes (
                  credit_code TEXT NOT NULL,
                  run INTEGER NOT NULL,
                  row INTEGER NOT NULL,
                  PRIMARY KEY (credit_code, run, row)
                ) WITHOUT ROWID;
                INSERT INTO business_codes (credit_code, run, row)
                  SELECT credit_code, run, row FROM businesses ORDER BY credit_code, run, row;
                ALTER TABLE runs ADD COLUMN codes_indexed INTEGER NOT NULL DEFAULT 0;
                UPDATE runs SET codes_indexed = coalesce((SELECT max(row) FROM businesses WHERE run = runs.id), 0);
                DROP INDEX businesses_by_code;
                """)
        }
        // v4: chunks of rows during which rule code changed a module's tables (`RunSummary.ModuleChange`),
        // written with the chunk, so a resumed run reports an earlier attempt's too.
        migrator.registerMigration("v4") { db in
            try db.execute(sql: """
                CREATE TABLE module_changes (
                  run INTEGER NOT NULL,
                  first_row INTEGER NOT NULL,
                  last_row INTEGER NOT NULL,
                  change TEXT NOT NULL,
                  PRIMARY KEY (run, first_row)
                ) WITHOUT ROWID;
                """)
        }
        // v5: the reviewed decision's amount (`Review.amount`), so a later run's decision takes a
        // review over only with the same outcome and amount. Reviews made before get the amount of
        // the decision they reviewed, which the log still holds (review: left empty, every review
        // already made would have carried over to changed amounts for good); one whose decision
        // cannot be read keeps none and carries over by outcome.
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE reviews ADD COLUMN amount TEXT")
            // Read through a cursor (one business blob at a time), then written with one prepared
            // statement (final review: loading every review with its blob took 0.55 KB a review).
            // A damaged value (not a blob, or not a valid one) leaves that review without an amount.
            var amounts: [(id: Int64, amount: String)] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.id, r.slot, b.decisions FROM reviews r JOIN businesses b ON b.run = r.run AND b.row = r.row
                WHERE typeof(b.decisions) = 'blob'
                """)
            while let row = try rows.next() {
                let slot: Int = row[1]
                guard case .blob(let blob) = (row[2] as DatabaseValue).storage, let entries = try? DecisionBlob.decode([UInt8](blob)),
                      entries.indices.contains(slot), entries[slot].outcome != 0 else { continue }
                amounts.append((row[0], Review.amountText(entries[slot].amount)))
            }
            let update = try db.makeStatement(sql: "UPDATE reviews SET amount = ? WHERE id = ?")
            for a in amounts { try update.execute(arguments: [a.amount, a.id]) }
        }
        // v6: each service's params as the run resolved them (`LoggedService.params`): a new year's
        // amounts change only the catalog, and `log runs` and `log diff` could not say which values
        // a run used (analyst review). Runs logged before keep none.
        migrator.registerMigration("v6") { db in
            try db.execute(sql: "ALTER TABLE run_services ADD COLUMN params TEXT")
        }
        // v7: runs split across machines (PRODUCT.md §9). A shard run (`huiqi run --shard K/N`)
        // has shard = K and shards = N; a run that `huiqi log merge` put together from N shard
        // runs has shards = N, no shard, and one `run_parts` row per shard saying where it came
        // from; any other run has neither. Older runs are whole runs: NULL, NULL.
        migrator.registerMigration("v7") { db in
            try db.execute(sql: """
                ALTER TABLE runs ADD COLUMN shard INTEGER;
                ALTER TABLE runs ADD COLUMN shards INTEGER;
                CREATE TABLE run_parts (
                  run INTEGER NOT NULL REFERENCES runs(id),
                  shard INTEGER NOT NULL,
                  source_log TEXT NOT NULL,
                  source_run INTEGER NOT NULL,
                  host TEXT NOT NULL,
                  command_line TEXT NOT NULL,
                  started_at TEXT NOT NULL,
                  ended_at TEXT,
                  evaluated INTEGER NOT NULL,
                  rejected INTEGER NOT NULL,
                  PRIMARY KEY (run, shard)
                ) WITHOUT ROWID;
                """)
        }
        // v8: which rule a review's decision was made by (`RuleVersion`), so a later run's decision
        // takes a review over only when the same rule made it, not another rule or an edited one
        // with the same outcome (review: a confirmation carried over to a new year's rule). Each
        // run's rules get the SHA-256 of their file's text (runs logged before keep none: there
        // the bundle's SHA-256 tells versions apart); each review the id of the rule that made its
        // decision, read from the decision as v5 read its amount ('' for no rule). A review whose
        // decision cannot be read keeps none, and carries over by outcome and amount.
        migrator.registerMigration("v8") { db in
            try db.execute(sql: """
                ALTER TABLE run_rules ADD COLUMN sha256 TEXT;
                ALTER TABLE reviews ADD COLUMN rule_id TEXT;
                """)
            var ruleIDs: [(id: Int64, rule: String)] = []
            let rules = try db.makeStatement(sql: "SELECT rule_id FROM run_rules WHERE run = ? AND rule_index = ?")
            let rows = try Row.fetchCursor(db, sql: """
                SELECT r.id, r.run, r.slot, b.decisions FROM reviews r JOIN businesses b ON b.run = r.run AND b.row = r.row
                WHERE typeof(b.decisions) = 'blob'
                """)
            while let row = try rows.next() {
                let slot: Int = row[2]
                guard case .blob(let blob) = (row[3] as DatabaseValue).storage, let entries = try? DecisionBlob.decode([UInt8](blob)),
                      entries.indices.contains(slot), entries[slot].outcome != 0 else { continue }
                guard let index = entries[slot].rule else {
                    ruleIDs.append((row[0], ""))
                    continue
                }
                let run: Int64 = row[1]
                guard let id = try String.fetchOne(rules, arguments: [run, index]) else { continue }
                ruleIDs.append((row[0], id))
            }
            let update = try db.makeStatement(sql: "UPDATE reviews SET rule_id = ? WHERE id = ?")
            for r in ruleIDs { try update.execute(arguments: [r.rule, r.id]) }
        }
        // v9: the `lib/` modules each run's rules require, with the SHA-256 of each (`LoggedRule.modules`):
        // a rule whose file is unchanged but whose module changed decides by other code, so its
        // decisions no longer take earlier reviews over (review: a changed lib/sme_scale.lua kept
        // every confirmation of the rules that use it). Runs logged before keep none (NULL):
        // between two of them a review carries over by the rule file alone, as before; from one of
        // them to a later run, a rule that requires modules needs the same bundle too (the log
        // cannot tell whether its modules changed), see `RuleVersion.isSame`.
        migrator.registerMigration("v9") { db in
            try db.execute(sql: "ALTER TABLE run_rules ADD COLUMN modules TEXT")
        }
        return migrator
    }

    /// Adds the rows of `run` written since the last call to `business_codes`, in code order (a
    /// sorted insert walks the table once). `SQLiteDecisionStore.indexCodes(run:)` calls it when a
    /// run stops, completed or interrupted.
    ///
    /// `sorterCache` (KiB, negative, as `PRAGMA cache_size`) and `sorterThreads` set SQLite's sorter
    /// for this insert; the caller gives the connection its own settings back afterwards. The
    /// sorter keeps up to a page cache's worth of rows in memory: at the log's 32 MiB, the 1M codes
    /// of a run made one large in-memory sort (1.44–1.67 s), while 4 MiB runs sorted and merged on
    /// two threads took 0.73–1.09 s (`sqlite3` on a copy of a 1M-row log, the same libsqlite3, 3
    /// runs each).
    static func indexCodes(_ db: Database, run: Int64, sorterCache: Int, sorterThreads: Int) throws {
        let from = try Int64.fetchOne(db, sql: "SELECT codes_indexed FROM runs WHERE id = ?", arguments: [run]) ?? 0
        try db.execute(sql: "PRAGMA cache_size = \(sorterCache); PRAGMA threads = \(sorterThreads)")
        try db.execute(sql: """
            INSERT OR IGNORE INTO business_codes (credit_code, run, row)
              SELECT credit_code, run, row FROM businesses WHERE run = ? AND row > ? ORDER BY credit_code
            """, arguments: [run, from])
        try db.execute(sql: """
            UPDATE runs SET codes_indexed = coalesce((SELECT max(row) FROM businesses WHERE run = ?), 0) WHERE id = ?
            """, arguments: [run, run])
    }

    /// SQL for "the rows of run ? whose credit code is ?" (arguments: run, code, run, run, code):
    /// the indexed rows, plus a scan of the rows written since the run last stopped.
    static let rowsWithCode = """
        SELECT row FROM business_codes WHERE credit_code = ? AND run = ?
        UNION ALL
        SELECT row FROM businesses WHERE run = ? AND row > (SELECT codes_indexed FROM runs WHERE id = ?) AND credit_code = ?
        """
}
