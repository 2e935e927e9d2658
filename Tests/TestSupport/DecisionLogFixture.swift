import Foundation
import Huiqi

/// A small rules bundle exercising everything the decision log stores: a `conditions` rule with
/// amount and score (and unknown conditions when 从业人数 is missing), an `evaluate` rule with
/// per-business reasons, and a rule that raises a Lua error for one industry code (outcome
/// `error` with a traceback) and serves enterprises only.
public struct DecisionLogFixture {
    public static let services = ["SVC-01", "SVC-02", "SVC-03"]

    public static let rules: [String: String] = [
        "rent/relief.lua": """
        return {
          id = "rent.relief", service = "SVC-01", subjects = { "enterprise", "individual" },
          conditions = {
            { "小微企业(从业人数少于100人)", function(p) return p.employees < 100 end },
            { "租用国有物业", function(p) return p.state_owned_premises end },
            { "未列入失信被执行人名单", function(p) return not p.dishonest end },
          },
          amount = function(p, ctx) return math.min(p.monthly_rent * 3, ctx.params.cap) end,
          score = 10,
        }
        """,
        "growth/revenue.lua": """
        return {
          id = "growth.revenue", service = "SVC-02",
          evaluate = function(p, ctx)
            if p.revenue >= 2000 then
              return eligible("年营业收入" .. p.revenue .. "万元, 达到2000万元", { amount = 100000 })
            end
            return ineligible("年营业收入未达2000万元")
          end,
          score = function(p) return p.revenue / 100 end,
        }
        """,
        "compliance/fragile.lua": """
        return {
          id = "compliance.fragile", service = "SVC-03", subjects = { "enterprise" },
          conditions = {
            { "行业代码有效", function(p)
                if p.industry_code == "X9999" then error("无法识别的行业代码 " .. p.industry_code) end
                return true
              end },
            { "成立满一年", function(p, ctx) return years_between(p.established_on, ctx.as_of) >= 1 end },
          },
        }
        """,
    ]

    public let bundle: BundleFixture

    public init() throws {
        bundle = try BundleFixture(services: DecisionLogFixture.services, files: DecisionLogFixture.rules)
    }

    public var root: URL { bundle.root }
    public var rulesDirectory: String { bundle.rulesDirectory }

    /// Writes generated profiles under the fixture root and returns the path.
    @discardableResult
    public func writeProfiles(_ name: String = "profiles.csv", rows: Int, seed: UInt64 = 1, rejectEvery: Int? = nil) throws -> String {
        let url = root.appendingPathComponent(name)
        try ProfileCSVGenerator.write(rows: rows, to: url, seed: seed, rejectEvery: rejectEvery)
        return url.path
    }

    /// A path for a file under the fixture root (not created).
    public func path(_ name: String) -> String { root.appendingPathComponent(name).path }
}

extension DecisionLogFixture {
    /// A hand-made provenance for store-level tests (no rules on disk).
    public static func handMadeProvenance(services: [String] = ["SVC-01", "SVC-02"], process: ProcessIdentity = .current) -> RunProvenance {
        RunProvenance(
            asOf: "2025-06-01", rulesDirectory: "Rules", rulesPath: "/nonexistent/Rules", rulesSHA256: String(repeating: "a", count: 64),
            catalogVersion: "test-1", schemaSHA256: String(repeating: "b", count: 64), jobs: 1, encoding: .auto, allowExtra: false,
            maxInstructions: 1000, maxMemoryBytes: 1 << 20, outPath: nil, rejectsPath: nil, commandLine: "huiqi run x.csv",
            workingDirectory: "/nonexistent", process: process,
            inputs: [RunInput(ordinal: 0, path: "x.csv", absolutePath: "/nonexistent/x.csv", sha256: String(repeating: "c", count: 64), size: 10)],
            services: services.enumerated().map { LoggedService(slot: $0.offset, id: $0.element, name: "服务\($0.element)", category: "rent", mode: "免申即享") },
            rules: services.enumerated().map {
                LoggedRule(index: $0.offset, id: "rule.\($0.element.lowercased())", serviceID: $0.element, file: "Rules/\($0.element).lua",
                           conditionLabels: ["条件甲", "条件乙"], hasEvaluate: false)
            })
    }

    /// A fresh log at `database` with one hand-made run of SVC-01 and its sink open, for tests that
    /// feed the sink decisions made by hand.
    public func handMadeRun(database: String = "log.db") throws -> (store: SQLiteDecisionStore, run: Int64, sink: DecisionSink, profile: Profile) {
        let store = try SQLiteDecisionStore(path: path(database))
        let loaded = try bundle.load()
        let run = try store.createRun(DecisionLogFixture.handMadeProvenance(services: ["SVC-01"]), startedAt: "2025-06-01T00:00:00Z")
        return (store, run, try store.sink(forRun: run, schema: loaded.schema), BundleFixture.profile(loaded.schema, [:]))
    }

    /// One SVC-01 decision of the fixture's business, as `handMadeRun`'s sink takes it.
    public static func handMadeRecord(code: String = "91350100M000100Y43", name: String = "测试企业", outcome: Outcome = .ineligible,
                                      reasons: [String]) -> DecisionRecord {
        DecisionRecord(creditCode: code, name: name, street: "新安街道", serviceName: "服务",
                       decision: Decision(serviceID: "SVC-01", ruleID: "rule.svc-01", outcome: outcome, reasons: reasons))
    }

    /// A pid that certainly belongs to no process: a child that has exited and been reaped.
    public static func deadPID() throws -> Int32 {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exit 0"]
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }
}
