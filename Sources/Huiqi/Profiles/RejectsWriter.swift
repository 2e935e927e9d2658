import Foundation

/// Writes rejected records to a CSV that reviewers open in Excel (UTF-8 with BOM, Chinese headers):
///
///     文件,行号,统一社会信用代码,字段,原因,原始内容
///
/// Text taken from the input (code, raw record) is defused against formula injection by `CSVWriter`.
/// A run writes one as it goes; `huiqi log rejects` writes the same bytes again from the decision log.
public final class RejectsWriter {
    public static let headers = ["文件", "行号", "统一社会信用代码", "字段", "原因", "原始内容"]

    private let writer: CSVWriter
    /// Rejects written so far.
    public private(set) var count = 0

    /// Creates (or truncates) `url` and writes the header row. `staged` (`log rejects --out`): the
    /// file is written under a temporary name and put in place by `close()` (`StagedFile`).
    public init(url: URL, staged: Bool = false) throws {
        writer = try CSVWriter(url: url, bom: true, staged: staged)
        try writer.writeRow(RejectsWriter.headers)
    }

    /// Writes to an open handle (standard output), which the caller keeps; a byte-order mark
    /// first when `bom` (for a file Excel will open).
    public init(handle: FileHandle, bom: Bool) throws {
        writer = CSVWriter(fileHandle: handle, bom: bom)
        try writer.writeRow(RejectsWriter.headers)
    }

    public func write(_ reject: Reject) throws {
        try writer.writeRow([
            .text(reject.file),
            .literal(String(reject.line)),
            .identifier(reject.creditCode ?? ""),
            .text(reject.field ?? ""),
            .text(reject.reason),
            .text(reject.raw ?? ""),
        ])
        count += 1
    }

    public func close() throws { try writer.close() }

    /// Stops writing: a staged file is removed, the earlier one at the path stays.
    public func discard() { writer.discard() }

    /// What `discard()` left at the path.
    public var afterDiscard: String { writer.afterDiscard }
    public func flush() throws { try writer.flush() }

    /// The files written (past Excel's row limit, further parts), and the rows (header included).
    public var paths: [String] { writer.paths }
    public var rows: Int { writer.rowCount }
}
