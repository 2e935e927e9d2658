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
/// zeros. `.identifier` cells made only of digits are therefore written as `="…"`, which Excel and
/// LibreOffice show as the exact text; other identifiers are written like `.text`.
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

    private let handle: FileHandle
    /// The file written, for error messages (nil: a handle passed in, standard output).
    private let path: String?
    private let ownsHandle: Bool
    private var buffer: [UInt8] = []
    private var closed = false
    private static let flushThreshold = 64 * 1024

    /// Creates (or truncates) the file at `url`.
    public convenience init(url: URL, bom: Bool = true) throws {
        let handle: FileHandle
        do { handle = try OutputFile.create(url.path) } catch let d as Diagnostic {
            throw Diagnostic(file: url.relativePath, d.message)
        }
        self.init(handle: handle, bom: bom, ownsHandle: true, path: url.relativePath)
    }

    /// Writes to an open handle (e.g. standard output); the caller keeps ownership.
    public convenience init(fileHandle: FileHandle, bom: Bool = false) {
        self.init(handle: fileHandle, bom: bom, ownsHandle: false, path: nil)
    }

    private init(handle: FileHandle, bom: Bool, ownsHandle: Bool, path: String?) {
        self.handle = handle
        self.path = path
        self.ownsHandle = ownsHandle
        buffer.reserveCapacity(CSVWriter.flushThreshold + 4096)
        if bom { buffer.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
    }

    deinit {
        // Best effort for a writer dropped without close(); errors cannot be reported here.
        if !closed {
            try? flush()
            if ownsHandle { try? handle.close() }
        }
    }

    /// Writes one row of text cells (all defused against formulas).
    public func writeRow(_ cells: [String]) throws {
        try writeRow(cells.map { Cell.text($0) })
    }

    /// Writes one row.
    public func writeRow(_ cells: [Cell]) throws {
        CSVWriter.append(cells, to: &buffer)
        buffer.append(contentsOf: [0x0D, 0x0A])
        if buffer.count >= CSVWriter.flushThreshold { try flush() }
    }

    /// Writes buffered rows to the file.
    public func flush() throws {
        guard !buffer.isEmpty else { return }
        defer { buffer.removeAll(keepingCapacity: true) }
        do { try handle.write(contentsOf: buffer) } catch { throw Diagnostic.writeFailed(error, file: path ?? "standard output") }
    }

    /// Flushes and closes the file (a handle passed in is only flushed).
    public func close() throws {
        guard !closed else { return }
        closed = true
        try flush()
        if ownsHandle { try handle.close() }
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
            if digits.count >= 12 || digits.first == UInt8(ascii: "0"), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                return "=\"" + text + "\""
            }
            return defused(.text(text))
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

    private static func append(_ cells: [Cell], to bytes: inout [UInt8]) {
        for (i, cell) in cells.enumerated() {
            if i > 0 { bytes.append(0x2C) }
            let text = defused(cell)
            // Typed closure: GRDB's SQL operators (`==`, `||` on SQLExpressible) are visible module-wide
            // and make the untyped form too slow to type-check.
            let needsQuotes = text.utf8.contains { (byte: UInt8) -> Bool in
                byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D
            }
            if !needsQuotes {
                bytes.append(contentsOf: text.utf8)
                continue
            }
            bytes.append(0x22)
            for byte in text.utf8 {
                if byte == 0x22 { bytes.append(0x22) }
                bytes.append(byte)
            }
            bytes.append(0x22)
        }
    }
}
