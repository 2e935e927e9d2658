import Crypto
import Foundation
import Yams

extension Schema {
    /// Reads and validates a `schema.yaml` (PRODUCT.md §3).
    ///
    /// Every problem found is reported, not just the first, as a `DiagnosticList` whose entries
    /// carry the file, the YAML line and a path such as `fields[3].type`:
    ///
    ///     Rules/schema.yaml:14: fields[3].type: unknown type 'int' (did you mean 'integer'?; expected one of ...)
    ///
    /// `sha256` is the hex SHA-256 of the file's bytes; `path` is the path as given.
    public static func load(from url: URL) throws -> Schema {
        let display = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DiagnosticList([Diagnostic(file: display, "cannot read the schema (无法读取): \(error.localizedDescription)")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DiagnosticList([Diagnostic(file: display, "the schema is not UTF-8 text (文件不是UTF-8编码)")])
        }
        var loader = SchemaLoader(file: display)
        let (fields, version) = loader.parse(text)
        if !loader.diagnostics.isEmpty { throw DiagnosticList(loader.diagnostics) }
        return Schema(fields: fields, sha256: HexEncoding.string(SHA256.hash(data: data)), path: display, version: version)
    }
}

/// Walks a composed YAML tree into `SchemaField`s, collecting every problem on the way.
struct SchemaLoader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    /// The types the engine relies on for the core fields of PRODUCT.md §3, when a bundle declares them.
    static let coreFieldTypes: [(name: String, type: FieldType)] = [
        ("credit_code", .string), ("name", .string), ("subject_type", .enum), ("industry_code", .string),
        ("street", .string), ("established_on", .date), ("employees", .integer), ("revenue", .decimal),
        ("total_assets", .decimal), ("tax_credit_rating", .enum), ("insured_employees", .integer),
        ("high_tech", .boolean), ("specialized", .boolean), ("has_party_org", .boolean),
        ("state_owned_premises", .boolean), ("monthly_rent", .decimal), ("has_bank_loan", .boolean),
        ("rd_expense", .decimal), ("new_hires_12m", .integer), ("unemployment_insurance_paid", .decimal),
        ("above_scale", .boolean), ("dishonest", .boolean), ("abnormal_operation", .boolean), ("tags", .list),
    ]
    /// Core fields every bundle must declare, all required.
    static let mandatoryFields = ["credit_code", "name", "subject_type"]
    static let mandatorySubjectTypes = ["enterprise", "individual", "market"]

    /// Field names must be usable as `p.name` in Lua, so Lua's reserved words are refused too.
    static let luaKeywords: Set<String> = [
        "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if", "in",
        "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
    ]
    /// Type names people write from habit, for "did you mean".
    static let typeSynonyms: [String: FieldType] = [
        "int": .integer, "long": .integer, "float": .decimal, "double": .decimal, "number": .decimal,
        "numeric": .decimal, "bool": .boolean, "str": .string, "text": .string, "array": .list,
        "datetime": .date, "enumeration": .enum,
    ]
    static let fieldKeys = ["name", "type", "label", "aliases", "required", "default", "values", "description", "min", "max"]
    static let valueKeys = ["value", "label", "aliases"]

    mutating func parse(_ text: String) -> (fields: [SchemaField], version: String?) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch {
            report(yamlError: error, text: text)
            return ([], nil)
        }
        guard let root, case .mapping(let top) = root else {
            error(nil, nil, "expected a mapping with a 'fields' list at the top level")
            return ([], nil)
        }
        var version: String?
        var fieldsNode: Node?
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "version":
                if case .scalar(let scalar) = value { version = scalar.string } else {
                    error(value, "version", "expected a text value")
                }
            case "fields":
                fieldsNode = value
            default:
                error(keyNode, key, "unknown key '\(key)'\(suggestion(key, ["version", "fields"])) (expected version, fields)")
            }
        }
        guard let fieldsNode else {
            error(root, nil, "missing 'fields' (the list of profile fields)")
            return ([], version)
        }
        guard case .sequence(let entries) = fieldsNode else {
            error(fieldsNode, "fields", "expected a list of fields")
            return ([], version)
        }

        var fields: [SchemaField] = []
        var firstPathOfName: [String: String] = [:]
        var nodeOfName: [String: Node] = [:]
        // Normalised header spelling → (owning field, where it was declared).
        var claimedKeys: [String: (field: String, path: String)] = [:]
        for (i, entry) in entries.enumerated() {
            let path = "fields[\(i)]"
            guard let field = parseField(entry, path: path) else { continue }
            if let first = firstPathOfName[field.name] {
                error(entry, "\(path).name", "duplicate field name '\(field.name)' (first declared at \(first))")
                continue
            }
            firstPathOfName[field.name] = path
            nodeOfName[field.name] = entry
            claim(field: field, entry: entry, path: path, in: &claimedKeys)
            fields.append(field)
        }
        checkCoreFields(fields, paths: firstPathOfName, nodes: nodeOfName, fieldsNode: fieldsNode)
        return (fields, version)
    }

    // MARK: - One field

    private mutating func parseField(_ node: Node, path: String) -> SchemaField? {
        guard case .mapping(let mapping) = node else {
            error(node, path, "expected a mapping (name, type, label, ...)")
            return nil
        }
        for keyNode in mapping.keys {
            let key = keyNode.string ?? ""
            if !SchemaLoader.fieldKeys.contains(key) {
                error(keyNode, "\(path).\(key)",
                      "unknown key '\(key)'\(suggestion(key, SchemaLoader.fieldKeys)) (expected one of \(SchemaLoader.fieldKeys.joined(separator: ", ")))")
            }
        }

        var name: String?
        if let node = mapping["name"] {
            if let text = scalarText(node, "\(path).name") {
                if text.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) == nil {
                    error(node, "\(path).name", "'\(text)' is not snake_case (lower-case letters, digits and _, starting with a letter)")
                } else if SchemaLoader.luaKeywords.contains(text) {
                    error(node, "\(path).name", "'\(text)' is a Lua keyword and cannot be read as p.\(text)")
                } else {
                    name = text
                }
            }
        } else {
            error(node, "\(path).name", "missing 'name'")
        }

        var type: FieldType?
        if let node = mapping["type"] {
            if let text = scalarText(node, "\(path).type") {
                if let known = FieldType(rawValue: text) {
                    type = known
                } else {
                    let expected = FieldType.allCases.map(\.rawValue).joined(separator: ", ")
                    let hint = SchemaLoader.typeSynonyms[text.lowercased()].map { " (did you mean '\($0.rawValue)'?)" }
                        ?? suggestion(text, FieldType.allCases.map(\.rawValue))
                    error(node, "\(path).type", "unknown type '\(text)'\(hint) (expected one of \(expected))")
                }
            }
        } else {
            error(node, "\(path).type", "missing 'type'")
        }

        var label: String?
        if let node = mapping["label"] {
            if let text = scalarText(node, "\(path).label") {
                if text.trimmingCharacters(in: .whitespaces).isEmpty {
                    error(node, "\(path).label", "the label must not be empty")
                } else {
                    label = text
                }
            }
        } else {
            error(node, "\(path).label", "missing 'label' (the Chinese column header)")
        }

        let aliases = mapping["aliases"].map { stringList($0, path: "\(path).aliases") } ?? []

        var required = false
        if let node = mapping["required"] {
            if case .scalar = node, let flag = node.bool { required = flag } else {
                error(node, "\(path).required", "expected true or false")
            }
        }

        var description: String?
        if let node = mapping["description"] { description = scalarText(node, "\(path).description") }

        var values: [SchemaField.EnumValue] = []
        if let node = mapping["values"] {
            if let type, type != .enum {
                error(node, "\(path).values", "only enum fields have 'values' (this field is \(type.rawValue))")
            } else {
                values = enumValues(node, path: "\(path).values")
            }
        } else if type == .enum {
            error(node, "\(path).values", "an enum field needs 'values' (the allowed values)")
        }

        guard let name, let type, let label else { return nil }
        var field = SchemaField(name: name, type: type, label: label, aliases: aliases, required: required,
                                values: values, description: description)
        for (key, bound) in [("min", \SchemaField.minimum), ("max", \SchemaField.maximum)] {
            guard let node = mapping[key] else { continue }
            if type == .date {
                if key == "max", case .scalar = node, node.string == SchemaField.asOfBound {
                    field.notAfterAsOf = true
                } else {
                    error(node, "\(path).\(key)", key == "max"
                          ? "a date field's max can only be \(SchemaField.asOfBound) (the evaluation date: a later date is a reject)"
                          : "a date field has no 'min' (only 'max: \(SchemaField.asOfBound)')")
                }
                continue
            }
            guard type == .integer || type == .decimal else {
                error(node, "\(path).\(key)", "only integer and decimal fields have '\(key)'"
                      + (key == "max" ? " (and a date field 'max: \(SchemaField.asOfBound)')" : "") + " (this field is \(type.rawValue))")
                continue
            }
            guard case .scalar = node, let number = node.float, number.isFinite else {
                error(node, "\(path).\(key)", "expected a number")
                continue
            }
            field[keyPath: bound] = number
        }
        if let low = field.minimum, let high = field.maximum, low > high {
            error(mapping["min"] ?? node, "\(path).min", "min \(SchemaField.boundText(low)) is above max \(SchemaField.boundText(high))")
        }
        if let node = mapping["default"] {
            if required {
                error(node, "\(path).default", "a required field cannot have a default (the default would hide missing values)")
            } else {
                field.defaultValue = defaultValue(node, for: field, path: "\(path).default")
            }
        }
        return field
    }

    private mutating func enumValues(_ node: Node, path: String) -> [SchemaField.EnumValue] {
        guard case .sequence(let entries) = node, !entries.isEmpty else {
            error(node, path, "expected a non-empty list of values")
            return []
        }
        var values: [SchemaField.EnumValue] = []
        // Normalised spelling → the value that claimed it, so one input maps to one value.
        var claimed: [String: String] = [:]
        for (i, entry) in entries.enumerated() {
            let itemPath = "\(path)[\(i)]"
            var value: SchemaField.EnumValue?
            switch entry {
            case .scalar(let scalar):
                value = SchemaField.EnumValue(value: scalar.string)
            case .mapping(let mapping):
                for keyNode in mapping.keys {
                    let key = keyNode.string ?? ""
                    if !SchemaLoader.valueKeys.contains(key) {
                        error(keyNode, "\(itemPath).\(key)",
                              "unknown key '\(key)'\(suggestion(key, SchemaLoader.valueKeys)) (expected value, label, aliases)")
                    }
                }
                guard let valueNode = mapping["value"] else {
                    error(entry, "\(itemPath).value", "missing 'value'")
                    continue
                }
                guard let text = scalarText(valueNode, "\(itemPath).value") else { continue }
                let label = mapping["label"].flatMap { scalarText($0, "\(itemPath).label") }
                let aliases = mapping["aliases"].map { stringList($0, path: "\(itemPath).aliases") } ?? []
                value = SchemaField.EnumValue(value: text, label: label, aliases: aliases)
            default:
                error(entry, itemPath, "expected a value or a mapping {value, label, aliases}")
            }
            guard let value else { continue }
            if value.value.trimmingCharacters(in: .whitespaces).isEmpty {
                error(entry, "\(itemPath).value", "the value must not be empty")
                continue
            }
            let spellings = uniqueSpellings([value.value] + (value.label.map { [$0] } ?? []) + value.aliases)
            var ok = true
            for spelling in spellings {
                guard let owner = claimed[FieldLookup.normalize(spelling)] else { continue }
                if owner == value.value {
                    error(entry, "\(itemPath).value", "duplicate value '\(value.value)'")
                } else {
                    error(entry, itemPath, "'\(spelling)' already stands for the value '\(owner)'; each spelling must mean one value")
                }
                ok = false
            }
            guard ok else { continue }
            for spelling in spellings { claimed[FieldLookup.normalize(spelling)] = value.value }
            values.append(value)
        }
        return values
    }

    private mutating func defaultValue(_ node: Node, for field: SchemaField, path: String) -> FieldValue? {
        let coercer = FieldCoercer(field: field)
        switch node {
        case .scalar(let scalar):
            if node.null != nil && scalar.style == .plain { return nil }  // `default: ~` means none
            switch coercer.coerce(scalar.string) {
            case .success(let value):
                if value == nil { error(node, path, "the default is empty; remove it or give a value") }
                return value
            case .failure(let failure):
                error(node, path, "invalid default for a \(field.type.rawValue) field: \(failure.message)")
                return nil
            }
        case .sequence where field.type == .list:
            // `default: []`: a profile without the field has an empty list (no tags), not missing data.
            return .list(stringList(node, path: path))
        default:
            error(node, path, "expected a single \(field.type.rawValue) value")
            return nil
        }
    }

    // MARK: - Whole-schema checks

    /// Records every header spelling of `field`; a spelling already claimed by another field is an error
    /// because a CSV column must map to exactly one field.
    private mutating func claim(field: SchemaField, entry: Node, path: String,
                                in claimed: inout [String: (field: String, path: String)]) {
        guard case .mapping(let mapping) = entry else { return }
        var spellings: [(text: String, path: String, node: Node?)] = [
            (field.name, "\(path).name", mapping["name"]),
            (field.label, "\(path).label", mapping["label"]),
        ]
        if case .sequence(let aliasNodes)? = mapping["aliases"] {
            for (i, alias) in field.aliases.enumerated() {
                spellings.append((alias, "\(path).aliases[\(i)]", i < aliasNodes.count ? aliasNodes[i] : nil))
            }
        }
        for spelling in spellings {
            let key = FieldLookup.normalize(spelling.text)
            if let owner = claimed[key] {
                if owner.field != field.name {
                    error(spelling.node ?? entry, spelling.path,
                          "'\(spelling.text)' is already used by field '\(owner.field)' (\(owner.path)); a column header must map to exactly one field")
                }
            } else {
                claimed[key] = (field.name, spelling.path)
            }
        }
    }

    private mutating func checkCoreFields(_ fields: [SchemaField], paths: [String: String], nodes: [String: Node],
                                          fieldsNode: Node) {
        let byName = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (name, type) in SchemaLoader.coreFieldTypes {
            let mandatory = SchemaLoader.mandatoryFields.contains(name)
            guard let field = byName[name] else {
                if mandatory {
                    error(fieldsNode, "fields", "missing core field '\(name)' (type \(type.rawValue), required: true)")
                }
                continue
            }
            let path = paths[name] ?? "fields"
            let node = nodes[name] ?? fieldsNode
            // The engine itself relies only on the mandatory fields' types (and shows `street`, which
            // may be free text or an enum of the district's streets); the other core fields' types are
            // what §3 documents, but a bundle that types one differently is its rules' business.
            let allowed: [FieldType] = name == "street" ? [.string, .enum] : [type]
            if (mandatory || name == "street"), !allowed.contains(field.type) {
                error(node, "\(path).type", "core field '\(name)' must have type \(allowed.map(\.rawValue).joined(separator: " or ")), not \(field.type.rawValue)")
            }
            if mandatory && !field.required {
                error(node, "\(path).required", "core field '\(name)' must be required: true")
            }
        }
        if let subjectType = byName[Schema.subjectTypeField], subjectType.type == .enum {
            let declared = Set(subjectType.values.map(\.value))
            let missing = SchemaLoader.mandatorySubjectTypes.filter { !declared.contains($0) }
            if !missing.isEmpty {
                error(nodes[Schema.subjectTypeField] ?? fieldsNode, "\(paths[Schema.subjectTypeField] ?? "fields").values",
                      "core field 'subject_type' must allow \(missing.joined(separator: ", ")) (小个专: enterprise, individual, market)")
            }
        }
    }

    // MARK: - Helpers

    private mutating func scalarText(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, path, "expected a single text value")
            return nil
        }
        return scalar.string
    }

    private mutating func stringList(_ node: Node, path: String) -> [String] {
        guard case .sequence(let items) = node else {
            error(node, path, "expected a list, e.g. [信用代码, 社会信用代码]")
            return []
        }
        var result: [String] = []
        for (i, item) in items.enumerated() {
            guard let text = scalarText(item, "\(path)[\(i)]") else { continue }
            if text.trimmingCharacters(in: .whitespaces).isEmpty {
                error(item, "\(path)[\(i)]", "must not be empty")
            } else {
                result.append(text)
            }
        }
        return result
    }

    /// `spellings` without repeats under header normalisation, in their original order.
    private func uniqueSpellings(_ spellings: [String]) -> [String] {
        var seen: Set<String> = []
        return spellings.filter { seen.insert(FieldLookup.normalize($0)).inserted }
    }

    private func suggestion(_ word: String, _ candidates: [String]) -> String {
        NameSuggestion.closest(to: word, among: candidates).map { " (did you mean '\($0)'?)" } ?? ""
    }

    private mutating func error(_ node: Node?, _ path: String?, _ message: String) {
        diagnostics.append(Diagnostic(.error, file: file, line: node?.mark?.line, path: path, message))
    }

    private mutating func report(yamlError: Error, text: String) {
        switch yamlError {
        case YamlError.scanner(let context, let problem, let mark, _),
             YamlError.parser(let context, let problem, let mark, _),
             YamlError.composer(let context, let problem, let mark, _):
            let detail = context.map { " \($0.text)" } ?? ""
            // A full-width colon or a dash typed in Chinese, named (analyst review).
            let hint = YAMLPunctuationHint.hint(in: text, lines: YAMLPunctuationHint.lines(context: context?.mark.line, problem: mark.line))
            diagnostics.append(Diagnostic(file: file, line: mark.line,
                                          "YAML syntax error (语法错误): \(problem)\(detail), column \(mark.column)" + (hint.map { " " + $0 } ?? "")))
        case YamlError.duplicatedKeysInMapping(let duplicates, let context):
            diagnostics.append(Diagnostic(file: file, line: context.mark.line,
                                          "duplicate key(s) \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", ")) in one mapping"))
        default:
            diagnostics.append(Diagnostic(file: file, "YAML error: \(yamlError)"))
        }
    }
}
