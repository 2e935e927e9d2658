import Crypto

extension SHA256.Digest {
    /// Lowercase hex, as the log, `check` and `log runs` show every SHA-256.
    var hex: String { map { String(format: "%02x", $0) }.joined() }
}
