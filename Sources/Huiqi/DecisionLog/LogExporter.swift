import Foundation

/// Writes a run's decisions for `huiqi log export` and `log show --format csv|jsonl`.
///
/// CSV: RFC 4180 through `CSVWriter` (formula-safe), Chinese headers, and a UTF-8 byte-order
/// mark when written to a file so Excel shows the Chinese correctly. JSONL: one object per
/// decision with its conditions and review, keys sorted, so equal runs give equal bytes.
public final class LogExporter {
    public enum Format: String, Sendable, CaseIterable {
        case csv, jsonl

        /// From a file name: `.csv` or `.jsonl`/`.ndjson`.
        public init?(path: String) {
            let lower = path.lowercased()
            if lower.hasSuffix(".csv") { self = .csv } else if lower.hasSuffix(".jsonl") || lower.hasSuffix(".ndjson") { self = .jsonl } else { return nil }
        }
    }

    public static let csvHeaders = [
        "决定编号", "运行编号", "输入行号", "统一社会信用代码", "企业名称", "所属街道", "服务编号", "服务名称", "规则编号",
        "判定结果", "理由", "金额(元)", "评分", "条件明细", "错误信息", "来源文件", "来源行号",
        "审核结论", "审核人", "审核时间", "审核备注", "审核所在运行",
    ]

    public let format: Format
    private let csv: CSVWriter?
    private let jsonHandle: FileHandle?
    private let ownsHandle: Bool
    /// The file written, for error messages (nil: standard output).
    private let path: String?
    private var jsonBuffer: [UInt8] = []
    private let encoder: JSONEncoder
    private let inputs: [Int: String]
    public private(set) var count = 0
    /// The files written (a CSV past Excel's row limit goes on in further parts).
    public var paths: [String] { csv?.paths ?? (ownsHandle ? path.map { [$0] } ?? [] : []) }
    /// Rows written to a CSV that cannot be split (standard output), the header included.
    public var csvRows: Int { csv?.rowCount ?? 0 }

    /// Creates (or truncates) `path`; the format comes from its extension.
    public init(path: String, run: RunRecord) throws {
        guard let format = Format(path: path) else {
            throw Diagnostic(file: path, "export must end in .csv or .jsonl (导出文件须为 .csv 或 .jsonl)")
        }
        self.format = format
        switch format {
        case .csv:
            csv = try CSVWriter(url: URL(fileURLWithPath: path), bom: true)
            jsonHandle = nil
        case .jsonl:
            csv = nil
            jsonHandle = try OutputFile.create(path)
        }
        ownsHandle = true
        self.path = path
        encoder = LogExporter.makeEncoder()
        inputs = Dictionary(run.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        try writeHeader()
    }

    /// Writes to an open handle (standard output). CSV starts with a byte-order mark when `bom`
    /// (Excel reads UTF-8 without one as the local code page: garbled Chinese).
    public init(handle: FileHandle, format: Format, run: RunRecord, bom: Bool = false) throws {
        self.format = format
        csv = format == .csv ? CSVWriter(fileHandle: handle, bom: bom) : nil
        jsonHandle = format == .jsonl ? handle : nil
        ownsHandle = false
        path = nil
        encoder = LogExporter.makeEncoder()
        inputs = Dictionary(run.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        try writeHeader()
    }

    private static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    private func writeHeader() throws {
        try csv?.writeRow(LogExporter.csvHeaders)
    }

    public func write(_ d: LoggedDecision) throws {
        count += 1
        switch format {
        case .csv:
            let r = d.record, dec = d.decision
            let reasons: String = dec.reasons.joined(separator: "; ")
            let amount: String = dec.amount.map(DecisionFileWriter.money) ?? ""
            let score: String = dec.score.map(LuaNumberText.format) ?? ""
            let conditions: String = dec.conditionsText
            var cells: [CSVWriter.Cell] = [.identifier(d.id.description), .literal(String(d.id.run)), .literal(String(d.id.row))]
            cells += [.identifier(r.creditCode), .text(r.name), .text(r.street), .text(dec.serviceID), .text(r.serviceName)]
            cells += [.text(dec.ruleID ?? ""), .text(dec.outcome.label), .text(reasons), .literal(amount), .literal(score)]
            cells += [.text(conditions), .text(dec.errorMessage ?? ""), .text(inputs[d.input] ?? ""), .literal(String(d.line))]
            cells += LogExporter.reviewCells(d)
            try csv?.writeRow(cells)
        case .jsonl:
            jsonBuffer.append(contentsOf: try encoder.encode(LoggedDecisionLine(d, input: inputs[d.input])))
            jsonBuffer.append(0x0A)
            if jsonBuffer.count >= 256 * 1024 { try flushJSON() }
        }
    }

    /// 审核结论, 审核人, 审核时间, 审核备注, 审核所在运行.
    private static func reviewCells(_ d: LoggedDecision) -> [CSVWriter.Cell] {
        guard let review = d.review else { return [.text("未审核"), "", "", "", ""] }
        let verdict: String = d.isReviewed ? review.verdict.label : "未审核(运行\(review.run)审核时为\(review.outcome.label))"
        return [.text(verdict), .text(review.reviewer), .literal(ISOTimestamp.local(review.at)), .text(review.note ?? ""), .literal(String(review.run))]
    }

    private func flushJSON() throws {
        guard let jsonHandle, !jsonBuffer.isEmpty else { return }
        defer { jsonBuffer.removeAll(keepingCapacity: true) }
        do { try jsonHandle.write(contentsOf: jsonBuffer) } catch { throw Diagnostic.writeFailed(error, file: path ?? "standard output") }
    }

    public func close() throws {
        try csv?.close()
        try flushJSON()
        if ownsHandle { try jsonHandle?.close() }
    }
}

/// The JSON shape of one logged decision (snake_case keys).
struct LoggedDecisionLine: Encodable {
    struct Condition: Encodable {
        var label: String
        var result: String
        var missing_field: String?
    }

    struct ReviewLine: Encodable {
        var id: Int64
        var run: Int64
        var decision_id: Int64
        var verdict: String
        var reviewer: String
        var at: String
        var note: String?
        var outcome_reviewed: String
        /// Whether it applies to this decision (same run, or an earlier run with the same outcome).
        var applies: Bool
    }

    var decision_id: Int64
    var run: Int64
    var row: Int
    var credit_code: String
    var name: String
    var street: String
    var service_id: String
    var service_name: String
    var rule_id: String?
    var rule_file: String?
    var outcome: String
    var outcome_label: String
    var reasons: [String]
    var conditions: [Condition]
    var amount: Double?
    var score: Double?
    var error: String?
    var traceback: String?
    var input: String?
    var line: Int
    var review: ReviewLine?

    init(_ d: LoggedDecision, input: String?) {
        let dec = d.decision
        decision_id = d.id.rawValue
        run = d.id.run
        row = d.id.row
        credit_code = d.record.creditCode
        name = d.record.name
        street = d.record.street
        service_id = dec.serviceID
        service_name = d.record.serviceName
        rule_id = dec.ruleID
        rule_file = d.ruleFile
        outcome = dec.outcome.rawValue
        outcome_label = dec.outcome.label
        reasons = dec.reasons
        conditions = dec.conditions.indices.map { k in
            Condition(label: dec.conditions[k].label, result: dec.conditionResultName(k), missing_field: dec.conditions[k].missingField)
        }
        amount = dec.amount
        score = dec.score
        error = dec.errorMessage
        traceback = dec.traceback
        self.input = input
        line = d.line
        review = d.review.map {
            ReviewLine(id: $0.id, run: $0.run, decision_id: $0.decision.rawValue, verdict: $0.verdict.rawValue, reviewer: $0.reviewer,
                       at: $0.at, note: $0.note, outcome_reviewed: $0.outcome.rawValue, applies: d.isReviewed)
        }
    }
}
