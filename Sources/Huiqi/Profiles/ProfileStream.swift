import Foundation

/// Reads profile files in order and yields each record as a validated `Profile` or a `Reject`.
///
/// Files are `.csv` (see `CSVReader`) or `.jsonl`/`.ndjson` (see `JSONLinesReader`), chosen by
/// extension. Everything that would stop a run before it starts is checked in `init`: file
/// types, readability, every CSV header (`HeaderMap`), and that a JSON Lines file is not one
/// JSON document, so a bad header in the third file fails before the first row is evaluated.
///
/// Per record (PRODUCT.md §3), a record is rejected, never dropped, when:
/// - it cannot be split (unterminated quote, malformed JSON, not an object);
/// - its cell count differs from the header's;
/// - any value fails to coerce, or a required field is absent (after defaults) — **all** such
///   fields of a record are reported in one `Reject`: `field` lists their names joined by `;`,
///   `reason` their messages joined by `"; "`;
/// - a JSON key is unknown (unless `allowExtra`: then ignored with one warning per key and file);
/// - its credit code was already accepted earlier in the run (any file). Only accepted records
///   claim a code, so a rejected row never makes a later good row a duplicate.
///
/// Counts per file satisfy `read = accepted + rejected`.
///
/// The stream holds open file readers; iterate one copy only.
///
///     var stream = try ProfileStream(files: urls, schema: schema)
///     while let record = try stream.next() {
///         switch record {
///         case .profile(let profile): evaluate(profile)
///         case .rejected(let reject): try rejects.write(reject)
///         }
///     }
///
/// Measured (release build, this shared 2-core VM, one thread, consumer dropping each record):
/// - CSV, 1,000,000 rows × 25 fields (227 MB): 3.1 s of CPU time at best, 3.4–4.8 s while other
///   jobs load the machine; about 17,000 instructions a row (callgrind, SHA-256 excluded).
///   Peak RSS 79 MB: 30 MB of buffers and runtime, the rest the duplicate registry (32 MiB,
///   plus 16 MiB while it grows; at most about 84 MiB whatever the input, see `CreditCodeRegistry`).
/// - JSON Lines, the same 1,000,000 profiles (620 MB): 9–10 s (with `JSONSerialization`, 16.7 s
///   for 200,000 lines, so about 80 s).
public struct ProfileStream {
    public let schema: Schema
    /// Non-fatal problems: ignored columns/keys, replaced undecodable bytes.
    public private(set) var warnings: [Diagnostic] = []
    /// One entry per input file, in order; updated as records are read.
    public private(set) var counts: [FileCount]

    private enum Kind { case csv, jsonLines }
    private enum Source {
        /// The reader, its header, and the column holding the credit code.
        case csv(CSVReader, HeaderMap, creditColumn: Int?)
        case jsonLines(JSONLinesReader)
    }

    private let files: [URL]
    private let paths: [String]
    private let kinds: [Kind]
    private let encoding: InputEncoding
    private let allowExtra: Bool
    private let chunkSize: Int
    private let coercers: [FieldCoercer]
    /// The coercers' cores, called without reference counting (`coercers` keeps them alive).
    private let cores: [Unmanaged<CellCoercer>]
    private let lookup: FieldLookup
    private let creditCodeIndex: Int?
    private let subjectCodeCheck: SubjectCodeCheck?
    /// The credit code's coercer, to normalise a reject's code (rare: not on the row path).
    private let creditCodeCoercer: FieldCoercer?
    /// Per schema field, precomputed so the per-record work never copies a `SchemaField`.
    private let defaults: [FieldValue?]
    private let fieldNames: [String]
    private let fieldTypes: [FieldType]
    private let missingMessages: [String]
    /// Fields with a default or required: the only ones to look at when a value is absent.
    private let fieldsToComplete: [Int]
    /// The evaluation date, and the `max: as_of` date fields checked against it (none without one).
    private let asOf: String?
    private let asOfBoundFields: [(index: Int, field: SchemaField)]
    /// This file's rows rejected for a date after the as-of date, and the first one's line: one
    /// warning says what they are, since a past as-of date over today's export rejects many rows.
    private var afterAsOf = (rows: 0, firstLine: 0, labels: [String]())
    /// Ratio cells written as a bare percentage (`3` for 3%) in this file, rejected: one warning at
    /// its end says the same column's values up to 1 were read as fractions (data review: `0.8`
    /// beside `3` was read as 80% with nothing said).
    private var barePercentages = (cells: 0, firstLine: 0, labels: [String]())
    private var registry = CreditCodeRegistry()
    private var fileIndex = -1
    private var source: Source?
    private let jsonParser = JSONLineParser()
    private let jsonKeys = JSONKeyCache()
    /// JSON keys already warned about in the current file (with `allowExtra`).
    private var warnedKeys: Set<String> = []
    /// Whether this file's first row with data under a column without a header was warned about.
    private var warnedUnnamedData = false

    /// - Throws: `DiagnosticList` naming every file that cannot be read and every bad header.
    /// - Parameter asOf: the evaluation date (ISO), when the rows are to be judged on it: a value
    ///   after it in a `max: as_of` date field (成立日期) is then a reject.
    public init(files: [URL], schema: Schema, encoding: InputEncoding = .auto, allowExtra: Bool = false,
                asOf: String? = nil) throws {
        try self.init(files: files, schema: schema, encoding: encoding, allowExtra: allowExtra, asOf: asOf, chunkSize: 1 << 20)
    }

    init(files: [URL], schema: Schema, encoding: InputEncoding, allowExtra: Bool, asOf: String? = nil, chunkSize: Int) throws {
        self.schema = schema
        self.asOf = asOf
        self.asOfBoundFields = asOf == nil ? [] : schema.fields.enumerated().filter { $0.element.notAfterAsOf }
            .map { (index: $0.offset, field: $0.element) }
        self.files = files
        self.paths = files.map { $0.isFileURL ? $0.relativePath : $0.absoluteString }
        self.encoding = encoding
        self.allowExtra = allowExtra
        self.chunkSize = chunkSize
        self.coercers = schema.fields.map(FieldCoercer.init(field:))
        self.cores = coercers.map { Unmanaged.passUnretained($0.core) }
        self.lookup = FieldLookup(schema: schema)
        self.creditCodeIndex = schema.index(of: Schema.creditCodeField)
        self.subjectCodeCheck = SubjectCodeCheck(schema: schema)
        let codeIndex = schema.index(of: Schema.creditCodeField)
        self.creditCodeCoercer = codeIndex.map { FieldCoercer(field: schema.fields[$0]) }
        self.defaults = schema.fields.map(\.defaultValue)
        self.fieldNames = schema.fields.map(\.name)
        self.fieldTypes = schema.fields.map(\.type)
        self.missingMessages = schema.fields.map { "\($0.displayName): 缺少必填值" }
        self.fieldsToComplete = schema.fields.indices.filter { schema.fields[$0].defaultValue != nil || schema.fields[$0].required }
        self.counts = paths.map { FileCount(path: $0) }

        var errors: [Diagnostic] = []
        var kinds: [Kind] = []
        var seen: [String: String] = [:]
        for (url, path) in zip(files, paths) {
            let ext = url.pathExtension.lowercased()
            if let problem = ProfileStream.pathProblem(url: url, path: path, ext: ext, given: paths) {
                kinds.append(.csv)
                errors.append(problem)
                continue
            }
            switch ext {
            case "csv": kinds.append(.csv)
            case "jsonl", "ndjson": kinds.append(.jsonLines)
            default:
                kinds.append(.csv)
                errors.append(Diagnostic(file: path, "unsupported file type '.\(ext)' (不支持的文件类型; 支持 .csv, .jsonl, .ndjson)"
                                         + ProfileStream.fileTypeHint(ext: ext, path: path)))
                continue
            }
            let canonical = url.standardizedFileURL.resolvingSymlinksInPath().path
            if let first = seen[canonical] {
                errors.append(Diagnostic(file: path, "the same file is given twice (同一文件重复输入, 另见 \(first)); every row would be a duplicate"))
                continue
            }
            seen[canonical] = path
            do {
                switch kinds[kinds.count - 1] {
                case .csv:
                    // A small chunk: only the header is read here.
                    let reader = try CSVReader(url: url, path: path, encoding: encoding, chunkSize: min(chunkSize, 64 * 1024))
                    do {
                        let map = try ProfileStream.readHeader(reader, schema: schema, allowExtra: allowExtra)
                        warnings += map.warnings
                    } catch let list as DiagnosticList {
                        throw ProfileStream.wrongEncoding(url: url, path: path, given: encoding, lookup: FieldLookup(schema: schema)).map { DiagnosticList([$0]) } ?? list
                    }
                case .jsonLines:
                    try JSONLinesReader(url: url, path: path, encoding: encoding, chunkSize: 4096).refuseJSONDocument(url: url)
                    if let wrong = ProfileStream.wrongEncoding(jsonLines: url, path: path, given: encoding) { throw wrong }
                }
            } catch let list as DiagnosticList {
                errors += list.diagnostics
            } catch let diagnostic as Diagnostic {
                errors.append(diagnostic)
            }
        }
        self.kinds = kinds
        if !errors.isEmpty { throw DiagnosticList(errors) }
    }

    /// What to do with a file of an unsupported type, for the common ones; "" for the rest.
    /// An input that is a directory, or is not there: said for what it is, before its type is
    /// looked at (first-day review: a directory was "unsupported file type '.'", and a path with a
    /// space typed without quotes two files, one of type '.', the other "No such file or
    /// directory", English only and not said where a relative path was looked for). nil for a
    /// path that exists, and for a missing one whose type is refused anyway (`list.xlsx`).
    static func pathProblem(url: URL, path: String, ext: String, given: [String]) -> Diagnostic? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { return nil }
            let inside = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
                .filter { ["csv", "jsonl", "ndjson"].contains(($0 as NSString).pathExtension.lowercased()) }
            let base = path.hasSuffix("/") ? String(path.dropLast()) : path
            return Diagnostic(file: path, "is a directory, not a profile file (这是目录, 不是文件): give the files in it, e.g. \(base)/*.csv "
                              + "(请给出目录中的文件, 它有 \(inside.count) 个 .csv/.jsonl 文件)")
        }
        guard ext.isEmpty || ["csv", "jsonl", "ndjson"].contains(ext) else { return nil }
        var message = "cannot open (无法打开文件): no such file (文件不存在)"
        if let joined = unquotedPath(around: path, in: given) {
            message += "; \"\(joined)\" is there: a path with spaces needs quotes (路径含空格, 请加引号)"
        } else if !path.hasPrefix("/") {
            message += " in \(FileManager.default.currentDirectoryPath) (相对路径从当前目录算起; 请核对文件名和所在目录)"
        }
        return Diagnostic(file: path, message)
    }

    /// A path that exists when `path` is joined by spaces to the arguments next to it: one path
    /// the shell split at its spaces. Up to four pieces.
    private static func unquotedPath(around path: String, in given: [String]) -> String? {
        guard let index = given.firstIndex(of: path) else { return nil }
        for start in max(0, index - 3)...index {
            for end in max(index, start + 1)..<min(given.count, start + 4) {
                let joined = given[start...end].joined(separator: " ")
                if FileManager.default.fileExists(atPath: joined) { return joined }
            }
        }
        return nil
    }

    private static func fileTypeHint(ext: String, path: String) -> String {
        switch ext {
        case "xlsx", "xls", "et":
            return "; 请先在Excel中另存为 CSV UTF-8"
        case "txt", "tsv", "tab":
            // Excel's "Unicode 文本" is a UTF-16, tab-separated .txt (data-administrator review).
            return "; an Excel \"Unicode 文本\" export is UTF-16 and tab-separated: open it in Excel and save it as "
                + "\"CSV UTF-8 (逗号分隔)(*.csv)\" (请在 Excel 中另存为 \"CSV UTF-8 (逗号分隔)\")"
        case "json":
            return "; one object per line: name it .jsonl; a JSON array: convert it with jq -c '.[]' \(path) > "
                + "\((path as NSString).deletingPathExtension).jsonl (每行一个对象请改名为 .jsonl; JSON 数组请先用 jq 转换)"
        default:
            return ""
        }
    }

    /// With `--encoding` given, a header that knows more columns read in the other encoding: a GBK
    /// export given `--encoding utf-8`, or a UTF-8 one given `--encoding gbk`. Its problems were
    /// every column unknown, in mojibake, each suggesting --allow-extra (usability review), so one
    /// message names the encoding instead. nil when the other encoding reads no better.
    static func wrongEncoding(url: URL, path: String, given: InputEncoding, lookup: FieldLookup) -> Diagnostic? {
        guard given != .auto else { return nil }
        let other: InputEncoding = given == .utf8 ? .gb18030 : .utf8
        // The most known columns in a row at the top (a header may sit under title rows).
        func knownColumns(_ encoding: InputEncoding) -> Int {
            guard let reader = try? CSVReader(url: url, path: path, encoding: encoding, chunkSize: 64 * 1024) else { return 0 }
            var best = 0
            for _ in 0...maxTitleRows {
                guard let row = try? reader.next() else { break }
                best = max(best, row.cells.filter { lookup.fieldIndex(for: TextTrimming.trim($0)) != nil }.count)
            }
            return best
        }
        let there = knownColumns(other)
        guard there > knownColumns(given) else { return nil }
        return Diagnostic(file: path, line: 1,
                          "表头按 \(given.rawValue) 编码读不出, 按 \(other.rawValue) 读则认得 \(there) 列: 文件是 \(other.rawValue) 编码, "
                          + "请改用 --encoding \(other.rawValue), 或去掉 --encoding 自动识别 (the header reads as \(other.rawValue), "
                          + "not \(given.rawValue): give --encoding \(other.rawValue), or leave --encoding out to detect it)")
    }

    /// The same for a JSON Lines file, which has no header to read: a GBK encoding given for a file
    /// whose first 64 KB are UTF-8 (operator review: `--encoding gbk` for a GBK CSV and a UTF-8
    /// JSON Lines file rejected every line of the latter as undecodable). Only this way round:
    /// Chinese in UTF-8 often reads as GB18030 too, garbled but without a replacement, while text
    /// beyond ASCII that is valid UTF-8 is UTF-8 (GBK text almost never is), as `auto` decides. A
    /// UTF-8 encoding given for GBK rows is left to the rows: each is a reject that says so.
    static func wrongEncoding(jsonLines url: URL, path: String, given: InputEncoding) -> Diagnostic? {
        guard given == .gbk || given == .gb18030, let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard var head = try? handle.read(upToCount: 64 * 1024), !head.isEmpty else { return nil }
        // A byte-order mark means UTF-8 whatever --encoding says (`InputTranscoder`): read as such (code review).
        if head.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
        // Whole lines only, so a character cut at the end is not taken for an undecodable one.
        if head.count == 64 * 1024, let newline = head.lastIndex(of: 0x0A) { head = head.prefix(upTo: newline + 1) }
        guard head.contains(where: { $0 >= 0x80 }), let utf8 = try? InputTranscoder(encoding: .utf8) else { return nil }
        var decoded: [UInt8] = []
        _ = head.withUnsafeBytes { utf8.transcode($0, isLast: true, into: &decoded) }
        guard utf8.replacements == 0 else { return nil }
        return Diagnostic(file: path, line: 1,
                          "指定了 --encoding \(given.rawValue), 但文件按 utf-8 读完全正常: 文件是 utf-8 编码, "
                          + "请去掉 --encoding 让每个文件自动识别 (the file reads as utf-8, not \(given.rawValue): "
                          + "leave --encoding out, and each input's encoding is detected)")
    }

    private static func readHeader(_ reader: CSVReader, schema: Schema, allowExtra: Bool) throws -> HeaderMap {
        guard let header = try reader.next() else {
            throw Diagnostic(file: reader.path, "the file is empty: no header row (文件为空, 缺少表头行)")
        }
        let lookup = FieldLookup(schema: schema)
        try refuseTabSeparated(reader, line: header.line, lookup: lookup)
        if let problem = header.problem { throw Diagnostic(file: reader.path, line: header.line, "表头无法解析: \(problem)") }
        do {
            return try HeaderMap(headers: header.cells, schema: schema, file: reader.path, line: header.line, allowExtra: allowExtra)
        } catch let first as DiagnosticList {
            // Title rows above the table (an export's "宝安区企业名录 2025年6月", a blank line) are
            // passed over when a header follows within a few rows; they used to stop the file
            // with "请删除标题行" (data-administrator review). Otherwise the first row's problems stand.
            guard HeaderMap.isTitleRow(header.cells, lookup: lookup) else {
                throw headerFurtherDown(reader, above: header, lookup: lookup).map { DiagnosticList([$0]) } ?? first
            }
            var titles = [header]
            while titles.count <= maxTitleRows, let row = try reader.next(), row.problem == nil {
                try refuseTabSeparated(reader, line: row.line, lookup: lookup)  // under a title too (code review)
                guard HeaderMap.isTitleRow(row.cells, lookup: lookup) else {
                    // A header under the titles (a column names a field) has its own problems (a
                    // missing column) reported; a data row there means no header: the title's stand.
                    guard row.cells.contains(where: { lookup.fieldIndex(for: TextTrimming.trim($0)) != nil }) else { throw first }
                    var map = try HeaderMap(headers: row.cells, schema: schema, file: reader.path, line: row.line, allowExtra: allowExtra)
                    // Records over several lines are held to the header's cell count, not the first title's.
                    reader.headerCellCount = row.cells.count
                    let shown = titles.compactMap { $0.cells.map(TextTrimming.trim).first { !$0.isEmpty } }.map { "'\($0)'" }
                    let lines = titles.count == 1 ? "第\(header.line)行" : "第\(header.line)–\(titles[titles.count - 1].line)行"
                    map.warnings.insert(Diagnostic(.warning, file: reader.path, line: header.line,
                                                   "\(lines)是表格上方的标题行\(shown.isEmpty ? "" : " (\(shown.joined(separator: ", ")))"), 已跳过; 表头在第\(row.line)行 "
                                                   + "(title rows above the header skipped)"), at: 0)
                    return map
                }
                titles.append(row)
            }
            // More title rows than are passed over: where the header is, when it is not far below
            // (operator review: six title rows gave "unknown column '标题0'" and every required
            // column missing).
            if titles.count > maxTitleRows, let below = headerFurther(reader, lookup: lookup) {
                throw DiagnosticList([Diagnostic(file: reader.path, line: header.line,
                    "表头在第\(below.line)行, 上方有\(below.line - header.line)行标题或空行, 超过可自动跳过的\(maxTitleRows)行; "
                    + "请删除第\(header.line)–\(below.line - 1)行, 让表头在第一行 (the header is on line \(below.line), under more than "
                    + "\(maxTitleRows) title rows: delete the rows above it)")])
            }
            throw first
        }
    }

    /// The next row within 50 that names two fields or more (a header), after rows that did not.
    private static func headerFurther(_ reader: CSVReader, lookup: FieldLookup) -> CSVRecord? {
        for _ in 0..<50 {
            guard let row = try? reader.next() else { return nil }
            if row.cells.map(TextTrimming.trim).filter({ lookup.fieldIndex(for: $0) != nil }).count >= 2 { return row }
        }
        return nil
    }

    /// A first row that names no field, above a row that names two within `maxTitleRows`: a note or
    /// title row with three or more cells filled ("宝安区企业名录,2025年6月,制表人: 张三"), too full to
    /// pass over as a title. Its problems were each of its cells an unknown column and every
    /// required column missing, though the header below holds them (data-administrator review):
    /// this names the header's line and the rows to delete instead. nil when no such row follows.
    private static func headerFurtherDown(_ reader: CSVReader, above first: CSVRecord, lookup: FieldLookup) -> Diagnostic? {
        func names(_ cells: [String]) -> [String] {
            cells.map(TextTrimming.trim).filter { lookup.fieldIndex(for: $0) != nil }
        }
        guard names(first.cells).isEmpty else { return nil }
        for _ in 0..<maxTitleRows {
            guard let row = try? reader.next() else { return nil }
            // Two names at least: a data row may hold a word that happens to name a field.
            let known = names(row.cells)
            guard known.count >= 2 else { continue }
            let shown = known.prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (known.count > 3 ? ", …" : "")
            let rows = row.line - 1 == first.line ? "第\(first.line)行" : "第\(first.line)–\(row.line - 1)行"
            return Diagnostic(file: reader.path, line: first.line,
                              "第\(first.line)行不是表头 (没有一格是字段名), 表头在第\(row.line)行 (\(shown)): 表头上方的行有三格以上文字, "
                              + "不能当作标题行跳过; 请删除\(rows), 让表头在第一行 (the header is on line \(row.line): delete the rows above it)")
        }
        return nil
    }

    /// A tab-separated export named .csv was one unknown column, the whole header (review); with
    /// quoted names (`"a"\t"b"`) it is a malformed header. The raw line of the record just read tells
    /// both. Refused rather than read as TSV: the comma is built into the reader's scan, and tabs in
    /// a header without commas are a sign too weak to re-split every row on.
    private static func refuseTabSeparated(_ reader: CSVReader, line: Int, lookup: FieldLookup) throws {
        let text = reader.lastRecordText()
        guard !text.contains(",") else { return }
        // A semicolon-separated export (Excel in a locale whose decimal mark is the comma) read as
        // one unknown column, the whole header (usability review): named like the TSV one.
        // A ';' is also a title's punctuation ("宝安区企业名录; 截至2025年6月", a row without commas):
        // such a row is a header split wrong only when a piece of it names a field.
        for (separator, name, chinese) in [("\t", "tab-separated (TSV)", "制表符"), (";", "semicolon-separated", "分号")] {
            let pieces = text.split(separator: Character(separator)).map { TextTrimming.trim(String($0)) }.filter { !$0.isEmpty }
            guard pieces.count > 1, separator == "\t" || pieces.contains(where: { piece in
                lookup.fieldIndex(for: TextTrimming.trim(piece.trimmingCharacters(in: CharacterSet(charactersIn: "\"\u{FEFF}")))) != nil
            }) else { continue }
            throw Diagnostic(file: reader.path, line: line,
                             "is \(name), not comma-separated: the header has \(separator == "\t" ? "tabs" : "semicolons") and no commas; open it in "
                             + "Excel and save it as \"CSV UTF-8 (逗号分隔)(*.csv)\" (文件是用\(chinese)分隔的, 请在 Excel 中另存为 \"CSV UTF-8 (逗号分隔)\")")
        }
    }

    /// At most this many title or blank rows above a header are passed over.
    static let maxTitleRows = 5

    /// Records that start before this line are passed over unread (not validated, counted or
    /// registered): `explain --run` wants the one business at its logged line. For a business at
    /// line 500,000 of a 1M-row file, validating the rows before it made the explain take 4.0–4.2 s;
    /// passing over them, 1.1 s (release build, 3 runs each).
    public var skipsRecordsBefore = 0

    /// A credit code (upper case): CSV records whose code cell neither reads as it nor holds it
    /// among other marks (`'…`, spaces) are passed over unread, as `skipsRecordsBefore` does.
    /// `explain CODE --profiles FILE` looks for one business: for one at line 900,000 of a 1M-row
    /// file it took 6.1–6.6 s validating every row before it, 1.9–2.8 s passing over them (release
    /// build, 3 alternated runs each while other builds ran). JSON Lines records are all read.
    public var onlyCreditCode: String?

    /// With a shard (`--shard K/N`), only the rows it owns are returned: the others are counted
    /// (`rowsRead`, `otherShardRows`, each file's `read`) and passed over. A CSV row is passed over
    /// before its cells are coerced, its owner told from its credit-code cell as a reject or a
    /// profile would give it; a JSON Lines row once its usual code member is read (in full when
    /// the code is written otherwise).
    public var shard: RunShard?
    /// Rows read so far, other shards' included: after `next()`, the returned row's number.
    public private(set) var rowsRead = 0
    /// Rows passed over because another shard owns them.
    public private(set) var otherShardRows = 0

    /// The next profile or reject, or nil after the last file.
    /// Throws `DiagnosticList` only when a file cannot be read (e.g. it changed or vanished since `init`).
    public mutating func next() throws -> ProfileRecord? {
        do {
            return try nextRecord()
        } catch let diagnostic as Diagnostic {
            throw DiagnosticList([diagnostic])  // one error type for callers: DiagnosticList
        }
    }

    private mutating func nextRecord() throws -> ProfileRecord? {
        while true {
            switch source {
            case nil:
                fileIndex += 1
                guard fileIndex < files.count else {
                    // Every row is read: the registry's tables and spill files (up to 84 MiB and
                    // 32 bytes a code on disk) are given back before the run's last writes and
                    // the log's index, which want memory and the same temporary directory.
                    if registry.count > 0 { registry = CreditCodeRegistry() }
                    return nil
                }
                try open(fileIndex)
            case .csv(let reader, let map, let creditColumn)?:
                guard let (line, problem) = try reader.nextRaw() else {
                    finish(sha256: reader.sha256, size: reader.bytesRead, encoding: reader.encoding, replacements: reader.replacements,
                           firstReplacementLine: reader.firstReplacementLine)
                    continue
                }
                if problem == nil, ProfileStream.isPadding(reader) { continue }
                if line < skipsRecordsBefore { continue }
                if let wanted = onlyCreditCode, !holds(wanted, reader: reader, creditColumn: creditColumn) { continue }
                rowsRead += 1
                if let shard, !owned(by: shard, reader: reader, creditColumn: creditColumn) {
                    passOver()
                    continue
                }
                return count(validate(csvLine: line, problem: problem, reader: reader, map: map, creditColumn: creditColumn))
            case .jsonLines(let reader)?:
                guard let (line, problem) = try reader.nextRaw() else {
                    finish(sha256: reader.sha256, size: reader.bytesRead, encoding: reader.encoding, replacements: reader.replacements,
                           firstReplacementLine: reader.firstReplacementLine)
                    continue
                }
                if line < skipsRecordsBefore { continue }
                rowsRead += 1
                if let shard, problem == nil, let owned = owned(by: shard, jsonLine: reader), !owned {
                    passOver()
                    continue
                }
                let record = validate(jsonLine: line, problem: problem, reader: reader)
                if let shard, !shard.owns(code: record.creditCode(at: creditCodeIndex), row: rowsRead) {
                    passOver()
                    continue
                }
                return count(record)
            }
        }
    }

    /// Whether `shard` owns the current CSV record, by the code a reject or a profile of it would
    /// carry (`normalizedCode`), without coercing its other cells. The usual cell, 18 upper-case
    /// letters and digits, is hashed as it is.
    private func owned(by shard: RunShard, reader: CSVReader, creditColumn: Int?) -> Bool {
        let row = rowsRead
        guard let creditColumn else { return shard.owns(code: nil, row: row) }
        return reader.withCells { cells in
            guard creditColumn < cells.count else { return shard.owns(code: nil, row: row) }
            let bytes = cells[creditColumn]
            if bytes.count == 18, bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) {
                return shard.owns(codeBytes: bytes, row: row)
            }
            return shard.owns(code: ProfileStream.normalizedCode(bytes, creditCodeCoercer), row: row)
        }
    }

    /// Whether `shard` owns the current JSON Lines record, told from its first credit-code member
    /// when that is a string of 18 upper-case letters and digits: the code a profile or a reject
    /// of this record carries then (`validate(jsonLine:)` takes the first such member, trimmed,
    /// and the coercer leaves such a code as it is). nil otherwise (another form of the code, none,
    /// a syntax error before it): the record is read in full and its own code decides.
    private func owned(by shard: RunShard, jsonLine reader: JSONLinesReader) -> Bool? {
        guard let codeIndex = creditCodeIndex else { return nil }
        return reader.withLine { bytes -> Bool? in
            do throws(JSONLineParser.SyntaxError) {
                try jsonParser.begin(bytes)
                var ordinal = 0
                while let (keyBytes, value) = try jsonParser.nextMember() {
                    defer { ordinal += 1 }
                    guard jsonKeys.resolve(keyBytes, ordinal: ordinal, lookup: lookup).fieldIndex == codeIndex else { continue }
                    guard case .text(let code) = value, code.count == 18,
                          code.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) else { return nil }
                    return shard.owns(codeBytes: code, row: rowsRead)
                }
                return nil
            } catch {
                return nil
            }
        }
    }

    /// Counts a row another shard owns: read, neither a profile nor a reject here.
    private mutating func passOver() {
        counts[fileIndex].read += 1
        otherShardRows += 1
    }

    /// Whether the current record's code cell reads as `code` or holds it (see `onlyCreditCode`).
    private func holds(_ code: String, reader: CSVReader, creditColumn: Int?) -> Bool {
        guard let creditColumn else { return false }
        let cell = reader.withCells { cells -> String? in
            guard creditColumn < cells.count else { return "" }
            let bytes = cells[creditColumn]
            // The usual cell, 18 upper-case letters and digits, is compared as bytes: making a
            // String of every row's code took most of the time saved.
            if bytes.count == 18, bytes.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) }) {
                return bytes.elementsEqual(code.utf8) ? nil : ""
            }
            return ProfileStream.normalizedCode(bytes, creditCodeCoercer).uppercased()
        }
        guard let cell else { return true }
        return cell == code || (code.utf8.count == 18 && cell.contains(code))
    }

    private mutating func open(_ index: Int) throws {
        let url = files[index]
        let path = paths[index]
        warnedKeys = []
        warnedUnnamedData = false
        switch kinds[index] {
        case .csv:
            let reader = try CSVReader(url: url, path: path, encoding: encoding, chunkSize: chunkSize)
            let map = try ProfileStream.readHeader(reader, schema: schema, allowExtra: allowExtra)
            source = .csv(reader, map, creditColumn: creditCodeIndex.flatMap { map.fieldIndexByColumn.firstIndex(of: $0) })
        case .jsonLines:
            source = .jsonLines(try JSONLinesReader(url: url, path: path, encoding: encoding, chunkSize: chunkSize))
        }
    }

    private mutating func finish(sha256: String?, size: Int, encoding: InputEncoding?, replacements: Int, firstReplacementLine: Int?) {
        counts[fileIndex].sha256 = sha256
        counts[fileIndex].size = size
        counts[fileIndex].encoding = encoding
        if counts[fileIndex].read == 0 {
            // A truncated export read as a clean run of nothing (data-administrator review). A
            // warning, not exit 1: a period with no new businesses is a legitimate empty export.
            let what = kinds[fileIndex] == .csv ? "has a header but no data rows (只有表头, 没有数据行)" : "has no records (没有数据行)"
            warnings.append(Diagnostic(.warning, file: paths[fileIndex], "\(what); was the export cut short? (导出是否不完整?)"))
        }
        if afterAsOf.rows > 0, let asOf {
            let labels = afterAsOf.labels.joined(separator: "或")
            warnings.append(Diagnostic(.warning, file: paths[fileIndex], line: afterAsOf.firstLine,
                                       "\(afterAsOf.rows)行的\(labels)晚于评估日期 \(asOf), 已拒收, 第一行在此 (rows dated after the as-of date are rejects): 按评估日期这些企业尚不存在; 评估过去的日期时, 此后成立的企业不在其中"))
        }
        afterAsOf = (0, 0, [])
        if barePercentages.cells > 0 {
            let labels = barePercentages.labels.joined(separator: "、")
            warnings.append(Diagnostic(.warning, file: paths[fileIndex], line: barePercentages.firstLine,
                                       "\(labels)有\(barePercentages.cells)个值像是不带 % 的百分数 (如 3 表示 3%), 所在行已拒收, 第一行在此; "
                                       + "同一列中不大于 1 的值都按小数读取 (0.8 即 80%): 如该列写的是百分数, 请给每个值加 % 或除以 100 后重新运行 "
                                       + "(ratios written as bare percentages were rejected; values up to 1 in the same column were read as fractions)"))
        }
        barePercentages = (0, 0, [])
        if replacements > 0 {
            warnings.append(Diagnostic(.warning, file: paths[fileIndex], line: firstReplacementLine,
                                       "\(replacements)处字节无法按\(encoding?.rawValue ?? "UTF-8")解码, 含这些字节的行已拒收, 第一处在此行 (rows with undecodable bytes are rejected); 如整个文件的编码不对, 请用 --encoding 指定"))
        }
        source = nil
    }

    /// A reject's credit code as a valid code reads (upper case, full-width folded), else the cell
    /// trimmed: `explain` looks rejects up by the code (second review: a full-width code's reject
    /// was not found).
    private static func normalizedCode(_ cell: UnsafeBufferPointer<UInt8>, _ coercer: FieldCoercer?) -> String {
        if let coercer, case .success(.string(let code)?) = coercer.coerce(utf8: cell) { return code }
        return TextTrimming.trim(String(decoding: cell, as: UTF8.self))
    }

    static let repeatedHeaderProblem = "这一行是重复的表头, 多半是两个导出文件首尾相接拼在了一起: 请删除这一行; 几个文件可以直接一起运行 "
        + "(huiqi run a.csv b.csv) (a repeated header row, not a business)"

    /// Whether the current CSV record holds the header's cells again (a byte-order mark and the
    /// spaces around each cell aside).
    static func repeatsHeader(_ reader: CSVReader, _ headers: [String]) -> Bool {
        reader.withCells { cells in
            guard cells.count == headers.count, cells.count > 1 else { return false }
            for column in 0..<cells.count {
                let text = TextTrimming.trim(String(decoding: cells[column], as: UTF8.self).replacingOccurrences(of: "\u{FEFF}", with: ""))
                guard text == TextTrimming.trim(headers[column].replacingOccurrences(of: "\u{FEFF}", with: "")) else { return false }
            }
            return true
        }
    }

    /// A row with bytes the input's encoding cannot decode (shown as U+FFFD) is rejected: read, its
    /// name printed as "����" on the lists, and only the file's first such line was named in a
    /// warning (data-administrator review: GBK rows pasted into a UTF-8 export). Checked only once
    /// the decoder has replaced something, so clean files pay nothing.
    static func undecodableProblem(_ encoding: InputEncoding?) -> String {
        "含无法按\(encoding?.rawValue ?? "UTF-8")解码的字节 (显示为'\u{FFFD}'): 这一行可能是另一种编码 (如 GBK) 或导出时损坏; "
            + "请修正后重新导出, 或用 --encoding 指定整个文件的编码 (undecodable bytes)"
    }

    /// Whether `bytes` hold U+FFFD (EF BF BD), which the decoder puts where it could not decode.
    static func holdsReplacement(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress, bytes.count >= 3 else { return false }
        var i = 0
        while i + 2 < bytes.count, let found = memchr(base + i, 0xEF, bytes.count - 2 - i) {
            let k = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            if bytes[k + 1] == 0xBF && bytes[k + 2] == 0xBD { return true }
            i = k + 1
        }
        return false
    }

    /// A NUL in a cell was cut off where the log reads texts back as C strings, so the logged name
    /// and the rejects differed from the input (robustness review). A NUL is never real data.
    static let nulProblem = "含NUL字符(U+0000), 多半是导出损坏; 请清除后重新导出 (the row holds a NUL character)"

    /// A record with nothing in it, skipped like a blank line rather than rejected: the all-comma
    /// rows Excel leaves below a table (`,,,,`), a line of spaces or tabs, the DOS end-of-file mark
    /// Ctrl-Z (robustness review: each was a reject and made the run exit 1).
    private static func isPadding(_ reader: CSVReader) -> Bool {
        reader.withCells { cells in
            for k in 0..<cells.count {
                let cell = cells[k]
                if cell.count == 1 && cell[0] == 0x1A { continue }
                if !TextTrimming.trimmed(cell, 0..<cell.count).isEmpty { return false }
            }
            return true
        }
    }

    private mutating func count(_ record: ProfileRecord) -> ProfileRecord {
        counts[fileIndex].read += 1
        if case .rejected = record { counts[fileIndex].rejected += 1 }
        return record
    }

    // MARK: - CSV

    /// Coerces the current record of `reader` cell by cell, straight from its bytes.
    private mutating func validate(csvLine line: Int, problem: String?, reader: CSVReader, map: HeaderMap,
                                   creditColumn: Int?) -> ProfileRecord {
        let path = paths[fileIndex]
        let codeCoercer = creditCodeCoercer
        func reject(_ field: String?, _ reason: String) -> ProfileRecord {
            // Two exports joined end to end leave the second's header as a row, whose cells read as
            // bad values (its code cell "统一社会信用代码" as a code 8 characters long): say what it
            // is. Checked only for a row already rejected, so valid rows pay nothing.
            if problem == nil, ProfileStream.repeatsHeader(reader, map.headers) {
                return .rejected(Reject(file: path, line: line, field: nil, reason: ProfileStream.repeatedHeaderProblem,
                                        creditCode: nil, raw: reader.lastRecordText(limit: 500)))
            }
            var code = creditColumn.flatMap { column in
                reader.withCells { cells in
                    column < cells.count ? ProfileStream.normalizedCode(cells[column], codeCoercer) : nil
                }
            }
            let raw = reader.lastRecordText(limit: 500)
            // A record that could not be split (an unclosed quote) has no cells, but its code cell
            // before the quote is whole: the rejects' code column was empty, and explain said the
            // business was not in the run. Not for a cell the quote itself opens.
            if problem != nil, code == nil, let column = creditColumn {
                let pieces = raw.split(separator: ",", maxSplits: column + 1, omittingEmptySubsequences: false)
                if column < pieces.count - 1, !pieces[0...column].contains(where: { $0.contains("\"") }) {
                    code = Array(pieces[column].utf8).withUnsafeBufferPointer { ProfileStream.normalizedCode($0, codeCoercer) }
                }
            }
            return .rejected(Reject(file: path, line: line, field: field, reason: reason,
                                    creditCode: code?.isEmpty == false ? code : nil, raw: raw))
        }
        if let problem { return reject(nil, problem) }
        if reader.lastRecordHasNUL { return reject(nil, ProfileStream.nulProblem) }
        // Data under a column whose header is empty is not read: say so once a file (final review:
        // a real column whose header was deleted lost its data with only "表头为空" said).
        if !warnedUnnamedData, !map.unnamedTrailingColumns.isEmpty, let column = reader.withCells({ cells in
            map.unnamedTrailingColumns.first { $0 < cells.count && !TextTrimming.trimmed(cells[$0], 0..<cells[$0].count).isEmpty }
        }) {
            warnedUnnamedData = true
            warnings.append(Diagnostic(.warning, file: paths[fileIndex], line: line,
                                       "第\(column + 1)列没有表头, 这一行在该列的数据 (及其他行同样位置的数据) 未读取: 如是有用的列, 请补上表头 (data under a column without a header is not read)"))
        }
        if reader.replacements > 0, reader.withCells({ cells in (0..<cells.count).contains { ProfileStream.holdsReplacement(cells[$0]) } }) {
            return reject(nil, ProfileStream.undecodableProblem(reader.encoding))
        }
        let columns = map.fieldIndexByColumn
        var values = ProfileStream.absentValues(count: coercers.count)
        var failures: [(field: String, reason: String)] = []
        var failed: [Int] = []
        var barePercentageFields: [Int] = []
        // Unsafe buffers and unretained cores: otherwise every cell retains and releases its
        // coercer, which measured at a fifth of the whole ingestion time.
        let cellCount = reader.withCells { cells -> Int in
            guard cells.count == columns.count else { return cells.count }
            cores.withUnsafeBufferPointer { cores in
                columns.withUnsafeBufferPointer { columns in
                    values.withUnsafeMutableBufferPointer { values in
                        // One `failure` for the row, cleared after each use: declared per cell, its
                        // destruction cost ~60 instructions a cell (2.7k a row, callgrind).
                        var failure: CoercionError?
                        for column in 0..<cells.count {
                            guard let index = columns[column] else { continue }
                            values[index] = cores[index]._withUnsafeGuaranteedRef {
                                $0.value(utf8: cells[column], failure: &failure)
                            }
                            if let problem = failure {
                                failures.append((problem.field, problem.message))
                                failed.append(index)
                                if problem.isBarePercentage { barePercentageFields.append(index) }
                                failure = nil
                            }
                        }
                    }
                }
            }
            return cells.count
        }
        guard cellCount == columns.count else {
            return reject(nil, "列数不符: 表头有\(columns.count)列, 本行有\(cellCount)列(可能缺少引号或多了逗号)")
        }
        noteBarePercentages(barePercentageFields, line: line)
        return complete(&values, failures: failures, failed: failed, line: line,
                        reject: { field, reason in reject(field, reason) })
    }

    // MARK: - JSON Lines

    /// Parses the current line of `reader` with `JSONLineParser` and coerces each value from its
    /// bytes, like a CSV cell: strings, numbers and `true`/`false` as their text, `null` as absent,
    /// arrays only into list fields, objects never.
    private mutating func validate(jsonLine line: Int, problem: String?, reader: JSONLinesReader) -> ProfileRecord {
        let path = paths[fileIndex]
        var rawCode: String?
        let codeCoercer = creditCodeCoercer
        func reject(_ field: String?, _ reason: String) -> ProfileRecord {
            // Normalised only here, for a reject: every row's code is coerced once already.
            let code = rawCode.map { raw in
                var copy = raw
                return copy.withUTF8 { ProfileStream.normalizedCode($0, codeCoercer) }
            }
            return .rejected(Reject(file: path, line: line, field: field, reason: reason, creditCode: code,
                                    raw: reader.lastRecordText(limit: 500)))
        }
        if let problem { return reject(nil, problem) }
        // Checked once the values are read, so the reject carries the credit code (review).
        let hasNUL = reader.lastLineHasNUL
        let undecodable = reader.replacements > 0 && reader.withLine(ProfileStream.holdsReplacement)

        var values = ProfileStream.absentValues(count: coercers.count)
        // Keyed by schema position so messages come out in a stable order, whatever the key order.
        var failuresByIndex: [(index: Int, field: String, reason: String)] = []
        var keyOfField = [String?](repeating: nil, count: coercers.count)
        var barePercentageFields: [Int] = []
        var unknownKeys: [String] = []
        var newWarnings: [String] = []
        let fields = schema.fields
        let syntaxError: String? = reader.withLine { bytes in
            do throws(JSONLineParser.SyntaxError) {
                try jsonParser.begin(bytes)
                var ordinal = 0
                var failure: CoercionError?  // one per line, as for CSV cells
                while let (keyBytes, value) = try jsonParser.nextMember() {
                    defer { ordinal += 1 }
                    let (key, fieldIndex) = jsonKeys.resolve(keyBytes, ordinal: ordinal, lookup: lookup)
                    guard let index = fieldIndex else {
                        if allowExtra { newWarnings.append(key) } else { unknownKeys.append(key) }
                        continue
                    }
                    if let other = keyOfField[index] {
                        let (a, b) = other < key ? (other, key) : (key, other)
                        failuresByIndex.append((index, fields[index].name, "键'\(a)'和'\(b)'都对应字段\(fields[index].displayName)"))
                        continue
                    }
                    keyOfField[index] = key
                    let core = cores[index]
                    switch value {
                    case .text(let text):
                        if index == creditCodeIndex {
                            let code = TextTrimming.trim(String(decoding: text, as: UTF8.self))
                            rawCode = code.isEmpty ? nil : code
                        }
                        values[index] = core._withUnsafeGuaranteedRef { $0.value(utf8: text, failure: &failure) }
                    case .number(let text), .boolean(_, let text):
                        if index == creditCodeIndex, case .number = value {
                            // A code written as a number is the same code: its reject (a duplicate) must
                            // carry it, or --shard owns it by row number where its profile is owned by code.
                            rawCode = TextTrimming.trim(String(decoding: text, as: UTF8.self))
                        }
                        values[index] = core._withUnsafeGuaranteedRef { $0.value(utf8: text, failure: &failure) }
                    case .null:
                        break
                    case .array(let items, let raw):
                        if fieldTypes[index] != .list {
                            failure = CoercionError(field: fields[index], value: String(decoding: raw, as: UTF8.self), problem: "不应为数组")
                        } else if let items {
                            let kept = items.map(TextTrimming.trim).filter { !$0.isEmpty }
                            values[index] = kept.isEmpty ? nil : .list(kept)
                        } else {
                            failure = CoercionError(field: fields[index], value: String(decoding: raw, as: UTF8.self), problem: "列表元素应为文本")
                        }
                    case .object(let raw):
                        failure = CoercionError(field: fields[index], value: String(decoding: raw, as: UTF8.self), problem: "不应为JSON对象")
                    }
                    if let problem = failure {
                        failuresByIndex.append((index, problem.field, problem.message))
                        if problem.isBarePercentage { barePercentageFields.append(index) }
                        failure = nil
                    }
                }
                return nil
            } catch {
                let position = String(decoding: UnsafeBufferPointer(rebasing: bytes[..<min(error.offset, bytes.count)]), as: UTF8.self).count + 1
                return "JSON格式错误(第\(position)个字符处): \(error.message)"
            }
        }
        for key in newWarnings where warnedKeys.insert(key).inserted {
            warnings.append(Diagnostic(.warning, file: path, line: line, "键'\(key)'不是schema中的字段, 已忽略 (unknown key ignored)"))
        }
        if let syntaxError { return reject(nil, syntaxError) }
        if hasNUL {
            // The code itself, if it was the field holding the NUL, is no code to name the row by.
            if rawCode?.utf8.contains(0) == true { rawCode = nil }
            return reject(nil, ProfileStream.nulProblem)
        }
        if undecodable { return reject(nil, ProfileStream.undecodableProblem(reader.encoding)) }
        noteBarePercentages(barePercentageFields, line: line)
        failuresByIndex.sort { $0.index < $1.index }
        var failures = failuresByIndex.map { (field: $0.field, reason: $0.reason) }
        for key in unknownKeys.sorted() {
            let hint = NameSuggestion.closest(to: key, among: lookup.spellings).map { ", 是否应为'\($0)'?" } ?? ""
            failures.append((key, "未知字段'\(key)': schema中没有这个字段名、标签或别名\(hint) (可用 --allow-extra 忽略)"))
        }
        return complete(&values, failures: failures, failed: failuresByIndex.map(\.index), line: line,
                        reject: { field, reason in reject(field, reason) })
    }

    // MARK: - Shared

    private mutating func noteBarePercentages(_ fields: [Int], line: Int) {
        guard !fields.isEmpty else { return }
        barePercentages.cells += fields.count
        if barePercentages.firstLine == 0 { barePercentages.firstLine = line }
        for index in fields where !barePercentages.labels.contains(schema.fields[index].label) {
            barePercentages.labels.append(schema.fields[index].label)
        }
    }

    /// `count` absent values. `Array(repeating:count:)` initialises element by element through
    /// a generic witness (about 40 instructions each); this is one specialised loop.
    private static func absentValues(count: Int) -> [FieldValue?] {
        [FieldValue?](unsafeUninitializedCapacity: count) { buffer, initialized in
            buffer.initialize(repeating: nil)
            initialized = count
        }
    }

    /// Applies defaults, checks required fields and duplicates, and builds the profile or the reject.
    private mutating func complete(_ values: inout [FieldValue?], failures: [(field: String, reason: String)], failed: [Int],
                                   line: Int, reject: (String?, String) -> ProfileRecord) -> ProfileRecord {
        var failures = failures
        // An empty 主体类型 is what a 91/92 credit code says (documented in docs/rules.md §2).
        if let subjectCodeCheck, let creditCodeIndex, case .string(let code)? = values[creditCodeIndex] {
            subjectCodeCheck.fillSubject(&values, code: code)
        }
        var missing: [(field: String, reason: String)] = []
        for index in fieldsToComplete where values[index] == nil && !failed.contains(index) {
            if let value = defaults[index] {
                values[index] = value
            } else {
                missing.append((fieldNames[index], missingMessages[index]))
            }
        }
        failures += missing
        if let asOf {
            var late = false
            for bound in asOfBoundFields {
                if case .date(let date)? = values[bound.index], let problem = bound.field.afterAsOfProblem(date, asOf: asOf) {
                    failures.append((bound.field.name, problem))
                    if afterAsOf.firstLine == 0 { afterAsOf.firstLine = line }
                    if !afterAsOf.labels.contains(bound.field.label) { afterAsOf.labels.append(bound.field.label) }
                    late = true
                }
            }
            if late { afterAsOf.rows += 1 }
        }
        if !failures.isEmpty {
            var names: [String] = []
            for failure in failures where !names.contains(failure.field) { names.append(failure.field) }
            return reject(names.joined(separator: ";"), failures.map(\.reason).joined(separator: "; "))
        }
        if let creditCodeIndex, case .string(let code)? = values[creditCodeIndex] {
            if let problem = subjectCodeCheck?.problem(code: code, values: values) {
                return reject(Schema.subjectTypeField, problem)
            }
            let registration = registry.register(code, fileIndex: fileIndex, line: line)
            if let problem = registry.takeProblem() {
                warnings.append(Diagnostic(.warning, file: paths[fileIndex], line: line, problem))
            }
            if case .duplicate(let firstFile, let firstLine) = registration {
                let place = firstFile.map { paths[$0] }.map { " \($0)" } ?? ""
                let at = firstLine.map { " 第\($0)行" } ?? ""
                let whereText = place.isEmpty && at.isEmpty ? "本次运行中已出现过" : "与\(place)\(at)相同"
                // Which row counts (data-administrator review: the message did not say).
                return reject(Schema.creditCodeField, "统一社会信用代码重复: \(whereText); 按先出现的那一行评估, 本行未评估 (the earlier row is the one evaluated)")
            }
        }
        return .profile(Profile(values: values, source: paths[fileIndex], line: line))
    }
}
