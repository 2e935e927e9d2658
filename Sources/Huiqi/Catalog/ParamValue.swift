/// A value of a service's `params` in `catalog.yaml`: what rules read as `ctx.params.NAME`.
///
/// Integers written without a fraction stay `.integer` (so `4000000` reaches Lua as an integer);
/// maps keep the key order of the file; a map whose keys are all ISO dates is `.dated`, sorted by
/// date, and stands for "the value in force from that day on":
///
///     cap: { 2023-01-01: 50000, 2024-07-01: 80000 }
///     // .dated([("2023-01-01", .integer(50000)), ("2024-07-01", .integer(80000))])
///     // resolved(on: "2024-03-01") == .integer(50000)
public enum ParamValue: Sendable, Equatable, CustomStringConvertible {
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case boolean(Bool)
    /// Scalars only (the loader rejects nested lists and maps inside lists).
    case list([ParamValue])
    /// A nested map, in file order (keys are unique: YAML rejects duplicates).
    case map([(key: String, value: ParamValue)])
    /// Values by the ISO date they take effect, ascending, dates unique.
    case dated([(from: String, value: ParamValue)])

    /// The value in force on `isoDate`, with dated values inside maps resolved too; nil when the
    /// value is dated and `isoDate` is before its first date (the param does not exist yet).
    public func resolved(on isoDate: String) -> ParamValue? {
        switch self {
        case .integer, .decimal, .string, .boolean, .list:
            return self
        case .map(let entries):
            var out: [(key: String, value: ParamValue)] = []
            out.reserveCapacity(entries.count)
            for entry in entries {
                if let value = entry.value.resolved(on: isoDate) { out.append((entry.key, value)) }
            }
            return .map(out)
        case .dated(let steps):
            // ISO strings order like dates; the last step not after isoDate is in force.
            guard let step = steps.last(where: { $0.from <= isoDate }) else { return nil }
            return step.value.resolved(on: isoDate)
        }
    }

    /// Whether this value (or anything inside it) changes with the date.
    public var isDated: Bool {
        switch self {
        case .dated: return true
        case .map(let entries): return entries.contains { $0.value.isDated }
        default: return false
        }
    }

    /// The value of `key` in a map, nil otherwise.
    public subscript(key: String) -> ParamValue? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    public var int64Value: Int64? {
        switch self {
        case .integer(let i): return i
        case .decimal(let d) where d == d.rounded() && abs(d) < 9.2e18: return Int64(d)
        default: return nil
        }
    }

    /// Numbers as `Double` (integers convert), nil for other kinds.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .decimal(let d): return d
        default: return nil
        }
    }

    public var stringValue: String? {
        if case .string(let s) = self { return s }
        return nil
    }

    public var boolValue: Bool? {
        if case .boolean(let b) = self { return b }
        return nil
    }

    /// Compact YAML-like text for messages and `explain`: `50000`, `0.5`, `[a, b]`, `{k: v}`,
    /// `{2023-01-01: 50000, 2024-07-01: 80000}`.
    public var description: String {
        switch self {
        case .integer(let i): return String(i)
        case .decimal(let d): return String(d)
        case .string(let s): return s
        case .boolean(let b): return b ? "true" : "false"
        case .list(let items): return "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .map(let entries):
            return "{" + entries.map { "\($0.key): \($0.value.description)" }.joined(separator: ", ") + "}"
        case .dated(let steps):
            return "{" + steps.map { "\($0.from): \($0.value.description)" }.joined(separator: ", ") + "}"
        }
    }

    public static func == (lhs: ParamValue, rhs: ParamValue) -> Bool {
        switch (lhs, rhs) {
        case let (.integer(a), .integer(b)): return a == b
        case let (.decimal(a), .decimal(b)): return a == b
        case let (.string(a), .string(b)): return a == b
        case let (.boolean(a), .boolean(b)): return a == b
        case let (.list(a), .list(b)): return a == b
        case let (.map(a), .map(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        case let (.dated(a), .dated(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.from == $1.from && $0.value == $1.value }
        default: return false
        }
    }
}
