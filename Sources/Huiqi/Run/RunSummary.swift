/// What a batch run did: row counts (`read = evaluated + rejected`) and outcomes per service.
public struct RunSummary: Sendable {
    public var plan: ServicePlan
    public var rulesSHA256: String
    public var read = 0
    public var evaluated = 0
    public var rejected = 0
    /// Rows read that another shard evaluates (`--shard K/N`): `read = evaluated + rejected + otherShards`.
    public var otherShards = 0
    /// The shard this run evaluated, or nil for every row.
    public var shard: RunShard?
    /// Service id → outcome → count.
    public var outcomes: [String: [Outcome: Int]] = [:]
    public var fileCounts: [FileCount] = []
    public var warnings: [Diagnostic] = []
    public var rejectsPath: String?
    /// Service id → the first rule error of this attempt: the business and the message's first
    /// line. The table only counted them (analyst review: "1 error" and nothing to go on).
    public var firstErrors: [String: (creditCode: String, message: String)] = [:]

    /// Rule code changed a module's tables while these rows were evaluated (see `moduleChanges`).
    public struct ModuleChange: Sendable, Equatable {
        /// The rows of the chunk during which a worker found the change (undone at its end).
        public var rows: ClosedRange<Int>
        /// The first change, as `lib.LIST[3]: nil → "新区"`.
        public var change: String
    }
    /// Chunks during which rule code changed a module's tables. Each change is undone at the end
    /// of its chunk; the chunk's decisions after it may differ from those of another `--jobs`.
    public var moduleChanges: [ModuleChange] = []

    public init(plan: ServicePlan, rulesSHA256: String) {
        self.plan = plan
        self.rulesSHA256 = rulesSHA256
    }

    /// Adds outcome tallies kept by slot: `tallies[slot][outcome.logCode]`.
    mutating func add(tallies: [[Int]]) {
        for (j, row) in tallies.enumerated() where j < plan.slots.count {
            for (code, n) in row.enumerated() where n > 0 {
                guard let outcome = Outcome(logCode: code) else { continue }
                outcomes[plan.slots[j].service.id, default: [:]][outcome, default: 0] += n
            }
        }
    }

    public var errorCount: Int { outcomes.values.reduce(0) { $0 + ($1[.error] ?? 0) } }

    /// An input's bytes changed while the run read them (see `LoggedRun.execute`).
    public var inputChanged = false
    /// 0 clean; 1 finished with rejected rows, rule errors, an input that changed while it was read
    /// or rule code that changed a module's tables (PRODUCT.md §6).
    public var exitCode: Int32 { rejected > 0 || errorCount > 0 || inputChanged || !moduleChanges.isEmpty ? 1 : 0 }

    /// Warnings for `moduleChanges`, the first few chunks' then a count.
    public func moduleChangeWarnings(limit: Int = 5) -> [Diagnostic] {
        var out = moduleChanges.prefix(limit).map { m in
            Diagnostic(.warning, "rows \(m.rows.lowerBound)–\(m.rows.upperBound): rule code changed the module table \(m.change); undone after those rows, whose decisions may differ with another --jobs; `huiqi test` names the case. " + RuleRuntime.moduleChangeAdvice)
        }
        if moduleChanges.count > limit {
            out.append(Diagnostic(.warning, "… and in \(moduleChanges.count - limit) more chunks of rows (另有 \(moduleChanges.count - limit) 批)"))
        }
        return out
    }

    /// The end-of-run table, in Chinese with service names.
    public func table() -> String {
        var lines: [String] = []
        if let shard {
            lines.append("读取 read: \(read)   分片 shard \(shard): 评估 evaluated: \(evaluated)   拒收 rejected: \(rejected)   其他分片 other shards: \(otherShards)")
        } else {
            lines.append("读取 read: \(read)   评估 evaluated: \(evaluated)   拒收 rejected: \(rejected)")
        }
        let headers = ["服务", "名称", "符合", "不符合", "待定", "错误"]
        var rows: [[String]] = []
        for slot in plan.slots {
            let c = outcomes[slot.service.id] ?? [:]
            rows.append([slot.service.id, slot.service.name, String(c[.eligible] ?? 0), String(c[.ineligible] ?? 0),
                         String(c[.undetermined] ?? 0), String(c[.error] ?? 0)])
        }
        lines.append(TextTable.render(headers: headers, rows: rows))
        // Services out of their window have no row: named, so a window a new year should have
        // extended is seen (yearly-update review: a 2027 run left out RENT-02, EMP-01 and EMP-02
        // without a word).
        if !plan.inactive.isEmpty {
            lines.append("服务期外, 未评估 not in force on \(plan.asOf): "
                + plan.inactive.map { "\($0.id) (\($0.window.displayText))" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }

    /// The first error of each service that had any, one line each, in plan order.
    public func errorLines() -> [String] {
        plan.slots.compactMap { slot in
            guard let first = firstErrors[slot.service.id] else { return nil }
            let count = outcomes[slot.service.id]?[.error] ?? 0
            return "  \(slot.service.id) ×\(count)  \(first.creditCode): \(TextTable.oneLine(first.message))"
        }
    }
}
