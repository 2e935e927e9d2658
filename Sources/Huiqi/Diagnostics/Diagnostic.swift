/// One user-facing problem, with a location a human can follow.
///
/// Every loader reports through this type so that `huiqi check`, `run` and `test`
/// print problems the same way:
///
///     Rules/catalog.yaml:57: RENT-02 国有物业租金减免 (services[3].params.cap): expected a number
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
    /// What the path is in, named as the file's reader names it: "RENT-02 国有物业租金减免" for a
    /// catalog service (analysts think in ids, not in positions). Shown before the path.
    public var subject: String?
    public var message: String

    public init(_ severity: Severity = .error, file: String? = nil, line: Int? = nil, path: String? = nil, subject: String? = nil,
                _ message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.path = path
        self.subject = subject
        self.message = message
    }

    public var description: String {
        var location = file ?? ""
        if let line { location += location.isEmpty ? "line \(line)" : ":\(line)" }
        // "RENT-02 国有物业租金减免 (services[3].params.cap)": the subject, and the path that finds it.
        let at = [subject, path.map { subject == nil ? $0 : "(\($0))" }].compactMap { $0 }.joined(separator: " ")
        if !at.isEmpty { location += location.isEmpty ? at : ": \(at)" }
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
