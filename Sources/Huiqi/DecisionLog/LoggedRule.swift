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
    /// The `lib/` modules the rule's file requires (`RuleBundle.modulesRequired`), each with the
    /// SHA-256 of its text, one `name sha256` a line in name order ("" for none): a rule whose
    /// file is unchanged but whose module changed is another version of it too (`RuleVersion`).
    /// nil for runs logged before log v9.
    public var modules: String?

    public init(index: Int, id: String, serviceID: String, file: String, conditionLabels: [String], hasEvaluate: Bool,
                sourceSHA256: String? = nil, modules: String? = nil) {
        self.index = index
        self.sourceSHA256 = sourceSHA256
        self.modules = modules
        self.id = id
        self.serviceID = serviceID
        self.file = file
        self.conditionLabels = conditionLabels
        self.hasEvaluate = hasEvaluate
    }

    public init(index: Int, descriptor: RuleDescriptor, sourceSHA256: String? = nil, modules: String? = nil) {
        self.init(index: index, id: descriptor.id, serviceID: descriptor.serviceID, file: descriptor.file,
                  conditionLabels: descriptor.conditionLabels, hasEvaluate: descriptor.hasEvaluate, sourceSHA256: sourceSHA256,
                  modules: modules)
    }

    /// The SHA-256 of a rule file's text as the bundle read it (line breaks as LF), hex. The
    /// file, not the rule alone: the log keeps no code, and a file's other rules and local
    /// functions are part of what decides.
    public static func sourceSHA256(of file: RuleBundle.SourceFile) -> String {
        SHA256.hash(data: Data(file.source.utf8)).hex
    }

    /// `modules` of each rule file of `bundle`, by its `displayPath`: `name sha256` a line, in name order.
    public static func modules(in bundle: RuleBundle) -> [String: String] {
        var digests: [String: String] = [:]
        return bundle.modulesRequired(by: bundle.ruleFiles).mapValues { names in
            names.compactMap { name -> String? in
                guard let module = bundle.libraries[name] else { return nil }
                if digests[name] == nil { digests[name] = sourceSHA256(of: module) }
                return "\(name) \(digests[name]!)"
            }.joined(separator: "\n")
        }
    }

    /// The modules whose text differs between two `modules` values, or that only one of them
    /// requires, as files (`lib/baoan.lua`), in name order.
    public static func changedModules(_ a: String, _ b: String) -> [String] {
        func entries(_ text: String) -> [String: Substring] {
            Dictionary(text.split(separator: "\n").map { line in
                (String(line.prefix { $0 != " " }), line.drop { $0 != " " })
            }, uniquingKeysWith: { x, _ in x })
        }
        let x = entries(a), y = entries(b)
        return Set(x.keys).union(y.keys).filter { x[$0] != y[$0] }.sorted()
            .map { "lib/" + $0.replacingOccurrences(of: ".", with: "/") + ".lua" }
    }
}
