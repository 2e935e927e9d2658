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
        "决定编号", "运行编号", "判定日期", "数据行序号", "统一社会信用代码", "企业名称", "所属街道", "服务编号", "服务名称", "规则编号",
        "判定结果", "理由", "金额(元)", "评分", "条件明细", "错误信息", "来源文件", "来源行号",
        "审核结论", "审核人", "审核时间", "审核备注", "审核所在运行",
    ]

    public let format: Format
    private let csv: CSVWriter?
    private let jsonHandle: FileHandle?
    /// The JSON Lines file an export to a path writes, renamed into place by `close()`.
    private let jsonFile: StagedFile?
    private let ownsHandle: Bool
    /// The file written, for error messages (nil: standard output).
    private let path: String?
    private var jsonBuffer: [UInt8] = []
    private let inputs: [Int: String]
    /// The run's as-of date: 判定日期 on every row, "as_of" on every line (an export read apart
    /// from the log, or beside last year's, says the date it was decided on).
    private let asOf: String
    private let asOfCell: [UInt8]
    private let asOfField: [UInt8]
    public private(set) var count = 0
    /// The files written (a CSV past Excel's row limit goes on in further parts).
    public var paths: [String] { csv?.paths ?? (ownsHandle ? path.map { [$0] } ?? [] : []) }
    /// Rows written to a CSV that cannot be split (standard output), the header included.
    public var csvRows: Int { csv?.rowCount ?? 0 }

    /// Writes `path` (the format comes from its extension) under a temporary name: `close()` puts
    /// it in place, `discard()` leaves the file already there as it was (`StagedFile`).
    public init(path: String, run: RunRecord) throws {
        guard let format = Format(path: path) else {
            throw Diagnostic(file: path, "export must end in .csv or .jsonl (导出文件须为 .csv 或 .jsonl)")
        }
        self.format = format
        switch format {
        case .csv:
            csv = try CSVWriter(url: URL(fileURLWithPath: path), bom: true, staged: true)
            (jsonHandle, jsonFile) = (nil, nil)
        case .jsonl:
            csv = nil
            let file = try StagedFile(path)
            (jsonHandle, jsonFile) = (file.handle, file)
        }
        ownsHandle = true
        self.path = path
        inputs = Dictionary(run.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        (asOf, asOfCell, asOfField) = LogExporter.asOfParts(run)
        try writeHeader()
    }

    /// Writes to an open handle (standard output). CSV starts with a byte-order mark when `bom`
    /// (Excel reads UTF-8 without one as the local code page: garbled Chinese).
    public init(handle: FileHandle, format: Format, run: RunRecord, bom: Bool = false) throws {
        self.format = format
        csv = format == .csv ? CSVWriter(fileHandle: handle, bom: bom) : nil
        jsonHandle = format == .jsonl ? handle : nil
        jsonFile = nil
        ownsHandle = false
        path = nil
        inputs = Dictionary(run.provenance.inputs.map { ($0.ordinal, $0.path) }, uniquingKeysWith: { a, _ in a })
        (asOf, asOfCell, asOfField) = LogExporter.asOfParts(run)
        try writeHeader()
    }

    private static func asOfParts(_ run: RunRecord) -> (String, [UInt8], [UInt8]) {
        let asOf = run.provenance.asOf
        return (asOf, CSVWriter.encodedCells([CSVWriter.Cell.literal(asOf)][...]), LoggedDecisionLine.fields { $0.field("as_of", asOf) })
    }

    private func writeHeader() throws {
        try csv?.writeRow(LogExporter.csvHeaders)
    }

    public func write(_ d: LoggedDecision) throws {
        count += 1
        switch format {
        case .csv:
            try csv?.writeRow(csvCells(d))
        case .jsonl:
            jsonBuffer.append(contentsOf: LoggedDecisionLine.bytes(d, input: inputs[d.input], asOf: asOf))
            jsonBuffer.append(0x0A)
            if jsonBuffer.count >= 256 * 1024 { try flushJSON() }
        }
    }

    /// The CSV row of `d`, in the order of `csvHeaders`. `write(_: SelectedDecision)` encodes
    /// parts of it once for many rows: the ranges below say which part depends on what.
    private func csvCells(_ d: LoggedDecision) -> [CSVWriter.Cell] {
        let r = d.record, dec = d.decision
        let reasons: String = dec.reasons.joined(separator: "; ")
        let conditions: String = dec.conditionsText
        var cells: [CSVWriter.Cell] = LogExporter.idCells(d.id)
        cells.insert(.literal(asOf), at: 2)  // 判定日期, after 运行编号
        cells += [.identifier(r.creditCode), .text(r.name), .text(r.street), .text(dec.serviceID), .text(r.serviceName)]
        cells += [.text(dec.ruleID ?? ""), .text(dec.outcome.label), .text(reasons)]
        cells += LogExporter.numberCells(amount: dec.amount, score: dec.score)
        cells += [.text(conditions), .text(dec.errorMessage ?? ""), .text(inputs[d.input] ?? ""), .literal(String(d.line))]
        cells += LogExporter.reviewCells(d)
        return cells
    }

    /// 决定编号, 运行编号, 数据行序号: one decision's own.
    static func idCells(_ id: DecisionID) -> [CSVWriter.Cell] {
        [.identifier(id.description), .literal(String(id.run)), .literal(String(id.row))]
    }

    /// 金额(元), 评分.
    static func numberCells(amount: Double?, score: Double?) -> [CSVWriter.Cell] {
        [.literal(amount.map(DecisionFileWriter.money) ?? ""), .literal(score.map(LuaNumberText.format) ?? "")]
    }

    /// In `csvCells`: 服务编号, 服务名称, 规则编号, 判定结果, 理由 (a function of the service, rule,
    /// outcome and reasons), and 条件明细 (of the rule and the conditions' results).
    private static let serviceCells = 7..<12, conditionCells = 14..<15

    /// What the service part of a row is a function of (`LogEntry`'s ids: texts are interned).
    private struct ServiceKey: Hashable {
        var slot: Int, rule: Int64?, outcome: Int, reason: Int64?
    }

    /// What the conditions part of a row is a function of (the outcome too: an error's raising
    /// condition is marked `!`).
    private struct ConditionsKey: Hashable {
        var rule: Int64?, conditions: Int64, missing: Int64?, outcome: Int
    }

    /// Encoded parts of CSV rows, by what they depend on (`write(_: SelectedDecision)`).
    private var serviceParts: [ServiceKey: [UInt8]] = [:]
    private var conditionParts: [ConditionsKey: [UInt8]] = [:]
    /// The business of the last row written, its row number and its two parts.
    private var businessPart: (row: Int64, business: [UInt8], source: [UInt8])?
    private static let unreviewedPart = CSVWriter.encodedCells(reviewCells(nil)[...])
    /// A run holds a few thousand combinations; a damaged or strange log cannot make the caches grow without end.
    private static let maxCached = 100_000

    /// Writes a decision as `write(_: LoggedDecision)` does, with the same bytes. A CSV row without
    /// an error or review is put together from parts encoded once: for the business (its 24
    /// decisions in a row), for each service × rule × outcome × reasons, for each rule ×
    /// conditions' results. Building each decision and encoding every cell anew took 173 s for
    /// the 24M decisions of a 1M-business run (district-scale review).
    func write(_ selected: SelectedDecision) throws {
        let entry = selected.entry
        guard selected.review == nil, entry.error == nil, selected.business.row >= 0 else { return try write(try selected.decoded()) }
        guard format == .csv, let csv else { return try writeJSON(selected) }
        count += 1
        let b = selected.business
        let serviceKey = ServiceKey(slot: selected.slot, rule: entry.rule, outcome: entry.outcome, reason: entry.reason)
        let conditionsKey = ConditionsKey(rule: entry.rule, conditions: entry.conditions, missing: entry.missing, outcome: entry.outcome)
        var service = serviceParts[serviceKey], conditions = conditionParts[conditionsKey]
        if service == nil || conditions == nil {
            let cells = csvCells(try selected.decoded())
            service = CSVWriter.encodedCells(cells[LogExporter.serviceCells])
            conditions = CSVWriter.encodedCells(cells[LogExporter.conditionCells])
            if serviceParts.count < LogExporter.maxCached { serviceParts[serviceKey] = service }
            if conditionParts.count < LogExporter.maxCached { conditionParts[conditionsKey] = conditions }
        }
        if businessPart?.row != b.row {
            // As `decode` copies them into the decision.
            let cells: [CSVWriter.Cell] = [.identifier(b.creditCode), .text(b.name), .text(b.street)]
            let source: [CSVWriter.Cell] = [.text(inputs[b.input] ?? ""), .literal(String(b.line))]
            businessPart = (b.row, CSVWriter.encodedCells(cells[...]), CSVWriter.encodedCells(source[...]))
        }
        guard let businessPart, let service, let conditions else { return }
        let id = DecisionID(run: selected.decoder.run, row: Int(b.row), slot: selected.slot)
        try csv.writeEncodedRow { bytes in
            LogExporter.appendIDCells(id, asOf: asOfCell, to: &bytes)
            bytes.append(0x2C)
            bytes.append(contentsOf: businessPart.business)
            bytes.append(0x2C)
            bytes.append(contentsOf: service)
            bytes.append(0x2C)
            LogExporter.appendNumberCells(amount: entry.amount, score: entry.score, to: &bytes)
            bytes.append(0x2C)
            bytes.append(contentsOf: conditions)
            bytes.append(0x2C)  // no error
            bytes.append(0x2C)
            bytes.append(contentsOf: businessPart.source)
            bytes.append(0x2C)
            bytes.append(contentsOf: LogExporter.unreviewedPart)
        }
    }

    /// The parts of JSON lines, by what they depend on (as `serviceParts`): conditions; outcome,
    /// label and reasons; rule file, id and run; service id and name.
    private var jsonConditions: [ConditionsKey: [UInt8]] = [:]
    private var jsonOutcomes: [ServiceKey: [UInt8]] = [:]
    private var jsonRules: [Int64: [UInt8]] = [:]
    private var jsonServices: [Int: [UInt8]] = [:]
    /// The business of the last line: its row and parts ("credit_code"; "input", "line", "name"; "street").
    private var jsonBusiness: (row: Int64, code: [UInt8], source: [UInt8], street: [UInt8])?

    /// A JSON line without an error or review put together from parts, as `LoggedDecisionLine.bytes`
    /// writes it (its members in the same order).
    private func writeJSON(_ selected: SelectedDecision) throws {
        count += 1
        let entry = selected.entry, b = selected.business
        let outcomeKey = ServiceKey(slot: 0, rule: nil, outcome: entry.outcome, reason: entry.reason)
        let conditionsKey = ConditionsKey(rule: entry.rule, conditions: entry.conditions, missing: entry.missing, outcome: entry.outcome)
        let ruleKey = entry.rule ?? -1
        var conditions = jsonConditions[conditionsKey], outcome = jsonOutcomes[outcomeKey], rule = jsonRules[ruleKey],
            service = jsonServices[selected.slot]
        if conditions == nil || outcome == nil || rule == nil || service == nil {
            let d = try selected.decoded(), dec = d.decision
            conditions = LoggedDecisionLine.fields { LoggedDecisionLine.conditions(dec, &$0) }
            outcome = LoggedDecisionLine.fields { LoggedDecisionLine.outcome(dec, &$0) }
            rule = LoggedDecisionLine.fields { LoggedDecisionLine.rule(file: d.ruleFile, id: dec.ruleID, run: d.id.run, &$0) }
            service = LoggedDecisionLine.fields { LoggedDecisionLine.service(id: dec.serviceID, name: d.record.serviceName, &$0) }
            if jsonConditions.count < LogExporter.maxCached { jsonConditions[conditionsKey] = conditions }
            if jsonOutcomes.count < LogExporter.maxCached { jsonOutcomes[outcomeKey] = outcome }
            if jsonRules.count < LogExporter.maxCached { jsonRules[ruleKey] = rule }
            if jsonServices.count < LogExporter.maxCached { jsonServices[selected.slot] = service }
        }
        if jsonBusiness?.row != b.row {
            jsonBusiness = (b.row, LoggedDecisionLine.fields { $0.field("credit_code", b.creditCode) },
                            LoggedDecisionLine.fields { LoggedDecisionLine.source(input: inputs[b.input], line: b.line, name: b.name, &$0) },
                            LoggedDecisionLine.fields { $0.field("street", b.street) })
        }
        guard let business = jsonBusiness, let conditions, let outcome, let rule, let service else { return }
        let id = DecisionID(run: selected.decoder.run, row: Int(b.row), slot: selected.slot)
        let comma = UInt8(ascii: ",")
        jsonBuffer.append(UInt8(ascii: "{"))
        if let amount = entry.amount {
            jsonBuffer.append(contentsOf: LogExporter.amountKey)
            LuaNumberText.append(amount, to: &jsonBuffer)
            jsonBuffer.append(comma)
        }
        jsonBuffer.append(contentsOf: asOfField)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: conditions)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: business.code)
        jsonBuffer.append(contentsOf: LogExporter.decisionIDKey)
        DecimalDigits.append(UInt64(id.rawValue), to: &jsonBuffer)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: business.source)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: outcome)
        jsonBuffer.append(contentsOf: LogExporter.rowKey)
        DecimalDigits.append(UInt64(id.row), to: &jsonBuffer)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: rule)
        if let score = entry.score {
            jsonBuffer.append(contentsOf: LogExporter.scoreKey)
            LuaNumberText.append(score, to: &jsonBuffer)
        }
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: service)
        jsonBuffer.append(comma)
        jsonBuffer.append(contentsOf: business.street)
        jsonBuffer.append(contentsOf: [UInt8(ascii: "}"), 0x0A])
        if jsonBuffer.count >= 256 * 1024 { try flushJSON() }
    }

    private static let amountKey = Array("\"amount\":".utf8), decisionIDKey = Array(",\"decision_id\":".utf8),
        rowKey = Array(",\"row\":".utf8), scoreKey = Array(",\"score\":".utf8)

    /// `idCells` encoded, the numbers written as digits without making strings; with `asOf` (an
    /// encoded cell), 判定日期 between 运行编号 and 数据行序号, as an export's rows have it.
    static func appendIDCells(_ id: DecisionID, asOf: [UInt8]? = nil, to bytes: inout [UInt8]) {
        guard id.rawValue >= 0, id.run >= 0, id.row >= 0 else {
            var cells = CSVWriter.encodedCells(idCells(id)[..<2])
            if let asOf { cells.append(0x2C); cells.append(contentsOf: asOf) }
            cells.append(0x2C)
            cells.append(contentsOf: CSVWriter.encodedCells(idCells(id)[2...]))
            bytes.append(contentsOf: cells)
            return
        }
        appendIDCell(id, to: &bytes)
        bytes.append(0x2C)
        DecimalDigits.append(UInt64(id.run), to: &bytes)
        if let asOf {
            bytes.append(0x2C)
            bytes.append(contentsOf: asOf)
        }
        bytes.append(0x2C)
        DecimalDigits.append(UInt64(id.row), to: &bytes)
    }

    /// The decision id's cell alone (决定编号, `.identifier(id.description)`), written as digits
    /// without making strings (`lists.csv` too).
    static func appendIDCell(_ id: DecisionID, to bytes: inout [UInt8]) {
        guard id.rawValue >= 0 else {
            CSVWriter.appendCell(.identifier(id.description), to: &bytes)
            return
        }
        // `CSVWriter.defused(.identifier)`: 12 digits or more, or a leading 0, as ="…", which
        // holds quotes and so is quoted itself: "=""…""".
        let digits = DecimalDigits.count(UInt64(id.rawValue))
        let quoted = digits >= 12 || id.rawValue == 0
        if quoted { bytes.append(contentsOf: "\"=\"\"".utf8) }
        DecimalDigits.append(UInt64(id.rawValue), to: &bytes)
        if quoted { bytes.append(contentsOf: "\"\"\"".utf8) }
    }

    /// `numberCells` encoded (neither text ever needs quoting), written without making strings.
    static func appendNumberCells(amount: Double?, score: Double?, to bytes: inout [UInt8]) {
        if let amount { DecisionFileWriter.appendMoney(amount, to: &bytes) }
        bytes.append(0x2C)
        if let score { LuaNumberText.append(score, to: &bytes) }
    }

    /// 审核结论, 审核人, 审核时间, 审核备注, 审核所在运行.
    private static func reviewCells(_ d: LoggedDecision?) -> [CSVWriter.Cell] {
        guard let d, let review = d.review else { return [.text("未审核"), "", "", "", ""] }
        let verdict: String = d.isReviewed ? review.verdict.label : "未审核(\(review.whyNotCarriedOver(outcome: d.decision.outcome, rule: d.ruleVersion)))"
        return [.text(verdict), .text(review.reviewer), .literal(ISOTimestamp.local(review.at)), .text(review.note ?? ""), .literal(String(review.run))]
    }

    private func flushJSON() throws {
        guard let jsonHandle, !jsonBuffer.isEmpty else { return }
        defer { jsonBuffer.removeAll(keepingCapacity: true) }
        do { try jsonHandle.write(contentsOf: jsonBuffer) } catch { throw Diagnostic.writeFailed(error, file: path ?? "standard output") }
    }

    /// Writes what is buffered and puts the file in place.
    public func close() throws {
        try csv?.close()
        do { try flushJSON() } catch { jsonFile?.discard(); throw error }
        try jsonFile?.commit()
    }

    /// Stops an export to a path and removes what it wrote; a file already at the path stays as it was.
    public func discard() {
        csv?.discard()
        jsonBuffer.removeAll()
        jsonFile?.discard()
    }

    /// What `discard()` left at the path, for the message that says the export stopped.
    public var afterDiscard: String { jsonFile?.afterDiscard ?? csv?.afterDiscard ?? "" }
}

/// One logged decision as a JSON line: snake_case keys in alphabetical order, absent values left
/// out. Written with `JSONText`: Foundation's `JSONEncoder` took about 20 µs a decision, 470 s
/// for the 24M decisions of a 1M-business run (district-scale review).
enum LoggedDecisionLine {
    static func bytes(_ d: LoggedDecision, input: String?, asOf: String? = nil) -> [UInt8] {
        let dec = d.decision
        var j = JSONText()
        j.beginObject()
        if let amount = dec.amount { j.field("amount", amount) }
        if let asOf { j.field("as_of", asOf) }
        conditions(dec, &j)
        j.field("credit_code", d.record.creditCode)
        j.field("decision_id", Int(d.id.rawValue))
        if let error = dec.errorMessage { j.field("error", error) }
        source(input: input, line: d.line, name: d.record.name, &j)
        outcome(dec, &j)
        if let r = d.review {
            j.beginObject("review")
            // The reviewed decision's amount (null: none; absent: a review from before logs kept
            // it), so `applies: false` can be told from the export (review).
            if let kept = r.amount { j.field("amount_reviewed", Double(kept)) }
            j.field("applies", d.isReviewed)  // `Review.applies`
            j.field("at", r.at)
            j.field("decision_id", Int(r.decision.rawValue))
            j.field("id", Int(r.id))
            if let note = r.note { j.field("note", note) }
            j.field("outcome_reviewed", r.outcome.rawValue)
            j.field("reviewer", r.reviewer)
            j.field("run", Int(r.run))
            j.field("verdict", r.verdict.rawValue)
            j.endObject()
        }
        j.field("row", d.id.row)
        rule(file: d.ruleFile, id: dec.ruleID, run: d.id.run, &j)
        if let score = dec.score { j.field("score", score) }
        service(id: dec.serviceID, name: d.record.serviceName, &j)
        j.field("street", d.record.street)
        if let traceback = dec.traceback { j.field("traceback", traceback) }
        j.endObject()
        return j.bytes
    }

    // The groups of fields below are written once for many lines by `LogExporter.write(_:
    // SelectedDecision)` (`fields`), each a function of what its parameters say.

    /// "conditions": of the rule and the conditions' results.
    static func conditions(_ dec: Decision, _ j: inout JSONText) {
        j.beginArray("conditions")
        for k in dec.conditions.indices {
            let c = dec.conditions[k]
            j.beginObject()
            j.field("label", c.label)
            if let missing = c.missingField { j.field("missing_field", missing) }
            j.field("result", dec.conditionResultName(k))
            j.endObject()
        }
        j.endArray()
    }

    /// "input", "line", "name": of the business.
    static func source(input: String?, line: Int, name: String, _ j: inout JSONText) {
        if let input { j.field("input", input) }
        j.field("line", line)
        j.field("name", name)
    }

    /// "outcome", "outcome_label", "reasons".
    static func outcome(_ dec: Decision, _ j: inout JSONText) {
        j.field("outcome", dec.outcome.rawValue)
        j.field("outcome_label", dec.outcome.label)
        j.beginArray("reasons")
        for reason in dec.reasons { j.element(reason) }
        j.endArray()
    }

    /// "rule_file", "rule_id", "run".
    static func rule(file: String?, id: String?, run: Int64, _ j: inout JSONText) {
        if let file { j.field("rule_file", file) }
        if let id { j.field("rule_id", id) }
        j.field("run", Int(run))
    }

    /// "service_id", "service_name".
    static func service(id: String, name: String, _ j: inout JSONText) {
        j.field("service_id", id)
        j.field("service_name", name)
    }

    /// Members written by `build` as `bytes` writes them inside the object, without its braces
    /// (`"a":1,"b":2`).
    static func fields(_ build: (inout JSONText) -> Void) -> [UInt8] {
        var j = JSONText()
        j.beginObject()
        build(&j)
        return Array(j.bytes.dropFirst())
    }
}
