import Foundation
/// The number a reviewer uses to name one decision: run, input row and service slot in one integer.
///
/// `id = run × 10¹² + row × 1000 + slot`, so it reads left to right (run 3, row 1205, slot 7 is
/// `3000001205007`), is the same in every listing and export, and needs no lookup table. Rows go
/// up to 999,999,999 and slots up to 999 per run; `SQLiteDecisionStore.createRun` refuses a
/// catalog with more services than that.
public struct DecisionID: Sendable, Hashable, CustomStringConvertible {
    public static let maxRow = 999_999_999
    public static let maxSlot = 999

    public var run: Int64
    /// 1-based input row (rejects included), as in `DecisionSink`.
    public var row: Int
    /// 0-based position of the service in the run's plan.
    public var slot: Int

    public init(run: Int64, row: Int, slot: Int) {
        self.run = run
        self.row = row
        self.slot = slot
    }

    /// Decodes an id; nil when it is not one this scheme produces.
    public init?(rawValue: Int64) {
        guard rawValue > 0 else { return nil }
        let run = rawValue / 1_000_000_000_000
        let rest = rawValue % 1_000_000_000_000
        let row = Int(rest / 1000), slot = Int(rest % 1000)
        guard run >= 1, row >= 1 else { return nil }
        self.init(run: run, row: row, slot: slot)
    }

    /// Parses what a user typed (digits, optionally with `_` or `,` separators), or pasted from a
    /// CSV export read as text (`="1000000001000"`, the form that keeps it exact in Excel), or with Excel's
    /// leading `'` text mark.
    public init?(text: String) {
        var text = Substring(text.trimmingCharacters(in: .whitespaces))
        if text.hasPrefix("'") { text = text.dropFirst() }  // Excel's text mark
        if text.hasPrefix("=\""), text.hasSuffix("\""), text.count >= 3 { text = text.dropFirst(2).dropLast() }
        let digits = text.filter { $0 != "_" && $0 != "," && $0 != " " }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int64(digits) else { return nil }
        self.init(rawValue: value)
    }

    public var rawValue: Int64 { run * 1_000_000_000_000 + Int64(row) * 1000 + Int64(slot) }

    public var description: String { String(rawValue) }
}
