/// A Lua value copied into Swift.
///
/// The one mapping used in both directions:
/// - `nil` ↔ `.nil`, booleans ↔ `.boolean`, strings ↔ `.string` (bytes as UTF-8);
/// - Lua integers ↔ `.integer` and Lua floats ↔ `.number`: integers stay integers;
/// - a table whose keys are exactly 1…n (n ≥ 1) ↔ `.array`; an empty table reads as `.array([])`;
/// - any other table ↔ `.map`, keyed by strings (integer and float keys become their decimal text;
///   keys of other types are skipped); functions, userdata and threads read as `.opaque(typeName)`.
public indirect enum LuaValue: Sendable, Equatable, Hashable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([LuaValue])
    case map([String: LuaValue])
    case opaque(String)

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .boolean(let b) = self { return b } else { return nil } }
    public var isNil: Bool { self == .nil }
    /// Integers and floats as a Double.
    public var doubleValue: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .number(let d): return d
        default: return nil
        }
    }
    public subscript(key: String) -> LuaValue {
        if case .map(let m) = self { return m[key] ?? .nil }
        return .nil
    }
    /// Short text for messages: numbers without a trailing `.0` when integral.
    public var displayText: String {
        switch self {
        case .nil: return "nil"
        case .boolean(let b): return b ? "true" : "false"
        case .integer(let i): return String(i)
        case .number(let d):
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        case .string(let s): return s
        case .array(let a): return "{" + a.map(\.displayText).joined(separator: ", ") + "}"
        case .map(let m):
            return "{" + m.sorted { $0.key < $1.key }.map { "\($0.key) = \($0.value.displayText)" }.joined(separator: ", ") + "}"
        case .opaque(let t): return t
        }
    }
}
