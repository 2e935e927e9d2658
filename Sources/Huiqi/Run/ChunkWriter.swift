import Foundation

/// The last stage of a run: writes evaluated chunks to `--out`, the rejects file and the sinks, in
/// input order, one commit a chunk, and counts what it wrote.
///
/// `@unchecked Sendable`: it is used by one thread at a time, the pipeline's writing queue while
/// the run goes on and the calling thread once the pipeline has finished.
final class ChunkWriter: @unchecked Sendable {
    private let plan: ServicePlan
    private let out: DecisionFileWriter?
    private var rejects: RejectsWriter?
    private let rejectsFile: String
    private let sinks: [DecisionSink]

    private(set) var evaluated = 0
    private(set) var rejected = 0
    /// The rejects file, once it exists (it is created at the first reject unless asked for up front).
    private(set) var rejectsPath: String?
    /// Each service's first rule error: the business and the first line of the message.
    private(set) var firstErrors: [String: (creditCode: String, message: String)] = [:]
    /// Outcomes by slot and log code, folded into the summary at the end (cheaper than by service id).
    var tallies: [[Int]] { (0..<plan.slots.count).map { Array(counts[($0 * 5)..<($0 * 5 + 5)]) } }
    /// `tallies` flat, slot j's at 5j…5j+4: one buffer for the per-business loop (perf: the nested
    /// arrays and the copies of each result made this loop 1.4% of a run's CPU).
    private var counts: [Int]
    /// Chunks during which rule code changed a module's tables: their rows and the first change.
    private(set) var moduleChanges: [RunSummary.ModuleChange] = []

    init(plan: ServicePlan, out: DecisionFileWriter?, rejectsPath: String, writesEmptyRejectsFile: Bool,
         sinks: [DecisionSink]) throws {
        self.plan = plan
        self.out = out
        rejectsFile = rejectsPath
        self.sinks = sinks
        counts = Array(repeating: 0, count: plan.slots.count * 5)
        if writesEmptyRejectsFile {
            rejects = try RejectsWriter(url: URL(fileURLWithPath: rejectsPath))
            self.rejectsPath = rejectsPath
        }
    }

    /// Writes a chunk whose evaluation is done: profiles and rejects in row order, then one commit.
    /// `moduleChanges`: what the workers found rule code had changed in module tables meanwhile.
    func write(_ chunk: Chunk, _ results: [EvaluatedProfile], moduleChanges changes: [String]) throws {
        if let change = changes.first, let first = chunk.firstRow {
            let moduleChange = RunSummary.ModuleChange(rows: first...chunk.endRow, change: change)
            moduleChanges.append(moduleChange)
            for sink in sinks { try sink.consume(moduleChange: moduleChange) }
        }
        for item in chunk.items {
            switch item {
            case .profile(let row, let index):
                let business = results[index]
                var errorSlots: [Int] = []
                counts.withUnsafeMutableBufferPointer { counts in
                    business.results.withUnsafeBufferPointer { slots in
                        for j in 0..<min(slots.count, counts.count / 5) {
                            counts[j * 5 + slots[j].outcome.logCode] += 1
                            if slots[j].code == 4 { errorSlots.append(j) }
                        }
                    }
                }
                for j in errorSlots where firstErrors[plan.slots[j].service.id] == nil {
                    let message = business.results[j].error?.message ?? business.results[j].reason ?? "rule error"
                    firstErrors[plan.slots[j].service.id] = (business.creditCode, String(message.split(separator: "\n").first ?? ""))
                }
                if let out { for record in business.decisionRecords() { try out.write(record) } }
                for sink in sinks { try sink.consume(business, row: row) }
            case .reject(let row, let reject):
                rejected += 1
                if rejects == nil {
                    rejects = try RejectsWriter(url: URL(fileURLWithPath: rejectsFile))
                    rejectsPath = rejectsFile
                }
                try rejects?.write(reject)
                for sink in sinks { try sink.consume(reject: reject, row: row) }
            }
        }
        evaluated += chunk.profiles.count
        // `--out` and the rejects file on disk before the log commits the chunk: a run stopped
        // (even by kill -9) leaves them holding at least every committed row, never a business
        // cut short in a buffer (crash-safety review: 7 businesses behind, the last one partly).
        try out?.flush()
        try rejects?.flush()
        for sink in sinks { try sink.commit(rowsRead: chunk.endRow) }
    }

    /// Closes `--out` and the rejects file, after the last chunk.
    func close() throws {
        try out?.close()
        try rejects?.close()
    }
}
