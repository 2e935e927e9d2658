import Foundation

/// Finds one business in profile files by its credit code, as `explain CODE --profiles` does: the
/// first valid row that reads as the code (the one a run evaluates: only valid rows count as the
/// first of a duplicated code), else the first reject of a row whose code cell holds it (its marks
/// or a contradiction made it a reject; "not found" would send the user looking elsewhere).
///
///     switch try ProfileSearch.find("91440306790N9U6MXA", in: [url], schema: schema, asOf: "2025-06-01") {
///     case .profile(let p): …
///     case .rejected(let r): print(r.reason)
///     case .notFound: …
///     }
public enum ProfileSearch {
    public enum Found {
        case profile(Profile)
        case rejected(Reject)
        case notFound
    }

    /// - Parameter code: the credit code as the user typed it (spaces around it and lower case are fine).
    /// - Parameter asOf: the date the business is to be judged on: a firm founded later is a reject.
    /// - Parameter warnings: gets the warnings about the files' headers, such as a column that
    ///   names no field and is left out (`run` refuses it; the business is explained without it).
    ///   Not those about their rows: read for one code, the others are passed over uncounted (a
    ///   file said "no data rows").
    public static func find(_ code: String, in files: [URL], schema: Schema, encoding: InputEncoding = .auto,
                            asOf: String, warnings: ([Diagnostic]) -> Void = { _ in }) throws -> Found {
        let code = code.trimmingCharacters(in: .whitespaces).uppercased()
        var stream = try ProfileStream(files: files, schema: schema, encoding: encoding, allowExtra: true, asOf: asOf)
        warnings(stream.warnings)  // every file's header is read by now
        stream.onlyCreditCode = code
        let codeIndex = schema.index(of: Schema.creditCodeField) ?? 0
        // A rejected row does not end the search: a run evaluates a later valid row of the code
        // (a business listed twice, its first row with a bad number), and explain said 未评估.
        var firstReject: Reject?
        while let record = try stream.next() {
            switch record {
            case .profile(let p) where p[codeIndex]?.displayText == code: return .profile(p)
            case .rejected(let r) where firstReject == nil && r.isRow(of: code): firstReject = r
            default: continue
            }
        }
        return firstReject.map { .rejected($0) } ?? .notFound
    }

    /// A business whose 企业名称 holds the text looked for, where it was found.
    public struct Named: Sendable, Equatable {
        public var creditCode: String
        public var name: String
        public var file: String
        public var line: Int
        /// The row as read, when it was found in profile files (not in a log).
        public var profile: Profile?

        public init(creditCode: String, name: String, file: String, line: Int, profile: Profile? = nil) {
            self.creditCode = creditCode
            self.name = name
            self.file = file
            self.line = line
            self.profile = profile
        }
    }

    /// What `find(named:)` found: the businesses whose name holds the text, first `limit` in file
    /// order (one each: a run evaluates a code's first valid row), and how many more.
    public struct NameMatches: Sendable, Equatable {
        public var businesses: [Named] = []
        public var more = 0
        /// The businesses whose whole name is the text (as names are compared), the first kept.
        public var exact: Named?
        public var exactCount = 0

        public init(businesses: [Named] = [], more: Int = 0) {
            self.businesses = businesses
            self.more = more
        }

        public var count: Int { businesses.count + more }

        /// The one business meant: the only one found, or the only one whose whole name is the
        /// text (`深圳市远航科技有限公司` beside its `深圳市远航科技有限公司沙井分公司`).
        public var only: Named? {
            if count == 1 { return businesses.first }
            return exactCount == 1 ? exact : nil
        }
    }

    /// Names as compared: full-width letters, digits and brackets as their ASCII forms (`（` is
    /// `(`), Latin letters in any case, spaces around ignored.
    public static func nameKey(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).precomposedStringWithCompatibilityMapping.lowercased()
    }

    /// The valid rows of `files` whose 企业名称 contains `text` (part of a name, as an official
    /// types it: `explain --firm 远航科技`), by credit code; rejected rows are not looked at.
    public static func find(named text: String, in files: [URL], schema: Schema, encoding: InputEncoding = .auto,
                            asOf: String, limit: Int = 10, warnings: ([Diagnostic]) -> Void = { _ in }) throws -> NameMatches {
        let key = nameKey(text)
        var stream = try ProfileStream(files: files, schema: schema, encoding: encoding, allowExtra: true, asOf: asOf)
        warnings(stream.warnings)
        guard !key.isEmpty, let nameIndex = schema.index(of: Schema.nameField) else { return NameMatches() }
        let codeIndex = schema.index(of: Schema.creditCodeField) ?? 0
        var found = NameMatches()
        var seen = Set<String>()
        while let record = try stream.next() {
            guard case .profile(let p) = record, let name = p[nameIndex]?.displayText else { continue }
            found.add(Named(creditCode: p[codeIndex]?.displayText ?? "", name: name, file: p.source, line: p.line, profile: p),
                      key: key, limit: limit, seen: &seen)
        }
        return found
    }
}

extension ProfileSearch.NameMatches {
    /// Counts `named` when its name holds `key` (`ProfileSearch.nameKey`) and its code is not in
    /// `seen` yet: kept among the first `limit`, else counted in `more`.
    public mutating func add(_ named: ProfileSearch.Named, key: String, limit: Int, seen: inout Set<String>) {
        let name = ProfileSearch.nameKey(named.name)
        guard !key.isEmpty, name.contains(key), seen.insert(named.creditCode).inserted else { return }
        if businesses.count < limit { businesses.append(named) } else { more += 1 }
        if name == key {
            exactCount += 1
            if exact == nil { exact = named }
        }
    }
}
