import Foundation

/// An error raised by Lua code or by the limits, split into message and traceback.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The chunk does not compile.
        case syntax
        /// `error(...)` or a runtime fault in Lua code.
        case runtime
        /// The state hit its memory cap.
        case memory
        /// The evaluation ran out of its instruction budget.
        case budget
        /// The message handler itself failed.
        case handler
    }

    public var kind: Kind
    /// First line(s) of the error, e.g. `Rules/x.lua:12: attempt to index a nil value`.
    public var message: String
    /// Lua's `stack traceback:` text, when one was taken.
    public var traceback: String?
    /// A non-string error object, copied.
    public var value: LuaValue?

    public init(kind: Kind, message: String, traceback: String? = nil, value: LuaValue? = nil) {
        self.kind = kind
        self.message = message
        self.traceback = traceback
        self.value = value
    }

    /// Splits `luaL_traceback` output into message and traceback.
    public init(kind: Kind, rawMessage: String) {
        if let range = rawMessage.range(of: "\nstack traceback:") {
            self.init(kind: kind, message: String(rawMessage[..<range.lowerBound]),
                      traceback: String(rawMessage[range.lowerBound...].dropFirst()))
        } else {
            self.init(kind: kind, message: rawMessage)
        }
    }

    /// `file:line` of the message's first location, when it starts with one (`path.lua:12: …`).
    public var location: (file: String, line: Int)? { LuaError.location(in: message) }

    public static func location(in message: String) -> (file: String, line: Int)? {
        // "Rules/a.lua:12: text" — find ".lua:" followed by digits and ':'.
        guard let r = message.range(of: ".lua:") else { return nil }
        let file = String(message[..<r.lowerBound]) + ".lua"
        let digits = message[r.upperBound...].prefix { $0.isNumber }
        guard let line = Int(digits) else { return nil }
        return (file, line)
    }

    public var description: String { message }
}
