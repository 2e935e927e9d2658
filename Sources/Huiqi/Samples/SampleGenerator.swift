import Foundation

/// Deterministic sample business profiles for demos, tests and million-row benchmarks.
///
/// Row `i` depends only on the schema, the seed and `i` (its own SplitMix64 stream), so output is
/// byte-identical across runs and machines and any row can be inspected on its own. Rows look
/// like Bao'an's register: all 10 streets, ≈55% enterprises / 42% 个体工商户 / 3% 专业市场, valid
/// and unique credit codes, GB/T 4754 industry codes, skewed sizes, mixed spellings of booleans
/// and dates, ≈8% of optional core cells empty. A share of rows can be made deliberately bad.
///
///     let generator = SampleGenerator(schema: schema, seed: 7, invalidShare: 0.05)
///     try generator.writeCSV(count: 1_000_000, to: URL(fileURLWithPath: "Samples/profiles-1m.csv"))
///     generator.profileRow(3)["street"]    // e.g. "沙井"
///
/// Only fields in the schema are written (CSV headers are their Chinese labels); core fields get
/// realistic values, and so do the shipped bundle's optional fields (`SampleExtras.Field`: loans,
/// layoffs, youth hires, 个转企, 四上 entry, tech designations…), consistent with the core ones and
/// empty where there is nothing to report (no loan, no first-loan date) or, ≈12%, unreported.
/// Any other field gets plausible values of its type. Credit codes are unique for
/// the first 887,503,681 (31^6) rows of a seed.
public struct SampleGenerator: Sendable {
    public let schema: Schema
    public let seed: UInt64
    /// Share of rows (0…1) that carry one `SampleDefect`.
    public let invalidShare: Double

    private let fields: [SampleField]
    private let creditCodeIndex: Int?
    private let nameIndex: Int?
    /// Targets for each kind of defect, preferred first (employees, established_on, tax rating).
    private let integerTargets: [Int]
    private let dateTargets: [Int]
    private let enumTargets: [Int]
    private let defects: [SampleDefect]

    /// How far back a duplicate looks for an earlier valid row before settling for another defect.
    static let duplicateSearch = 64

    public init(schema: Schema, seed: UInt64, invalidShare: Double = 0) {
        self.schema = schema
        self.seed = seed
        self.invalidShare = min(max(invalidShare, 0), 1)
        let fields = schema.fields.map(SampleField.init)
        let creditCodeIndex = schema.index(of: Schema.creditCodeField)
        let nameIndex = schema.index(of: Schema.nameField)
        self.fields = fields
        self.creditCodeIndex = creditCodeIndex
        self.nameIndex = nameIndex

        func targets(_ type: FieldType, preferring preferred: [SampleField.Role]) -> [Int] {
            let all = fields.indices.filter { fields[$0].type == type && $0 != creditCodeIndex && $0 != nameIndex }
            let first = preferred.compactMap { role in all.first { fields[$0].role == role } }
            return first + all.filter { !first.contains($0) }
        }
        integerTargets = targets(.integer, preferring: [.employees])
        dateTargets = targets(.date, preferring: [.establishedOn])
        enumTargets = targets(.enum, preferring: [.taxCreditRating, .subjectType]).filter { !fields[$0].choices.isEmpty }

        var defects: [SampleDefect] = []
        if creditCodeIndex != nil { defects += [.badCheckDigit, .duplicateCreditCode] }
        if nameIndex != nil { defects.append(.missingName) }
        if !integerTargets.isEmpty { defects.append(.badInteger) }
        if !dateTargets.isEmpty { defects.append(.badDate) }
        if !enumTargets.isEmpty { defects.append(.unknownEnumValue) }
        self.defects = defects
    }

    // MARK: - Rows

    /// Row `i` as field name → cell text (`""` for an empty cell), exactly as written to files.
    public func profileRow(_ i: Int) -> [String: String] {
        var cells: [String] = []
        fillCells(i, into: &cells)
        var row: [String: String] = [:]
        for (field, cell) in zip(fields, cells) { row[field.name] = cell }
        return row
    }

    /// What is wrong with row `i`, or nil when it is a valid row.
    public func defect(at i: Int) -> SampleDefect? {
        guard isDefective(i), !defects.isEmpty else { return nil }
        let kind = defects[Int(SplitMix64.mix(defectHash(i)) % UInt64(defects.count))]
        if kind == .duplicateCreditCode && duplicateSource(for: i) == nil { return .badCheckDigit }
        return kind
    }

    private func rowKey(_ i: Int) -> UInt64 {
        SplitMix64.mix(seed &+ SplitMix64.mix(UInt64(truncatingIfNeeded: i) &+ 0x5EED))
    }

    private func defectHash(_ i: Int) -> UInt64 { SplitMix64.mix(rowKey(i) ^ 0x3C6E_F372_FE94_F82B) }

    private func isDefective(_ i: Int) -> Bool {
        invalidShare > 0 && Double(defectHash(i) >> 11) * 0x1p-53 < invalidShare
    }

    /// An earlier valid row whose credit code row `i` repeats.
    private func duplicateSource(for i: Int) -> Int? {
        guard i > 0 else { return nil }
        var j = Int(SplitMix64.mix(defectHash(i) ^ 0xA54F_F53A_5F1D_36F1) % UInt64(i))
        for _ in 0..<SampleGenerator.duplicateSearch {
            if !isDefective(j) { return j }
            if j == 0 { return nil }
            j -= 1
        }
        return nil
    }

    private func drawFirm(_ i: Int) -> SampleFirm {
        var rng = SplitMix64(seed: rowKey(i) ^ 0x6A09_E667_F3BC_C908)
        return SampleFirm.draw(index: i, seed: seed, rng: &rng)
    }

    /// Fills `cells` (one per schema field) for row `i`, reusing its storage.
    func fillCells(_ i: Int, into cells: inout [String]) {
        let firm = drawFirm(i)
        var rng = SplitMix64(seed: rowKey(i) ^ 0xBB67_AE85_84CA_A73B)
        if cells.count != fields.count { cells = Array(repeating: "", count: fields.count) }
        for k in fields.indices {
            if !fields[k].required && rng.chance(fields[k].emptyShare) {
                cells[k] = ""
            } else if let role = fields[k].role {
                cells[k] = fields[k].render(firm.value(for: role), &rng)
            } else if let extra = fields[k].extra {
                // No fact (no loan, never an individual, not 四上…) is an empty cell, unless the
                // schema requires one; a fact the declared type cannot hold falls back to the type.
                if let value = firm.extras.value(for: extra) {
                    cells[k] = fields[k].fits(value) ? fields[k].render(value, &rng) : fields[k].generic(&rng)
                } else {
                    cells[k] = fields[k].required ? fields[k].generic(&rng) : ""
                }
            } else {
                cells[k] = fields[k].generic(&rng)
            }
        }
        if let defect = defect(at: i) { apply(defect, row: i, firm: firm, to: &cells) }
    }

    private func apply(_ defect: SampleDefect, row i: Int, firm: SampleFirm, to cells: inout [String]) {
        var rng = SplitMix64(seed: defectHash(i))
        switch defect {
        case .badCheckDigit:
            guard let k = creditCodeIndex else { return }
            var bytes = Array(firm.creditCode.utf8)
            let charset = SampleFirm.codeCharset
            if let last = bytes.last, let position = charset.firstIndex(of: last) {
                bytes[bytes.count - 1] = charset[(position + 1 + rng.nextInt(below: 30)) % 31]
            }
            cells[k] = String(decoding: bytes, as: UTF8.self)
        case .missingName:
            if let k = nameIndex { cells[k] = "" }
        case .badInteger:
            if let k = integerTargets.first { cells[k] = ["十二", "十五", "12人", "约20"][rng.nextInt(below: 4)] }
        case .badDate:
            if let k = dateTargets.first {
                cells[k] = ["2023-02-30", "2021-13-01", "2019/2/29", "2022年4月31日"][rng.nextInt(below: 4)]
            }
        case .unknownEnumValue:
            guard !enumTargets.isEmpty else { return }
            let k = enumTargets[rng.nextInt(below: enumTargets.count)]
            let candidates: [String]
            switch fields[k].role {
            case .taxCreditRating: candidates = ["E", "AA", "良好"]
            case .subjectType: candidates = ["农民专业合作社", "合作社"]
            case .street: candidates = ["龙华", "南山街道"]
            default: candidates = ["未知", "其他类"]
            }
            let fresh = candidates.filter { !fields[k].accepted.contains($0.lowercased()) }
            cells[k] = fresh.isEmpty ? "未知值\(i)" : fresh[rng.nextInt(below: fresh.count)]
        case .duplicateCreditCode:
            if let k = creditCodeIndex, let j = duplicateSource(for: i) { cells[k] = drawFirm(j).creditCode }
        }
    }

    // MARK: - Files

    /// Thrown when `shouldStop` said to stop: nothing was put at the path.
    public struct Stopped: Error {}

    /// Writes a header of Chinese labels (UTF-8 with BOM, for Excel) and `count` rows, RFC 4180 quoting.
    /// `shouldStop` is asked every 4,096 rows (Ctrl-C): the file is then not made, or left as it was.
    public func writeCSV(count: Int, to url: URL, shouldStop: () -> Bool = { false }) throws {
        var out = try BufferedFileWriter(url: url)
        out.append([0xEF, 0xBB, 0xBF])
        for (k, field) in schema.fields.enumerated() {
            if k > 0 { out.append(byte: UInt8(ascii: ",")) }
            SampleGenerator.appendCSV(field.label.isEmpty ? field.name : field.label, to: &out)
        }
        out.append(byte: UInt8(ascii: "\n"))
        var cells: [String] = []
        for i in 0..<max(count, 0) {
            fillCells(i, into: &cells)
            for (k, cell) in cells.enumerated() {
                if k > 0 { out.append(byte: UInt8(ascii: ",")) }
                SampleGenerator.appendCSV(cell, to: &out)
            }
            out.append(byte: UInt8(ascii: "\n"))
            try out.flushIfFull()
            if i & 4095 == 4095, shouldStop() { throw Stopped() }
        }
        try out.close()
    }

    /// Writes `count` rows as JSON objects keyed by field name, one per line. Numbers and booleans
    /// that are well formed become JSON numbers and booleans, lists become arrays of strings, empty
    /// cells are left out, and anything else (including deliberately bad values) stays a string.
    public func writeJSONLines(count: Int, to url: URL, shouldStop: () -> Bool = { false }) throws {
        var out = try BufferedFileWriter(url: url)
        var cells: [String] = []
        for i in 0..<max(count, 0) {
            fillCells(i, into: &cells)
            out.append(byte: UInt8(ascii: "{"))
            var first = true
            for (k, cell) in cells.enumerated() where !cell.isEmpty {
                if !first { out.append(byte: UInt8(ascii: ",")) }
                first = false
                out.append(fields[k].jsonKey)
                SampleGenerator.appendJSONValue(cell, type: fields[k].type, to: &out)
            }
            out.append([UInt8(ascii: "}"), UInt8(ascii: "\n")])
            try out.flushIfFull()
            if i & 4095 == 4095, shouldStop() { throw Stopped() }
        }
        try out.close()
    }

    static func appendCSV(_ cell: String, to out: inout BufferedFileWriter) {
        var cell = cell
        let needsQuotes = cell.withUTF8 { bytes in
            // Spelled-out types: with GRDB's operators in scope the inferred form does not type-check in time.
            bytes.contains { (b: UInt8) -> Bool in b == 0x2C || b == 0x22 || b == 0x0A || b == 0x0D }
        }
        guard needsQuotes else { out.append(cell); return }
        out.append(byte: UInt8(ascii: "\""))
        for byte in cell.utf8 {
            if byte == UInt8(ascii: "\"") { out.append(byte: byte) }
            out.append(byte: byte)
        }
        out.append(byte: UInt8(ascii: "\""))
    }

    static func appendJSONValue(_ cell: String, type: FieldType, to out: inout BufferedFileWriter) {
        switch type {
        case .integer where Int64(cell) != nil:
            out.append(cell)
        case .decimal where isPlainNumber(cell):
            out.append(cell)
        case .boolean where booleanSpelling(cell) != nil:
            out.append(booleanSpelling(cell) == true ? "true" : "false")
        case .list:
            out.append(byte: UInt8(ascii: "["))
            for (n, item) in cell.split(separator: ";").enumerated() {
                if n > 0 { out.append(byte: UInt8(ascii: ",")) }
                appendJSONString(String(item), to: &out)
            }
            out.append(byte: UInt8(ascii: "]"))
        default:
            appendJSONString(cell, to: &out)
        }
    }

    /// The truth value of the spellings `SampleField.spell` writes (是/否, true/false, 1/0), by bytes:
    /// comparing non-ASCII `String`s is slow, and this runs for every boolean cell.
    static func booleanSpelling(_ cell: String) -> Bool? {
        let bytes = cell.utf8
        switch bytes.count {
        case 1: return bytes.first == UInt8(ascii: "1") ? true : (bytes.first == UInt8(ascii: "0") ? false : nil)
        case 3 where bytes.elementsEqual([0xE6, 0x98, 0xAF]): return true // 是
        case 3 where bytes.elementsEqual([0xE5, 0x90, 0xA6]): return false // 否
        case 4 where cell == "true": return true
        case 5 where cell == "false": return false
        default: return nil
        }
    }

    /// Whether `text` is a JSON number as written: `-?(0|[1-9][0-9]*)(\.[0-9]+)?`.
    static func isPlainNumber(_ text: String) -> Bool {
        var bytes = text.utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (b: UInt8) in b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        let whole = bytes.prefix(while: isDigit)
        guard !whole.isEmpty, whole.count == 1 || whole.first != UInt8(ascii: "0") else { return false }
        let rest = bytes.dropFirst(whole.count)
        if rest.isEmpty { return true }
        guard rest.first == UInt8(ascii: ".") else { return false }
        let fraction = rest.dropFirst()
        return !fraction.isEmpty && fraction.allSatisfy(isDigit)
    }

    static func appendJSONString(_ text: String, to out: inout BufferedFileWriter) {
        out.append(byte: UInt8(ascii: "\""))
        var text = text
        let plain = text.withUTF8 { bytes in
            !bytes.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        if plain {
            out.append(text)
        } else {
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "\""): out.append([UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): out.append([UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: out.append([UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: out.append([UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: out.append([UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    out.append(Array("\\u00".utf8) + [hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: out.append(byte: byte)
                }
            }
        }
        out.append(byte: UInt8(ascii: "\""))
    }
}
