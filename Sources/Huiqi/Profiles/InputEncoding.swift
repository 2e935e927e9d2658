/// The text encoding of a profile file (`--encoding`).
///
/// `auto` reads a UTF-8 byte-order mark as UTF-8; otherwise it looks at the bytes from the first
/// non-ASCII one on (the rest of the 1 MiB chunk, at least 4 KiB or to the end of the file):
/// valid UTF-8 means UTF-8, anything else GB18030. Until a non-ASCII byte appears the two
/// encodings agree, so nothing is decided too early.
/// `gbk` is decoded as GB18030, its superset (as is GB2312).
public enum InputEncoding: String, Sendable, CaseIterable, CustomStringConvertible {
    case auto
    case utf8 = "utf-8"
    case gb18030
    case gbk

    /// Accepts the spellings people type: `UTF8`, `utf_8`, `GB2312`, `cp936`, `GBK`, `gb-18030`...
    public init?(name: String) {
        let key = name.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
        switch key {
        case "auto", "detect": self = .auto
        case "utf8", "utf8bom", "utf8sig": self = .utf8
        case "gb18030": self = .gb18030
        case "gbk", "cp936", "ms936", "windows936": self = .gbk
        case "gb2312", "euccn": self = .gb18030
        default: return nil
        }
    }

    public var description: String { rawValue }
}
