import Foundation

/// Writes RFC 4180 CSV that Excel opens correctly: UTF-8 with a byte-order mark (optional),
/// CRLF line ends, and cells quoted when they contain a comma, quote, CR or LF.
///
/// **Formula injection.** A spreadsheet treats a cell starting with `=`, `+`, `-` or `@` as a
/// formula, so data such as a company name `=HYPERLINK(...)` could run when a reviewer opens an
/// export. `.text` cells starting with one of those (or with a tab or CR, per OWASP) are written
/// with a leading `'`, which Excel shows as text. `.literal` cells (numbers, dates, codes the
/// program produced itself) are written as they are, so `-5` stays a number. `writeRow(_: [String])`
/// treats every cell as text.
///
/// **Long digit strings.** Excel turns a cell of 12 or more digits (an all-digit credit code, a
/// decision id) into a number shown in scientific notation, keeping 15 digits, and drops leading
/// zeros; it reads `12E34` as a number too. `.identifier` cells made only of digits, or of digits
/// around an E, are therefore written as `="…"`, which Excel and LibreOffice show as the exact
/// text; other identifiers are written like `.text`.
///
/// **Excel's row limit.** A sheet holds 1,048,576 rows and Excel drops the rest without a word
/// (a district run's export has millions). A writer to a file therefore goes on in
/// `name.part2.csv`, `name.part3.csv`, … once a file is full, each with the BOM and the first
/// row (the header) again; `paths` lists them. Standard output cannot be split: `rowCount` lets
/// the caller warn.
///
/// **Staged.** With `staged: true` (exports), every file is written under a temporary name and
/// `close()` renames them into place (`StagedFile`); `discard()` removes them, so a stopped or
/// failing export leaves the earlier files as they were.
///
///     let writer = try CSVWriter(url: out)
///     try writer.writeRow(["名称", "金额"])
///     try writer.writeRow([.text("=1+1"), .literal("-5")])   // '=1+1,-5
///     try writer.close()
public final class CSVWriter {
    /// One cell to write.
    public enum Cell: Sendable, Equatable, ExpressibleByStringLiteral {
        /// Data text: defused if it could be read as a formula.
        case text(String)
        /// Written verbatim (still quoted when needed): numbers, dates, values the program made.
        case literal(String)
        /// A code that must stay text in a spreadsheet: credit codes, decision ids.
        case identifier(String)

        public init(stringLiteral value: String) { self = .text(value) }
    }

    /// Rows in one Excel sheet, the header included.
    public static let excelRows = 1_048_576

    private var handle: FileHandle
    /// The file being written, for error messages (nil: a handle passed in, standard output).
    private var path: String?
    private let ownsHandle: Bool
    private let bom: Bool
    private var buffer: [UInt8] = []
    private var closed = false
    private static let flushThreshold = 64 * 1024
    /// Rows a file may hold before the next part begins (files we create only).
    private let rowsPerFile: Int
    /// The first row, repeated at the top of every part.
    private var header: [UInt8]?
    private var rowsInFile = 0
    private let firstURL: URL?
    /// The staged files of a `staged` writer, first to last.
    private var staged: [StagedFile] = []
    /// The files written, first to last (empty for a handle passed in).
    public private(set) var paths: [String] = []
    /// Rows written, headers of later parts not counted.
    public private(set) var rowCount = 0

    /// Creates (or truncates) the file at `url`; past `rowsPerFile` rows, the next part.
    /// `staged`: written under temporary names until `close()` (see the type's comment).
    public convenience init(url: URL, bom: Bool = true, rowsPerFile: Int = CSVWriter.excelRows, staged: Bool = false) throws {
        let first = staged ? try CSVWriter.stage(url) : nil
        self.init(handle: try first?.handle ?? CSVWriter.create(url), bom: bom, ownsHandle: true, path: url.relativePath, url: url,
                  rowsPerFile: max(2, rowsPerFile))
        if let first { self.staged = [first] }
    }

    /// Writes to an open handle (e.g. standard output); the caller keeps ownership.
    public convenience init(fileHandle: FileHandle, bom: Bool = false) {
        self.init(handle: fileHandle, bom: bom, ownsHandle: false, path: nil, url: nil, rowsPerFile: .max)
    }

    private init(handle: FileHandle, bom: Bool, ownsHandle: Bool, path: String?, url: URL?, rowsPerFile: Int) {
        self.handle = handle
        self.path = path
        self.ownsHandle = ownsHandle
        self.bom = bom
        self.firstURL = url
        self.rowsPerFile = rowsPerFile
        if let path { paths = [path] }
        buffer.reserveCapacity(CSVWriter.flushThreshold + 4096)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    private static func create(_ url: URL) throws -> FileHandle {
        do { return try OutputFile.create(url.path) } catch let d as Diagnostic {
            throw Diagnostic(file: url.relativePath, d.message)
        }
    }

    private static func stage(_ url: URL) throws -> StagedFile {
        do { return try StagedFile(url.relativePath) } catch let d as Diagnostic {
            throw Diagnostic(file: url.relativePath, d.message)
        }
    }

    /// `out/run3.csv` → `out/run3.part2.csv` (n = 2).
    public static func partURL(_ url: URL, _ n: Int) -> URL {
        let ext = url.pathExtension
        let stem = ext.isEmpty ? url : url.deletingPathExtension()
        let named = stem.deletingLastPathComponent().appendingPathComponent(stem.lastPathComponent + ".part\(n)")
        return ext.isEmpty ? named : named.appendingPathExtension(ext)
    }

    /// `path` and the parts written after it (`name.part2.csv`, … while they exist): the files of
    /// one CSV output once its writer has closed.
    public static func parts(of path: String) -> [String] {
        var paths = [path]
        let url = URL(fileURLWithPath: path)
        while case let next = partURL(url, paths.count + 1), FileManager.default.fileExists(atPath: next.path) {
            paths.append(next.relativePath)
        }
        return paths
    }

    /// Closes the full file and opens the next part, with the BOM and header.
    private func startNextPart() throws {
        guard let firstURL else { return }
        try flush()
        let next = CSVWriter.partURL(firstURL, paths.count + 1)
        if staged.isEmpty {
            try handle.close()
            handle = try CSVWriter.create(next)
        } else {
            // Closed at commit: a staged file keeps its handle until it is renamed into place.
            let part = try CSVWriter.stage(next)
            staged.append(part)
            handle = part.handle
        }
        path = next.relativePath
        paths.append(next.relativePath)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        if let header { buffer.append(contentsOf: header) }
        rowsInFile = header == nil ? 0 : 1
    }

    deinit {
        // Best effort for a writer dropped without close(); errors cannot be reported here.
        if !closed {
            try? flush()
            if ownsHandle && staged.isEmpty { try? handle.close() }
        }
    }

    /// Writes one row of text cells (all defused against formulas).
    public func writeRow(_ cells: [String]) throws {
        try writeRow(cells.map { Cell.text($0) })
    }

    /// Writes one row.
    public func writeRow(_ cells: [Cell]) throws {
        try writeEncodedRow { CSVWriter.append(cells, to: &$0) }
    }

    /// Writes one row that `encode` appends to the buffer already encoded (cells as
    /// `appendCell` writes them, separated by commas, without the line end): `log export` puts
    /// together a row from cells it encoded once for many rows.
    func writeEncodedRow(_ encode: (inout [UInt8]) -> Void) throws {
        if rowsInFile >= rowsPerFile { try startNextPart() }
        let start = buffer.count
        encode(&buffer)
        buffer.append(0x0D)
        buffer.append(0x0A)
        if rowCount == 0 && ownsHandle { header = Array(buffer[start...]) }
        rowCount += 1
        rowsInFile += 1
        if buffer.count >= CSVWriter.flushThreshold { try flush() }
    }

    /// Writes one row of strings: those in `numericColumns` are numbers we formatted (written as
    /// they are), those in `identifierColumns` codes kept as text, the others defused text.
    public func writeRow(_ cells: [String], numericColumns: Set<Int>, identifierColumns: Set<Int> = []) throws {
        try writeRow(CSVWriter.cells(cells, numericColumns: numericColumns, identifierColumns: identifierColumns))
    }

    static func cells(_ cells: [String], numericColumns: Set<Int>, identifierColumns: Set<Int>) -> [Cell] {
        cells.enumerated().map { i, cell in
            numericColumns.contains(i) ? .literal(cell) : identifierColumns.contains(i) ? .identifier(cell) : .text(cell)
        }
    }

    /// Writes buffered rows to the file.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        do { try handle.write(contentsOf: buffer) } catch { throw Diagnostic.writeFailed(error, file: path ?? "standard output") }
    }

    /// Flushes and closes the file (a handle passed in is only flushed).
    /// Parts of an earlier, longer file of the same name are removed: they would read as part of
    /// this one. Only files that begin as this one does (its BOM and header): a user's own
    /// `name.part2.csv` is not ours to delete (code review).
    public func close() throws {
        guard !closed else { return }
        closed = true
        guard ownsHandle else { return try flush() }
        if staged.isEmpty {
            try flush()
            try handle.close()
        } else {
            do { try flush() } catch { discard(); throw error }
            for (i, file) in staged.enumerated() {
                do { try file.commit() } catch {
                    for later in staged[(i + 1)...] { later.discard() }
                    committedParts = i
                    throw error
                }
            }
        }
        guard let firstURL, let header else { return }
        // A part of an earlier export is told by the start of its header, its first three columns:
        // a later version's export may rename a column further on (code review: parts written
        // under 输入行号 were kept after it became 数据行序号, and read as part of the new export).
        var commas = 0
        let stem = header.prefix { byte in
            if byte == 0x2C { commas += 1 }
            return commas < 3 && byte != 0x0A && byte != 0x0D
        }
        let start = (bom ? [0xEF, 0xBB, 0xBF] : []) + stem
        var n = paths.count + 1
        while let stale = FileHandle(forReadingAtPath: CSVWriter.partURL(firstURL, n).path) {
            let head = (try? stale.read(upToCount: start.count)) ?? Data()
            try? stale.close()
            guard Array(head) == start else { break }
            try? FileManager.default.removeItem(at: CSVWriter.partURL(firstURL, n))
            n += 1
        }
    }

    /// What `discard()` left at `paths`, for the message that says the output stopped.
    public var afterDiscard: String {
        if committedParts > 0 {
            return "only the first \(committedParts) of \(paths.count) files were put in place; the others were not written (只替换了部分文件, 请重新导出)"
        }
        return staged.first?.afterDiscard ?? "what went to \(paths.first ?? "standard output") is incomplete (输出不完整)"
    }

    /// Parts renamed into place before a later one failed to be (a staged writer's close).
    private var committedParts = 0

    /// Stops writing and removes the staged files: the files at `paths` are as they were before
    /// (a writer not `staged` closes its file and leaves it).
    public func discard() {
        guard !closed else { return }
        closed = true
        buffer.removeAll()
        if staged.isEmpty {
            if ownsHandle { try? handle.close() }
        } else {
            for file in staged { file.discard() }
        }
    }

    /// One row as CSV text, without the line end.
    public static func encode(_ cells: [Cell]) -> String {
        var bytes: [UInt8] = []
        append(cells, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text a cell is written as, before quoting.
    public static func defused(_ cell: Cell) -> String {
        switch cell {
        case .literal(let text):
            return text
        case .identifier(let text):
            let digits = text.utf8
            let longDigits = (digits.count >= 12 || digits.first == UInt8(ascii: "0")) && digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            return longDigits || looksLikeScientificNotation(digits) ? "=\"" + text + "\"" : defused(.text(text))
        case .text(let text):
            guard let first = text.utf8.first else { return text }
            switch first {
            case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
                return "'" + text
            default:
                return text
            }
        }
    }

    /// Digits, an `E` or `e`, digits (a sign after the E allowed): Excel reads such a code as a
    /// number. A valid credit code can have this shape (`914403001000002E53` became 9.14403E+67,
    /// the code lost: reviewer review).
    static func looksLikeScientificNotation(_ bytes: String.UTF8View) -> Bool {
        guard let e = bytes.firstIndex(where: { $0 == UInt8(ascii: "E") || $0 == UInt8(ascii: "e") }) else { return false }
        let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
        var exponent = bytes[bytes.index(after: e)...]
        if let sign = exponent.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { exponent = exponent.dropFirst() }
        let mantissa = bytes[..<e]
        return !mantissa.isEmpty && mantissa.allSatisfy(isDigit) && !exponent.isEmpty && exponent.allSatisfy(isDigit)
    }

    /// Over each cell's contiguous UTF-8 (`withUTF8`): iterating `String.UTF8View` through a closure
    /// was a fifth of `log export`'s instructions.
    private static func append(_ cells: [Cell], to bytes: inout [UInt8]) {
        for i in cells.indices {
            if i > 0 { bytes.append(0x2C) }
            appendCell(cells[i], to: &bytes)
        }
    }

    /// Appends one cell, defused and quoted as needed. A quoted cell is copied a run of bytes at a
    /// time between its quotes: byte by byte, each append checked the array's uniqueness and
    /// capacity (a condition label with a comma made every row of `log export` take that path).
    static func appendCell(_ cell: Cell, to bytes: inout [UInt8]) {
        var text = defused(cell)
        text.withUTF8 { utf8 in
            var needsQuotes = false
            for byte in utf8 where byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D {
                needsQuotes = true
                break
            }
            if !needsQuotes {
                bytes.append(contentsOf: utf8)
                return
            }
            bytes.append(0x22)
            var from = 0
            for k in utf8.indices where utf8[k] == 0x22 {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...k]))  // the quote, then doubled below
                bytes.append(0x22)
                from = k + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[from...]))
            bytes.append(0x22)
        }
    }

    /// A cell encoded as `writeRow` writes it, for rows put together with `writeEncodedRow`.
    static func encodedCells(_ cells: ArraySlice<Cell>) -> [UInt8] {
        var bytes: [UInt8] = []
        for i in cells.indices {
            if i > cells.startIndex { bytes.append(0x2C) }
            appendCell(cells[i], to: &bytes)
        }
        return bytes
    }
}
