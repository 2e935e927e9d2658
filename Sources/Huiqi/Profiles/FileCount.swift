/// Per-input-file tallies of a `ProfileStream`, recorded with the run: `read = accepted + rejected`.
public struct FileCount: Sendable, Equatable {
    /// The file, as the user named it.
    public var path: String
    /// Records read (header, blank lines and rows of empty cells excluded).
    public var read: Int
    /// Records rejected.
    public var rejected: Int
    /// Hex SHA-256 of the file's bytes, set once the file has been read to the end.
    public var sha256: String?
    /// Bytes of the file read, set with `sha256`.
    public var size: Int?
    /// The encoding the file was read with (nil if it was all ASCII under `auto`, or not read yet).
    public var encoding: InputEncoding?

    public init(path: String, read: Int = 0, rejected: Int = 0, sha256: String? = nil, encoding: InputEncoding? = nil) {
        self.path = path
        self.read = read
        self.rejected = rejected
        self.sha256 = sha256
        self.encoding = encoding
    }

    /// Records that became profiles (and go on to be evaluated).
    public var accepted: Int { read - rejected }
}
