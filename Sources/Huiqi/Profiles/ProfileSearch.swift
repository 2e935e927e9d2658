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
}
