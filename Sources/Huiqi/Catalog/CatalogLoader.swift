import Crypto
import Foundation
import Yams

/// Turns `catalog.yaml` bytes into a `Catalog`, collecting every problem instead of stopping at
/// the first, so an analyst fixes a broken catalog in one pass.
struct CatalogLoader {
    let path: String
    private var diagnostics: [Diagnostic] = []

    /// The service being read, as its problems name it ("RENT-02 国有物业租金减免"), beside its
    /// position: analysts think in ids, and `services[3]` meant counting entries (analyst review).
    /// nil outside a service, and when its id is missing or malformed (then the position alone).
    private var service: String?

    init(path: String) { self.path = path }

    static let topLevelKeys = ["version", "services"]
    static let serviceKeys = ["id", "name", "category", "mode", "provider", "source", "window", "description", "params"]
    static let windowKeys = ["from", "to"]
    static let paramExpectation = "expected a number, string, boolean, list or dated map"

    /// Timestamps are not resolved: `2024-09-30` stays the string it was written as, so dates are
    /// never shifted through `Date` and time zones, and dated-param keys keep their spelling.
    static let resolver = Resolver.default.removing(.timestamp)

    mutating func load(_ data: Data) throws -> Catalog {
        let sha256 = SHA256.hash(data: data).map { byte in
            let hex = String(byte, radix: 16)
            return byte < 16 ? "0" + hex : hex
        }.joined()

        var bytes = [UInt8](data)[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw DiagnosticList([Diagnostic(file: path, "the catalog is not valid UTF-8 服务目录不是有效的UTF-8文本")])
        }

        let root: Node?
        do {
            root = try Yams.compose(yaml: text, CatalogLoader.resolver)
        } catch let error as YamlError {
            var diagnostic = yamlDiagnostic(error)
            if let hint = CatalogLoader.punctuationHint(error, text) { diagnostic.message += " " + hint }
            throw DiagnosticList([diagnostic])
        }
        guard let root else {
            throw DiagnosticList([Diagnostic(file: path, "the catalog is empty 服务目录为空 (expected version and services)")])
        }
        guard case .mapping(let top) = root else {
            throw DiagnosticList([error(root, nil, "expected a map with 'version' and 'services' at the top level")])
        }

        var version: String?
        var servicesNode: Node?
        for (keyNode, value) in top {
            guard let key = keyText(keyNode, parent: nil) else { continue }
            switch key {
            case "version":
                version = requiredText(value, "version")
            case "services":
                servicesNode = value
            default:
                warn(keyNode, key, "unknown key '\(key)'\(suggestion(for: key, in: CatalogLoader.topLevelKeys)) (expected version, services)")
            }
        }
        if top["version"] == nil { report(root, nil, "missing required key 'version'") }

        var services: [Service] = []
        if let servicesNode {
            switch servicesNode {
            case .sequence(let items):
                var firstByID: [String: (index: Int, line: Int?)] = [:]
                for (i, item) in items.enumerated() {
                    if let service = parseService(item, index: i, firstByID: &firstByID) {
                        services.append(service)
                    }
                }
                if items.isEmpty { warn(servicesNode, "services", "the catalog lists no services") }
            case .scalar where servicesNode.tagName == .null:
                warn(servicesNode, "services", "the catalog lists no services")
            default:
                report(servicesNode, "services", "expected a list of services")
            }
        } else {
            report(root, nil, "missing required key 'services'")
        }

        if diagnostics.contains(where: { $0.severity == .error }) {
            throw DiagnosticList(diagnostics)
        }
        return Catalog(version: version ?? "", services: services, sha256: sha256, path: path, warnings: diagnostics)
    }

    // MARK: - Services

    private mutating func parseService(_ node: Node, index: Int, firstByID: inout [String: (index: Int, line: Int?)]) -> Service? {
        let base = "services[\(index)]"
        guard case .mapping(let mapping) = node else {
            report(node, base, "expected a service (a map with id, name, category, mode…)")
            return nil
        }
        service = CatalogLoader.subject(of: mapping)
        defer { service = nil }
        var fields: [String: (key: Node, value: Node)] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyText(keyNode, parent: base) else { continue }
            if CatalogLoader.serviceKeys.contains(key) {
                fields[key] = (keyNode, value)
            } else {
                // A key that was meant as the window or the params is an error: ignored, it left the
                // service active for ever and the run exited 0 (analyst review). That is a near miss
                // of `window`/`params`, or any key holding `from`/`to` (`effective:`, the rules'
                // word). Any other key is extra information (`contact:`, `code:`) and only a warning,
                // as STYLE.md asks (reviews).
                let nearMiss = Suggest.closest(to: key, in: ["window", "params"])
                var windowShaped = false
                if case .mapping(let inner) = value { windowShaped = inner.keys.contains { $0.string == "from" || $0.string == "to" } }
                if let nearMiss {
                    report(keyNode, "\(base).\(key)", "unknown key '\(key)' on a service (did you mean '\(nearMiss)'?)")
                } else if windowShaped {
                    report(keyNode, "\(base).\(key)", "unknown key '\(key)' on a service holds from/to: a service's dates are its `window: { from, to }` (did you mean 'window'?)")
                } else {
                    warn(keyNode, "\(base).\(key)", "unknown key '\(key)' on a service\(suggestion(for: key, in: CatalogLoader.serviceKeys)), ignored (expected one of \(CatalogLoader.serviceKeys.joined(separator: ", ")))")
                }
            }
        }
        var ok = true
        for key in ["id", "name", "category", "mode"] where fields[key] == nil {
            report(node, base, "missing required key '\(key)'")
            ok = false
        }

        var id: String?
        if let value = fields["id"]?.value, let text = requiredText(value, "\(base).id") {
            if !CatalogLoader.isWellFormedID(text) {
                report(value, "\(base).id", "id '\(text)' should look like FIN-01 (capital letters, '-', digits)")
                ok = false
            } else if let first = firstByID[text] {
                // The yearly update's first move is to copy last year's entry with a new window
                // (analyst review): say how one service keeps both years instead.
                let at = first.line.map { "services[\(first.index)], line \($0)" } ?? "services[\(first.index)]"
                report(value, "\(base).id", "duplicate id '\(text)' (first at \(at)): a service is listed once, whatever its window. "
                    + "To change its amounts from a date on, keep one entry and date the params that change "
                    + "(cap: { \"2025-01-01\": 100000, \"2026-01-01\": 80000 }); to change its conditions, add a rule with `effective` dates; "
                    + "a new policy takes a new id (docs/rules.md §12, §13) (服务编号重复)")
                ok = false
            } else {
                firstByID[text] = (index, value.mark?.line)
            }
            id = text
        }
        let name = fields["name"].flatMap { requiredText($0.value, "\(base).name") }

        var category: String?
        if let value = fields["category"]?.value, let text = requiredText(value, "\(base).category") {
            if ServiceCategory(rawValue: text) == nil {
                let known = ServiceCategory.allCases.map(\.rawValue).joined(separator: ", ")
                warn(value, "\(base).category",
                     "unknown category '\(text)'\(suggestion(for: text, in: ServiceCategory.allCases.map(\.rawValue))) (known: \(known))")
            }
            category = text
        }

        var mode: ServiceMode?
        if let value = fields["mode"]?.value, let text = requiredText(value, "\(base).mode") {
            mode = ServiceMode(text: text)
            if mode == nil {
                report(value, "\(base).mode", "unknown mode '\(text)' (expected 免申即享, 申请即享 or 申报审核)")
            }
        }

        let provider = fields["provider"].flatMap { optionalText($0.value, "\(base).provider") }
        let source = fields["source"].flatMap { optionalText($0.value, "\(base).source") }
        let description = fields["description"].flatMap { optionalText($0.value, "\(base).description") }
        let window = fields["window"].map { parseWindow($0.value, "\(base).window") } ?? .always
        let params = fields["params"].map { parseParams($0.value, "\(base).params") } ?? [:]

        guard ok, let id, let name, let category, let mode, let window else { return nil }
        var service = Service(id: id, name: name, category: category, mode: mode, provider: provider, source: source,
                              description: description, window: window, params: params, index: index)
        service.line = node.mark?.line
        return service
    }

    /// A service named by its id and, when it has one, its name: "RENT-02 国有物业租金减免"; the
    /// name on one line, and cut after `subjectNameLength` characters (it is a label, not the
    /// text). nil when the id is missing or malformed: it would not find the service.
    static func subject(of mapping: Node.Mapping) -> String? {
        func text(_ key: String) -> String? {
            guard let node = mapping[key], case .scalar(let scalar) = node, node.tagName != .null else { return nil }
            let words = scalar.string.split(whereSeparator: { $0.isWhitespace || $0.unicodeScalars.contains { $0.properties.generalCategory == .control } })
            return words.isEmpty ? nil : words.joined(separator: " ")
        }
        guard let id = text("id"), isWellFormedID(id) else { return nil }
        guard let name = text("name") else { return id }
        return id + " " + (name.count > subjectNameLength ? name.prefix(subjectNameLength) + "…" : name)
    }
    static let subjectNameLength = 40

    /// `FIN-01`, `RENT-2`: capital letters, then one or more `-digits` groups.
    static func isWellFormedID(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count >= 2, let head = parts.first, !head.isEmpty,
              head.utf8.allSatisfy({ $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return false }
        return parts.dropFirst().allSatisfy { part in
            !part.isEmpty && part.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
    }

    /// nil when the window is invalid (errors reported); `.always` when absent or empty.
    private mutating func parseWindow(_ node: Node, _ path: String) -> DateWindow? {
        if node.tagName == .null { return .always }
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a map like { from: 2024-01-01, to: 2024-12-31 }")
            return nil
        }
        var window = DateWindow()
        var ok = true
        for (keyNode, value) in mapping {
            guard let key = keyText(keyNode, parent: path) else { ok = false; continue }
            guard CatalogLoader.windowKeys.contains(key) else {
                // An error, not a warning: a misspelt bound would silently open the window.
                report(keyNode, "\(path).\(key)", "unknown key '\(key)' in a window (expected from, to)")
                ok = false
                continue
            }
            if value.tagName == .null { continue }
            guard case .scalar(let scalar) = value, let date = ISODate(scalar.string) else {
                report(value, "\(path).\(key)", CatalogLoader.invalidDate(CatalogLoader.shortText(value)))
                ok = false
                continue
            }
            if key == "from" { window.from = date.description } else { window.to = date.description }
        }
        if let from = window.from, let to = window.to, from > to {
            report(node, path, "from \(from) is after to \(to)")
            ok = false
        }
        return ok ? window : nil
    }

    // MARK: - Params

    private mutating func parseParams(_ node: Node, _ path: String) -> [String: ParamValue] {
        if node.tagName == .null { return [:] }
        guard case .mapping(let mapping) = node else {
            report(node, path, "expected a map of named params")
            return [:]
        }
        var params: [String: ParamValue] = [:]
        for (keyNode, value) in mapping {
            guard let key = keyText(keyNode, parent: path) else { continue }
            if let parsed = paramValue(value, "\(path).\(key)") { params[key] = parsed }
        }
        return params
    }

    private mutating func paramValue(_ node: Node, _ path: String) -> ParamValue? {
        switch node {
        case .scalar:
            return scalarValue(node, path)
        case .sequence(let items):
            var values: [ParamValue] = []
            var ok = true
            for (i, item) in items.enumerated() {
                guard case .scalar = item else {
                    report(item, "\(path)[\(i)]", "expected a number, string or boolean in a list")
                    ok = false
                    continue
                }
                if let value = scalarValue(item, "\(path)[\(i)]") { values.append(value) } else { ok = false }
            }
            return ok ? .list(values) : nil
        case .mapping(let mapping):
            return mapValue(node, mapping, path)
        case .alias:
            report(node, path, "YAML aliases are not supported here")
            return nil
        }
    }

    private mutating func scalarValue(_ node: Node, _ path: String) -> ParamValue? {
        guard case .scalar(let scalar) = node else { return nil }
        switch node.tagName {
        case .str:
            if let number = NumericParamText.number(in: scalar.string) {
                warn(node, path, "'\(scalar.string)' is text, not a number: a rule that compares it with a number or computes with it "
                    + "fails for every business; write \(number) (数字不加单位), unless rules only show it as text")
            }
            return .string(scalar.string)
        case .int:
            // Yams handles 4_000_000, 0x…, 0o…; nil means it does not fit 64 bits.
            guard let value = Int.construct(from: scalar) else {
                report(node, path, "integer \(scalar.string) is out of range")
                return nil
            }
            return .integer(Int64(value))
        case .float:
            guard let value = Double.construct(from: scalar), value.isFinite else {
                report(node, path, "expected a finite number, found '\(scalar.string)'")
                return nil
            }
            return .decimal(value)
        case .bool:
            guard let value = Bool.construct(from: scalar) else {
                report(node, path, "\(CatalogLoader.paramExpectation), found '\(scalar.string)'")
                return nil
            }
            return .boolean(value)
        case .null:
            report(node, path, "\(CatalogLoader.paramExpectation), found an empty value")
            return nil
        case .merge:
            report(node, path, "YAML merge keys (<<) are not supported")
            return nil
        default:
            report(node, path, "\(CatalogLoader.paramExpectation), found a value tagged \(node.tag)")
            return nil
        }
    }

    /// A map whose keys are all dates is dated; a map mixing date keys with other keys is an error,
    /// because it is almost always a misspelt date rather than a meaningful nested map.
    private mutating func mapValue(_ node: Node, _ mapping: Node.Mapping, _ path: String) -> ParamValue? {
        var keyed: [(key: String, keyNode: Node, value: Node)] = []
        var ok = true
        for (keyNode, value) in mapping {
            guard let key = keyText(keyNode, parent: path) else { ok = false; continue }
            keyed.append((key, keyNode, value))
        }
        guard ok else { return nil }
        // Dates written as rows, test cases and --as-of accept them (`2026/1/1`, `2026年1月1日`) are
        // not dated keys: such a map was taken as a nested one, check was clean, and every rule
        // reading it failed with "attempt to compare table with number" (analyst review).
        for entry in keyed where !ISODate.looksLikeDate(entry.key) {
            guard let iso = ISODate.normalize(entry.key) else { continue }
            report(entry.keyNode, "\(path).\(entry.key)", "'\(entry.key)' is a date not written YYYY-MM-DD: "
                + "a dated value's keys must be, write \"\(iso)\" (日期请写成 YYYY-MM-DD)")
            ok = false
        }
        guard ok else { return nil }
        let dateKeys = keyed.filter { ISODate.looksLikeDate($0.key) }
        if !dateKeys.isEmpty && dateKeys.count < keyed.count {
            let other = keyed.first { !ISODate.looksLikeDate($0.key) }?.key ?? ""
            report(node, path, "\(CatalogLoader.paramExpectation): this map mixes date keys ('\(dateKeys[0].key)') "
                + "with other keys ('\(other)'); a dated value needs every key to be a YYYY-MM-DD date")
            return nil
        }
        if keyed.isEmpty || dateKeys.isEmpty {
            var entries: [(key: String, value: ParamValue)] = []
            for entry in keyed {
                if let value = paramValue(entry.value, "\(path).\(entry.key)") { entries.append((entry.key, value)) } else { ok = false }
            }
            return ok ? .map(entries) : nil
        }
        var steps: [(from: String, value: ParamValue)] = []
        for entry in keyed {
            let entryPath = "\(path).\(entry.key)"
            guard let date = ISODate(entry.key) else {
                report(entry.keyNode, entryPath, "invalid date '\(entry.key)' (expected a real YYYY-MM-DD day)")
                ok = false
                continue
            }
            guard let value = paramValue(entry.value, entryPath) else { ok = false; continue }
            if case .dated = value {
                report(entry.value, entryPath, "a dated value cannot itself be dated")
                ok = false
                continue
            }
            steps.append((date.description, value))
        }
        guard ok else { return nil }
        steps.sort { $0.from < $1.from }
        // A new year's value of another kind than the earlier ones (`"80000"` quoted, `true`) is a
        // slip: rules treat the param one way, and fail for every business from that date on
        // (yearly-update review). The first value of another kind than the first date's is named.
        if let first = steps.first, let odd = steps.first(where: { CatalogLoader.kind(of: $0.value) != CatalogLoader.kind(of: first.value) }) {
            let node = keyed.first { ISODate($0.key)?.description == odd.from }?.value ?? node
            warn(node, "\(path).\(odd.from)", "from \(odd.from) the value is \(CatalogLoader.kind(of: odd.value)) ('\(odd.value)'), "
                + "but from \(first.from) it is \(CatalogLoader.kind(of: first.value)) ('\(first.value)'): rules read one param one way; "
                + "write each date's value as the same kind of value (同一参数各日期的值类型应一致)")
        }
        return .dated(steps)
    }

    /// What kind of value a param is, for messages: integers and decimals are both numbers.
    static func kind(of value: ParamValue) -> String {
        switch value {
        case .integer, .decimal: return "a number"
        case .string: return "text"
        case .boolean: return "true/false"
        case .list: return "a list"
        case .map: return "a map"
        case .dated: return "a dated value"
        }
    }

    // MARK: - Text

    /// The text of a map key; reports and returns nil for keys that are not plain text.
    private mutating func keyText(_ node: Node, parent: String?) -> String? {
        guard case .scalar(let scalar) = node, node.tagName != .null, node.tagName != .merge else {
            let what = (node.tagName == .merge) ? "YAML merge keys (<<) are not supported" : "expected a plain key"
            report(node, parent, what)
            return nil
        }
        return scalar.string
    }

    /// A required text value: scalars of any YAML type are taken as written (`version: 2024.3`).
    private mutating func requiredText(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected text, found a \(CatalogLoader.kind(of: node))")
            return nil
        }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        guard node.tagName != .null, !text.isEmpty else {
            report(node, path, "must not be empty")
            return nil
        }
        return text
    }

    private mutating func optionalText(_ node: Node, _ path: String) -> String? {
        guard case .scalar(let scalar) = node else {
            report(node, path, "expected text, found a \(CatalogLoader.kind(of: node))")
            return nil
        }
        if node.tagName == .null { return nil }
        let text = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Why a window bound is not a date, with the ISO spelling when it is a date written another way.
    static func invalidDate(_ text: String) -> String {
        if ISODate.looksLikeDate(text) { return "invalid date '\(text)': not a real day (expected a real YYYY-MM-DD day)" }
        if let iso = ISODate.normalize(text) { return "invalid date '\(text)' (expected YYYY-MM-DD): write \"\(iso)\"" }
        return "invalid date '\(text)' (expected YYYY-MM-DD)"
    }

    private static func kind(of node: Node) -> String {
        switch node {
        case .scalar: return "value"
        case .mapping: return "map"
        case .sequence: return "list"
        case .alias: return "alias"
        }
    }

    private static func shortText(_ node: Node) -> String {
        if case .scalar(let s) = node { return s.string }
        return kind(of: node)
    }

    // MARK: - Diagnostics

    private mutating func report(_ node: Node, _ path: String?, _ message: String) {
        diagnostics.append(error(node, path, message))
    }

    private func error(_ node: Node, _ path: String?, _ message: String) -> Diagnostic {
        Diagnostic(.error, file: self.path, line: node.mark?.line, path: path, subject: service, message)
    }

    private mutating func warn(_ node: Node, _ path: String?, _ message: String) {
        diagnostics.append(Diagnostic(.warning, file: self.path, line: node.mark?.line, path: path, subject: service, message))
    }

    /// A full-width colon or a dash typed in Chinese, where libyaml's error began or is.
    private static func punctuationHint(_ error: YamlError, _ text: String) -> String? {
        switch error {
        case let .scanner(context, _, mark, _), let .parser(context, _, mark, _), let .composer(context, _, mark, _):
            return YAMLPunctuationHint.hint(in: text, lines: YAMLPunctuationHint.lines(context: context?.mark.line, problem: mark.line))
        default:
            return nil
        }
    }

    private func yamlDiagnostic(_ error: YamlError) -> Diagnostic {
        switch error {
        case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _),
             let .composer(context, problem, mark, _):
            let detail = context.map { "\($0.text) (line \($0.mark.line)): " } ?? ""
            return Diagnostic(file: path, line: mark.line, "YAML syntax error YAML语法错误: \(detail)\(problem)")
        case let .duplicatedKeysInMapping(duplicates, context):
            let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            return Diagnostic(file: path, line: context.mark.line, "duplicate key \(keys) in one map 同一映射中键重复")
        default:
            return Diagnostic(file: path, "cannot parse the catalog 无法解析服务目录: \(error)")
        }
    }

    private func suggestion(for word: String, in candidates: [String]) -> String {
        guard let best = candidates.min(by: { Suggest.distance(word, $0) < Suggest.distance(word, $1) }),
              Suggest.distance(word, best) <= max(1, best.count / 3) else { return "" }
        return " (did you mean '\(best)'?)"
    }
}

private extension Node {
    /// The resolved tag's name (`Tag.name` itself is internal to Yams).
    var tagName: Tag.Name { Tag.Name(rawValue: tag.description) }
}
