import HuiqiLua

/// Builds a `Profile` from a test case's Lua `profile` table, with the schema's types.
///
/// Test profiles are written in Lua, so values are Lua values: numbers, booleans, ISO date strings,
/// arrays of strings for lists; enum fields accept the canonical value, its label or an alias.
/// Defaults apply as in a batch run, and so do the checks on values: the credit code's check digit,
/// `min`/`max`, NULs, a subject type that contradicts the code. Required fields are not enforced
/// here, but for `subject_type`, by which rules are chosen: a case states only what it needs
/// (missing `credit_code`/`name` show as empty).
enum TestProfile {
    struct Problem: Error { var message: String }

    /// - Parameter asOf: the case's `as_of`: a `max: as_of` date after it fails the case, as a run
    ///   would reject the row (a case about a firm not yet founded tests nothing a run does).
    static func build(from value: LuaValue, schema: Schema, file: String, asOf: String? = nil) -> Result<Profile, Problem> {
        let entries: [String: LuaValue]
        switch value {
        case .map(let m): entries = m
        case .array(let a) where a.isEmpty: entries = [:]  // `profile = {}`: every field at its default
        default: return .failure(Problem(message: "profile must be a table of field = value"))
        }
        var values = schema.fields.map(\.defaultValue)
        for (name, raw) in entries.sorted(by: { $0.key < $1.key }) {
            guard let index = schema.index(of: name) else {
                // A label or alias is how an input file names the field; a case names it as rules
                // do (analyst review: ["成立日期"] was only "unknown field").
                if let byLabel = FieldLookup(schema: schema).fieldIndex(for: name) {
                    let field = schema.fields[byLabel].name
                    return .failure(Problem(message: "profile: '\(name)' is how input files name the field '\(field)'; a case names it as rules do: \(field) = … (测试用例中请用字段英文名)"))
                }
                let hint = Suggest.closest(to: name, in: schema.fields.map(\.name))
                return .failure(Problem(message: "profile: unknown field '\(name)'" + (hint.map { " (did you mean '\($0)'?)" } ?? "")))
            }
            let field = schema.fields[index]
            switch convert(raw, field) {
            case .success(let v): values[index] = v
            case .failure(let p): return .failure(p)
            }
            // Bounds and NULs as a batch run checks them (review: a case passed with employees = -5,
            // which a run rejects).
            if let v = values[index], let problem = CellCoercer(field: field).outOfBounds(v) {
                return .failure(Problem(message: "profile.\(name): \(problem.message)"))
            }
            let texts: [String]
            switch values[index] {
            case .string(let s)?: texts = [s]
            case .list(let items)?: texts = items
            default: texts = []
            }
            if texts.contains(where: { $0.utf8.contains(0) }) {
                return .failure(Problem(message: "profile.\(name): \(ProfileStream.nulProblem)"))
            }
            // As a batch run would reject it (docs/rules.md says test codes must pass the check).
            if name == Schema.creditCodeField, case .string(let code)? = values[index], let problem = CreditCode.problem(with: code) {
                return .failure(Problem(message: "profile.credit_code '\(code)': \(problem)"))
            }
        }
        if let asOf {
            for (index, field) in schema.fields.enumerated() {
                if case .date(let date)? = values[index], let problem = field.afterAsOfProblem(date, asOf: asOf) {
                    return .failure(Problem(message: "profile.\(field.name): \(problem); huiqi run rejects such a row: move the date or the case's as_of"))
                }
            }
        }
        // Rules are chosen by subject type: a case without one was decided as a business of no type
        // (analyst review: a 92… 个体户 case got "主体类型不符" from an individual-only rule).
        if let index = schema.index(of: Schema.subjectTypeField), values[index] == nil {
            let choices = schema.fields[index].values.map { "\"\($0.value)\" (\($0.displayName))" }.joined(separator: ", ")
            return .failure(Problem(message: "profile.subject_type is missing: rules are chosen by it (主体类型必填); write one of \(choices)"))
        }
        if let code = schema.index(of: Schema.creditCodeField).flatMap({ values[$0] }), case .string(let text) = code,
           let problem = SubjectCodeCheck(schema: schema)?.problem(code: text, values: values) {
            return .failure(Problem(message: "profile: \(problem)"))
        }
        return .success(Profile(values: values, source: file, line: 0))
    }

    private static func convert(_ raw: LuaValue, _ field: SchemaField) -> Result<FieldValue?, Problem> {
        func bad(_ expected: String) -> Result<FieldValue?, Problem> {
            // A string shows quoted, so that `got "0.85"` reads as the string it is, not a number.
            let got: String
            if case .string(let s) = raw { got = "the string \"\(s)\"" } else { got = raw.displayText }
            return .failure(Problem(message: "profile.\(field.name): expected \(expected), got \(got)"))
        }
        switch (field.type, raw) {
        case (_, .nil): return .success(field.defaultValue)
        case (.string, .string(let s)): return .success(.string(s))
        case (.string, .integer(let i)): return .success(.string(String(i)))
        case (.integer, .integer(let i)): return .success(.integer(i))
        case (.integer, .number(let d)) where d == d.rounded() && abs(d) < 9e18: return .success(.integer(Int64(d)))
        case (.integer, _): return bad("an integer")
        case (.decimal, .integer(let i)): return .success(.decimal(Double(i)))
        case (.decimal, .number(let d)) where d.isFinite: return .success(.decimal(d))  // an input row cannot hold NaN or inf
        case (.decimal, _): return bad("a finite number")
        case (.boolean, .boolean(let b)): return .success(.boolean(b))
        case (.boolean, _): return bad("true or false")
        case (.date, .string(let s)):
            guard let iso = ISODate.normalize(s) else { return bad("a date 'YYYY-MM-DD' (or 2023/3/1, 2023.3.1, 2023年3月1日)") }
            return .success(.date(iso))
        case (.date, _): return bad("a date string 'YYYY-MM-DD'")
        case (.enum, .string(let s)):
            if let v = field.values.first(where: { $0.value == s || $0.label == s || $0.aliases.contains(s) }) {
                return .success(.string(v.value))
            }
            return bad("one of " + field.values.map(\.value).joined(separator: ", "))
        case (.enum, _): return bad("a string")
        case (.list, .array(let items)): return .success(.list(items.map(\.displayText)))
        case (.list, .string(let s)): return .success(.list(s.split(separator: ";").map(String.init)))
        case (.list, _): return bad("a list of strings")
        case (.string, _): return bad("a string")
        }
    }
}
