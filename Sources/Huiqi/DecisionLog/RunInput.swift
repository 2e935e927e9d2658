/// One input file of a run, as recorded in the log (PRODUCT.md §7).
public struct RunInput: Sendable, Equatable {
    /// 0-based position on the command line.
    public var ordinal: Int
    /// The path as the user gave it (shown in messages).
    public var path: String
    /// The absolute path, so `explain --run` and `--resume` find it from any directory.
    public var absolutePath: String
    /// Hex SHA-256 of the file's bytes when the run started.
    public var sha256: String
    /// Bytes.
    public var size: Int64
    /// Records read and rejected; nil until the run has read the whole file.
    public var rows: Int?
    public var rejected: Int?
    /// The encoding the file was read with, once known.
    public var encoding: String?

    public init(ordinal: Int, path: String, absolutePath: String, sha256: String, size: Int64,
                rows: Int? = nil, rejected: Int? = nil, encoding: String? = nil) {
        self.ordinal = ordinal
        self.path = path
        self.absolutePath = absolutePath
        self.sha256 = sha256
        self.size = size
        self.rows = rows
        self.rejected = rejected
        self.encoding = encoding
    }
}
