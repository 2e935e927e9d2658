/// A coerced profile value. Enum values are stored as their canonical `.string`;
/// dates as their ISO `YYYY-MM-DD` `.date` string.
///
/// Mapping to Lua (one rule, used everywhere): string/date → string, integer → integer,
/// decimal → float, boolean → boolean, list → array of strings (1-based).
public enum FieldValue: Sendable, Equatable, Hashable {
    case string(String)
    case integer(Int64)
    case decimal(Double)
    case boolean(Bool)
    case date(String)
    case list([String])

    /// The value as a user reads it (CSV cells, explanations).
    public var displayText: String {
        switch self {
        case .string(let s), .date(let s): return s
        case .integer(let i): return String(i)
        case .decimal(let d):
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .boolean(let b): return b ? "true" : "false"
        case .list(let items): return items.joined(separator: ";")
        }
    }
}

extension FieldValue {
    /// `displayText` for a message or an explanation, where an empty list would read as nothing at all.
    public var reviewText: String {
        if case .list(let items) = self, items.isEmpty { return "(空)" }
        return displayText
    }
}
