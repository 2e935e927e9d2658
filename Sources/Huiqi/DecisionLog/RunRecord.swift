/// A run as the log holds it: its provenance, where it stands, and its counts.
public struct RunRecord: Sendable, Equatable {
    public var id: Int64
    public var provenance: RunProvenance
    /// ISO-8601 UTC.
    public var startedAt: String
    public var endedAt: String?
    /// The status written in the log.
    public var recordedStatus: RunStatus
    /// Input rows fully handled and committed (a resumed run skips exactly these).
    public var rowsCommitted: Int
    /// Set when the run completes.
    public var read: Int?
    public var evaluated: Int?
    public var rejected: Int?
    /// For a run `huiqi log merge` put together from shard runs: how many shards (`parts.count`),
    /// else nil. (A shard run's own K/N is `provenance.shard`.)
    public var mergedShards: Int?
    /// A merged run's shard runs, by shard; empty for any other run.
    public var parts: [RunPart]

    public init(id: Int64, provenance: RunProvenance, startedAt: String, endedAt: String?, recordedStatus: RunStatus,
                rowsCommitted: Int, read: Int?, evaluated: Int?, rejected: Int?, mergedShards: Int? = nil, parts: [RunPart] = []) {
        self.id = id
        self.provenance = provenance
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.recordedStatus = recordedStatus
        self.rowsCommitted = rowsCommitted
        self.read = read
        self.evaluated = evaluated
        self.rejected = rejected
        self.mergedShards = mergedShards
        self.parts = parts
        processGoneWhenRead = recordedStatus == .running && provenance.process.isGone
    }

    /// Whether the run's process was gone when this record was read, checked once: a status
    /// worked out at each use called a run interrupted that completed while a long `log export`
    /// was reading it (its process had ended by the time the status was printed).
    private let processGoneWhenRead: Bool

    /// The status to show: a run still marked `running` whose process is gone (killed with
    /// `kill -9`, machine rebooted) is interrupted.
    public var status: RunStatus {
        recordedStatus == .running && processGoneWhenRead ? .interrupted : recordedStatus
    }

    /// Equal data; when each record was read does not count.
    public static func == (a: RunRecord, b: RunRecord) -> Bool {
        a.id == b.id && a.provenance == b.provenance && a.startedAt == b.startedAt && a.endedAt == b.endedAt
            && a.recordedStatus == b.recordedStatus && a.rowsCommitted == b.rowsCommitted && a.read == b.read
            && a.evaluated == b.evaluated && a.rejected == b.rejected && a.mergedShards == b.mergedShards && a.parts == b.parts
    }

    public var services: [LoggedService] { provenance.services }

    /// The service in `slot`, if the run planned one there.
    public func service(slot: Int) -> LoggedService? {
        provenance.services.indices.contains(slot) ? provenance.services[slot] : nil
    }

    /// " (did you mean 'RENT-03'?)" for a service id close to one the run evaluated (`RENT03`), else "".
    public func serviceHint(for id: String) -> String {
        let loose = { (s: String) in Service.lookupKey(s).filter { $0 != "-" && $0 != "_" } }
        let wanted = loose(id)
        if let same = provenance.services.first(where: { loose($0.id) == wanted }) { return " (did you mean '\(same.id)'?)" }
        guard let closest = Suggest.closest(to: id, in: provenance.services.map(\.id)) else { return "" }
        // RENT-01 is not a typo of RENT-02: the same letters and another number name another
        // service, one out of force on the run's date or not in its catalog (yearly-update review).
        func letters(_ s: String) -> (String, String)? {
            let key = Service.lookupKey(s), parts = key.split(separator: "-")
            guard parts.count == 2, parts[0].allSatisfy(\.isLetter), !parts[1].isEmpty, parts[1].allSatisfy(\.isNumber) else { return nil }
            return (String(parts[0]), String(parts[1]))
        }
        if let typed = letters(id), let near = letters(closest), typed.0 == near.0, Int(typed.1) != Int(near.1) { return "" }
        return " (did you mean '\(closest)'?)"
    }

    /// The service `id` names (`service(id:)`), or an error naming the services the run evaluated,
    /// and the closest to `id`; `log` is the log's path, for the error.
    public func requireService(id: String, log: String) throws -> LoggedService {
        guard let service = service(id: id) else {
            let hint = serviceHint(for: id)
            let why = hint.isEmpty ? ": not in force on its as-of \(provenance.asOf), or not in its catalog" : ""
            throw Diagnostic(file: log, "run \(self.id) did not evaluate service \(id)\(hint) (运行 \(self.id) 未评估此服务\(why)); services: "
                             + services.map(\.id).joined(separator: ", "))
        }
        return service
    }

    /// The service `id` names, as typed: `fin-01` or full-width `ＦＩＮ－０１` find FIN-01 (reviewer
    /// review: `--service fin-01` matched nothing). An exact match comes first.
    public func service(id: String) -> LoggedService? {
        if let exact = provenance.services.first(where: { $0.id == id }) { return exact }
        let key = Service.lookupKey(id)
        return provenance.services.first { Service.lookupKey($0.id) == key }
    }
}
