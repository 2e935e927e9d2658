/// One user-facing problem, with a location a human can follow.
///
/// Every loader reports through this type so that `huiqi check`, `run` and `test`
/// print problems the same way:
///
///     Rules/catalog.yaml: services[3].params.cap: expected a number
///     Rules/rent/relief.lua:12: unknown profile field 'employes' (did you mean 'employees'?)
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var severity: Severity
    /// File the problem is in, as the user named it (relative paths stay relative).
    public var file: String?
    /// 1-based line, when known.
    public var line: Int?
    /// Path inside a structured file, e.g. `services[3].params.cap`.
    public var path: String?
    public var message: String

    public init(_ severity: Severity = .error, file: String? = nil, line: Int? = nil, path: String? = nil, _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        if let path { location += location.isEmpty ? path : ": \(path)" }
        let prefix = severity == .warning ? "warning: " : ""
        return location.isEmpty ? prefix + message : "\(location): \(prefix)\(message)"
    }
}

/// A list of problems thrown as one error (e.g. a catalog with several bad entries).
public struct DiagnosticList: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]
    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
