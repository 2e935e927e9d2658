import Foundation
import Huiqi

/// A `DecisionLogFixture` with generated profiles and a fresh decision log, for tests that run
/// batches into the log.
public struct LoggedFixtureRun {
    public let fixture: DecisionLogFixture
    public let store: SQLiteDecisionStore
    public let loaded: LoadedBundle
    public let profiles: String

    public init(rows: Int, rejectEvery: Int? = 37) throws {
        fixture = try DecisionLogFixture()
        store = try SQLiteDecisionStore(path: fixture.path("huiqi.db"))
        loaded = try fixture.bundle.load()
        profiles = try fixture.writeProfiles(rows: rows, rejectEvery: rejectEvery)
    }

    public func options(asOf: String = "2025-06-01", jobs: Int = 2, chunkSize: Int = 64, out: String? = nil) -> BatchRun.Options {
        BatchRun.Options(inputs: [profiles], asOf: asOf, outPath: out, rejectsPath: fixture.path("rejects-\(UUID().uuidString).csv"),
                         jobs: jobs, chunkSize: chunkSize)
    }

    /// Starts and completes a run.
    @discardableResult
    public func run(asOf: String = "2025-06-01", jobs: Int = 2, chunkSize: Int = 64, out: String? = nil) throws -> (LoggedRun, RunSummary) {
        let logged = try LoggedRun.start(store: store, loaded: loaded, options: options(asOf: asOf, jobs: jobs, chunkSize: chunkSize, out: out),
                                         commandLine: "huiqi run (test)")
        return (logged, try logged.execute())
    }

    /// What the engine decides for each accepted profile, by input row, evaluated afresh.
    public func expectedRecords(asOf: String = "2025-06-01") throws -> [(row: Int, records: [DecisionRecord])] {
        let runtime = try RuleRuntime(bundle: loaded, asOf: asOf)
        var stream = try ProfileStream(files: [URL(fileURLWithPath: profiles)], schema: loaded.schema)
        var out: [(Int, [DecisionRecord])] = []
        var row = 0
        while let record = try stream.next() {
            row += 1
            if case .profile(let p) = record { out.append((row, runtime.records(for: p))) }
        }
        return out
    }
}
