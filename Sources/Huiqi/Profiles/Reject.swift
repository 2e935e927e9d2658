/// A record that failed validation: rejected, not dropped (PRODUCT.md §3), and written to the rejects file.
public struct Reject: Sendable, Equatable {
    /// Input file, as the user named it.
    public var file: String
    /// 1-based line where the record starts.
    public var line: Int
    /// The failing field name(s), `;`-separated when several failed; the column or key name
    /// for an unknown one; nil when the record as a whole is bad (cell count, syntax, duplicate is
    /// reported on `credit_code`).
    public var field: String?
    /// Why, in Chinese; several problems are joined with "; ".
    public var reason: String
    /// The credit code as found in the record (trimmed, not validated), when there is one.
    public var creditCode: String?
    /// The record's raw text, cut to 500 characters.
    public var raw: String?

    public init(file: String, line: Int, field: String? = nil, reason: String, creditCode: String? = nil, raw: String? = nil) {
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
        self.creditCode = creditCode
        self.raw = raw
    }

    /// Whether this is the row of the business `code` (upper-case): its code cell holds `code`, or,
    /// for a full 18-character code, holds it among other marks (`'…`, spaces, a note) that made
    /// the row a reject. `explain` looks a business up this way in a file and in a logged run
    /// (data-administrator review: "not found" sent the user looking elsewhere).
    public func isRow(of code: String) -> Bool {
        guard let cell = creditCode?.uppercased() else { return false }
        return cell == code || (code.count == 18 && cell.contains(code))
    }
}
