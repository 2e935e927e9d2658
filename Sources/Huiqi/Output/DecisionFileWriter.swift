import Foundation

/// Writes decisions to `--out`: JSON Lines (`.jsonl`) or CSV (`.csv`, UTF-8 with BOM and Chinese
/// headers so Excel opens it correctly).
public final class DecisionFileWriter {
    public enum Format: String, Sendable { case jsonl, csv }

    public let format: Format
    /// JSON Lines go to `jsonl`, CSV to `csv` (which splits at Excel's row limit).
    private let jsonl: BufferedOutput?
    private let csv: CSVWriter?

    public static let csvHeader = ["统一社会信用代码", "企业名称", "所属街道", "服务编号", "服务名称", "规则编号", "判定结果",
                                   "理由", "金额(元)", "评分", "条件明细", "错误信息"]

    public init(path: String, format: Format? = nil) throws {
        let inferred: Format? = path.lowercased().hasSuffix(".csv") ? .csv
            : (path.lowercased().hasSuffix(".jsonl") || path.lowercased().hasSuffix(".ndjson")) ? .jsonl : nil
        guard let chosen = format ?? inferred else {
            throw Diagnostic(file: path, "output must end in .jsonl or .csv (输出文件须为 .jsonl 或 .csv)")
        }
        self.format = chosen
        if chosen == .csv {
            jsonl = nil
            csv = try CSVWriter(url: URL(fileURLWithPath: path))
            try csv?.writeRow(Self.csvHeader)
        } else {
            jsonl = try BufferedOutput(path: path)
            csv = nil
        }
    }

    public func write(_ record: DecisionRecord) throws {
        switch format {
        case .jsonl:
            try jsonl?.write(DecisionFileWriter.jsonLine(record))
        case .csv:
            let d = record.decision
            try csv?.writeRow([
                record.creditCode, record.name, record.street, d.serviceID, record.serviceName, d.ruleID ?? "",
                d.outcome.label, d.reasons.joined(separator: "; "), d.amount.map(Self.money) ?? "",
                d.score.map { LuaNumberText.format($0) } ?? "",
                d.conditionsText,
                d.errorMessage ?? "",
            ], numericColumns: [8, 9], identifierColumns: [0])
        }
    }

    /// Writes what is buffered to the file.
    public func flush() throws {
        try jsonl?.flush()
        try csv?.flush()
    }

    public func close() throws {
        try jsonl?.close()
        try csv?.close()
    }

    /// One decision as a JSON line (snake_case keys in a fixed order), newline included.
    public static func jsonLine(_ r: DecisionRecord) -> [UInt8] {
        let d = r.decision
        var j = JSONText()
        j.beginObject()
        j.field("credit_code", r.creditCode)
        j.field("name", r.name)
        j.field("street", r.street)
        j.field("service_id", d.serviceID)
        j.field("service_name", r.serviceName)
        j.field("rule_id", d.ruleID)
        j.field("outcome", d.outcome.rawValue)
        j.beginArray("reasons")
        for reason in d.reasons { j.element(reason) }
        j.endArray()
        j.beginArray("conditions")
        for (k, c) in d.conditions.enumerated() {
            j.beginObject()
            j.field("label", c.label)
            j.field("result", d.conditionResultName(k))
            if let m = c.missingField { j.field("missing_field", m) }
            if let n = c.note { j.field("note", n) }
            j.endObject()
        }
        j.endArray()
        // To the cent, unless so large that cents overflow a Double (which would write `inf`, not JSON).
        j.field("amount", d.amount.map { a in (a * 100).isFinite ? (a * 100).rounded() / 100 : a })
        j.field("score", d.score)
        if let e = d.errorMessage { j.field("error", e) }
        if let t = d.traceback { j.field("traceback", t) }
        j.endObject()
        return j.bytes + [10]
    }

    /// 元 with two decimals, without Foundation formatting on the hot path: how every listing, file
    /// and message shows an amount (`explain`, `log show`, `log diff`, `test`).
    public static func money(_ v: Double) -> String {
        var bytes: [UInt8] = []
        appendMoney(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `money`'s text appended to `bytes` (`log export` writes it straight into its rows).
    static func appendMoney(_ v: Double, to bytes: inout [UInt8]) {
        // Whole cents as an integer while they fit one; a rule may give any finite amount, and past
        // about 9e16 元 the conversion trapped (explain crashed on an amount of 1e308).
        guard abs(v) < 9e16 else {
            bytes.append(contentsOf: String(format: "%.2f", v).utf8)
            return
        }
        let cents = UInt64((abs(v) * 100).rounded())
        if v < 0 && cents != 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(cents / 100, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        if cents % 100 < 10 { bytes.append(UInt8(ascii: "0")) }
        DecimalDigits.append(cents % 100, to: &bytes)
    }

    /// `money` with thousands separators ("75,000.00"), for printed lists; CSV keeps `money`, which
    /// Excel reads as a number.
    public static func groupedMoney(_ v: Double) -> String {
        var bytes: [UInt8] = []
        appendGroupedMoney(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `groupedMoney`'s text appended to `bytes` (the printed lists write it into their cards): a
    /// comma before each three digits of the whole part, counted from its end.
    static func appendGroupedMoney(_ v: Double, to bytes: inout [UInt8]) {
        var text: [UInt8] = []
        appendMoney(v, to: &text)
        let signBytes = text.first == UInt8(ascii: "-") ? 1 : 0
        guard let dot = text.firstIndex(of: UInt8(ascii: ".")),
              text[signBytes..<dot].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            bytes.append(contentsOf: text)
            return
        }
        bytes.append(contentsOf: text[..<signBytes])
        for k in signBytes..<dot {
            if k > signBytes, (dot - k) % 3 == 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(text[k])
        }
        bytes.append(contentsOf: text[dot...])
    }

    static func mark(_ s: ConditionResult.State) -> String {
        switch s {
        case .passed: return "✓"
        case .failed: return "✗"
        case .unknown: return "?"
        case .skipped: return "·"  // not "-": a CSV cell starting with it is escaped against Excel formulas
        }
    }
}

/// Numbers as Lua users write them: integers without `.0`.
enum LuaNumberText {
    static func format(_ v: Double) -> String {
        var bytes: [UInt8] = []
        append(v, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `format`'s text appended to `bytes`.
    static func append(_ v: Double, to bytes: inout [UInt8]) {
        guard v == v.rounded(), abs(v) < 1e15 else {
            bytes.append(contentsOf: String(v).utf8)
            return
        }
        let n = Int64(v)
        if n < 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(n.magnitude, to: &bytes)
    }
}
