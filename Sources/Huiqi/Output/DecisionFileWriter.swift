import Foundation

/// Writes decisions to `--out`: JSON Lines (`.jsonl`) or CSV (`.csv`, UTF-8 with BOM and Chinese
/// headers so Excel opens it correctly).
public final class DecisionFileWriter {
    public enum Format: String, Sendable { case jsonl, csv }

    public let format: Format
    private let output: BufferedOutput
    private let encoder: JSONEncoder

    public static let csvHeader = ["统一社会信用代码", "企业名称", "所属街道", "服务编号", "服务名称", "规则编号", "判定结果",
                                   "理由", "金额(元)", "评分", "条件明细", "错误信息"]

    public init(path: String, format: Format? = nil) throws {
        let inferred: Format? = path.lowercased().hasSuffix(".csv") ? .csv
            : (path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson")) ? .jsonl : nil
        guard let chosen = format ?? inferred else {
            throw Diagnostic(file: path, "output must end in .jsonl or .csv (输出文件须为 .jsonl 或 .csv)")
        }
        self.format = chosen
        output = try BufferedOutput(path: path)
        encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if chosen == .csv {
            output.write(CSVText.bom)
            output.write(CSVText.row(Self.csvHeader))
        }
    }

    public func write(_ record: DecisionRecord) throws {
        switch format {
        case .jsonl:
            let data = try encoder.encode(DecisionLine(record))
            output.write(data)
            output.write("\n")
        case .csv:
            let d = record.decision
            output.write(CSVText.row([
                record.creditCode, record.name, record.street, d.serviceID, record.serviceName, d.ruleID ?? "",
                d.outcome.label, d.reasons.joined(separator: "; "), d.amount.map(Self.money) ?? "",
                d.score.map { LuaNumberText.format($0) } ?? "",
                d.conditions.map { "\(Self.mark($0.state)) \($0.label)" }.joined(separator: "; "),
                d.errorMessage ?? "",
            ]))
        }
    }

    public func close() throws { try output.close() }

    static func money(_ v: Double) -> String { String(format: "%.2f", v) }

    static func mark(_ s: ConditionResult.State) -> String {
        switch s {
        case .passed: return "✓"
        case .failed: return "✗"
        case .unknown: return "?"
        case .skipped: return "-"
        }
    }
}

/// The JSON shape of one decision line (snake_case keys, stable order).
struct DecisionLine: Encodable {
    var credit_code: String
    var name: String
    var street: String
    var service_id: String
    var service_name: String
    var rule_id: String?
    var outcome: String
    var reasons: [String]
    var conditions: [Condition]
    var amount: Double?
    var score: Double?
    var error: String?
    var traceback: String?

    struct Condition: Encodable {
        var label: String
        var result: String
        var missing_field: String?
    }

    init(_ r: DecisionRecord) {
        credit_code = r.creditCode
        name = r.name
        street = r.street
        service_id = r.decision.serviceID
        service_name = r.serviceName
        rule_id = r.decision.ruleID
        outcome = r.decision.outcome.rawValue
        reasons = r.decision.reasons
        conditions = r.decision.conditions.map { Condition(label: $0.label, result: $0.state.rawValue, missing_field: $0.missingField) }
        amount = r.decision.amount.map { ($0 * 100).rounded() / 100 }
        score = r.decision.score
        error = r.decision.errorMessage
        traceback = r.decision.traceback
    }
}

/// Numbers as Lua users write them: integers without `.0`.
enum LuaNumberText {
    static func format(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return String(v)
    }
}
