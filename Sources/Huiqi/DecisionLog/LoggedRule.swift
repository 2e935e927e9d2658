import Crypto
import Foundation

/// A rule as it was when the run started: its id, file and condition labels (the labels the
/// packed condition states of each decision refer to).
public struct LoggedRule: Sendable, Equatable {
    /// 0-based position in the runtime's rule list (`RuleRuntime.rules`).
    public var index: Int
    public var id: String
    public var serviceID: String
    public var file: String
    public var conditionLabels: [String]
    public var hasEvaluate: Bool
    /// SHA-256 of the rule file's text (`sourceSHA256(of:)`), what tells this rule's versions apart
    /// for reviews (`RuleVersion`); nil for runs logged before log v8.
    public var sourceSHA256: String?

    public init(index: Int, id: String, serviceID: String, file: String, conditionLabels: [String], hasEvaluate: Bool,
                sourceSHA256: String? = nil) {
        self.index = index
        self.sourceSHA256 = sourceSHA256
        self.id = id
        self.serviceID = serviceID
        self.file = file
        self.conditionLabels = conditionLabels
        self.hasEvaluate = hasEvaluate
    }

    public init(index: Int, descriptor: RuleDescriptor, sourceSHA256: String? = nil) {
        self.init(index: index, id: descriptor.id, serviceID: descriptor.serviceID, file: descriptor.file,
                  conditionLabels: descriptor.conditionLabels, hasEvaluate: descriptor.hasEvaluate, sourceSHA256: sourceSHA256)
    }

    /// The SHA-256 of a rule file's text as the bundle read it (line breaks as LF), hex. The
    /// file, not the rule alone: the log keeps no code, and a file's other rules and local
    /// functions are part of what decides.
    public static func sourceSHA256(of file: RuleBundle.SourceFile) -> String {
        SHA256.hash(data: Data(file.source.utf8)).hex
    }
}
