/// Maps the columns of a CSV header row to schema fields.
///
/// Each header is matched by field name, label or alias (see `FieldLookup` for what is
/// ignored). Problems are collected and thrown together, before any row is read:
/// - an unknown column names the column and the file (with a "did you mean"), unless
///   `allowExtra`, in which case the column is ignored and a warning is returned;
/// - two columns mapping to one field;
/// - a required field with no column (every row would be rejected otherwise).
///
/// A field with a schema default and no column gets a warning: every business takes the default,
/// which decides rules silently (e.g. `tags` defaults to no tags), where a column left out by
/// mistake should show. So does an optional field without a default: every business lacks it.
public struct HeaderMap: Sendable {
    /// The header cells as read.
    public let headers: [String]
    /// For each column, the index in `Schema.fields` it fills; nil for an ignored extra column.
    public let fieldIndexByColumn: [Int?]
    /// Warnings: ignored columns (only with `allowExtra`), fields whose default every row takes.
    public internal(set) var warnings: [Diagnostic]
    /// The columns left out because their header is empty and none after them has one (Excel's
    /// trailing columns); a row with data there is worth a warning.
    public let unnamedTrailingColumns: Range<Int>

    /// Whether a row above the table is a title ("宝安区企业名录 2025年,,,,", or blank): at most two
    /// cells filled, none of them a field's name, label or alias.
    static func isTitleRow(_ cells: [String], lookup: FieldLookup) -> Bool {
        let filled = cells.map(TextTrimming.trim).filter { !$0.isEmpty }
        return filled.count <= 2 && !filled.contains { lookup.fieldIndex(for: $0) != nil }
    }

    /// - Throws: `DiagnosticList` with every problem of the header.
    public init(headers: [String], schema: Schema, file: String, line: Int = 1, allowExtra: Bool = false) throws {
        let lookup = FieldLookup(schema: schema)
        var columns: [Int?] = []
        var errors: [Diagnostic] = []
        var warnings: [Diagnostic] = []
        var columnOfField: [Int: Int] = [:]
        // Empty headers at the end of the row: the columns Excel leaves after a table. Nothing can
        // be read under them, so they are left out with a warning (data-administrator review:
        // refused unless --allow-extra, which also lets a mistyped header through).
        // (An all-empty header is not such a table: left to the errors below.)
        let named = headers.lastIndex { !TextTrimming.trim($0).isEmpty }.map { $0 + 1 } ?? headers.count
        let unnamed = named..<headers.count
        if !unnamed.isEmpty {
            let first = unnamed.lowerBound + 1
            warnings.append(Diagnostic(.warning, file: file, line: line, (unnamed.count == 1 ? "第\(first)列" : "第\(first)–\(headers.count)列")
                                       + "的表头为空, 已忽略 (trailing columns without a header ignored)"))
        }
        for (column, header) in headers.enumerated() {
            let position = "第\(column + 1)列"
            guard let index = lookup.fieldIndex(for: header) else {
                columns.append(nil)
                let shown = TextTrimming.trim(header)
                if unnamed.contains(column) { continue }
                let mismatch = lookup.unitMismatch(for: header, in: schema)
                if allowExtra {
                    let why = mismatch.map { "的单位与字段\(schema.fields[$0.field].displayName)不符" } ?? "不是schema中的字段"
                    warnings.append(Diagnostic(.warning, file: file, line: line,
                                               "\(position)'\(shown)'\(why), 已忽略 (unknown column ignored)"))
                } else if shown.isEmpty {
                    errors.append(Diagnostic(file: file, line: line,
                                             "\(position)的表头为空 (empty column header); 删除该列或使用 --allow-extra 忽略"))
                } else if let (index, headerUnit, fieldUnit) = mismatch {
                    let field = schema.fields[index]
                    let factor = HeaderMap.factor(from: headerUnit ?? "元", to: fieldUnit)
                    errors.append(Diagnostic(file: file, line: line, headerUnit.map { unit in
                        "\(position)'\(shown)'以\(unit)计, 但字段\(field.displayName)以\(fieldUnit)计: 请把该列\(factor), 再把表头改为'\(field.label)' (unit mismatch: convert the column, then rename it)"
                    } ?? "\(position)'\(shown)'没有写明单位, 字段\(field.displayName)以\(fieldUnit)计: 数据以\(fieldUnit)计, 请把表头改为'\(field.label)'; 以元计, 请先把该列\(factor) (no unit in the header: say which)"))
                } else if let index = lookup.percentUnit(for: header, in: schema) {
                    let field = schema.fields[index]
                    errors.append(Diagnostic(file: file, line: line,
                        "\(position)'\(shown)'以百分数计, 但字段\(field.displayName)是比例 (小数, 0.35 即 35%): 请把该列除以 100, 或给每个值加上 %, "
                        + "再把表头改为'\(field.label)' (a per-cent column for a ratio field: convert it, then rename it)"))
                } else {
                    let hint = NameSuggestion.closest(to: shown, among: lookup.spellings).map { ", 是否应为'\($0)'?" } ?? ""
                    errors.append(Diagnostic(file: file, line: line,
                                             "未知列'\(shown)'(\(position)): schema中没有这个字段名、标签或别名\(hint) (unknown column; use --allow-extra to ignore it)"))
                }
                continue
            }
            if let first = columnOfField[index] {
                errors.append(Diagnostic(file: file, line: line,
                                         "第\(first + 1)列'\(TextTrimming.trim(headers[first]))'和\(position)'\(TextTrimming.trim(header))'都对应字段\(schema.fields[index].displayName) (duplicate column)"))
                columns.append(nil)
                continue
            }
            columnOfField[index] = column
            columns.append(index)
        }
        for (index, field) in schema.fields.enumerated() where field.required && field.defaultValue == nil && columnOfField[index] == nil {
            errors.append(Diagnostic(file: file, line: line,
                                     "缺少必填列\(field.displayName) (missing required column; accepted headers: \(([field.name, field.label] + field.aliases).joined(separator: ", ")))"))
        }
        // A title row above the table ("宝安区企业名录 2025年,,,,"): one or two cells filled, nothing
        // matched. Say so, rather than only listing every column as unknown or empty.
        if !errors.isEmpty && columnOfField.isEmpty && HeaderMap.isTitleRow(headers, lookup: lookup) && headers.count >= 3 {
            errors.insert(Diagnostic(file: file, line: line, "第\(line)行不像表头, 像是表格上方的标题行: 请删除标题行, 让表头在第一行 "
                                     + "(this row looks like a title above the table, not a header)"), at: 0)
        }
        if !errors.isEmpty { throw DiagnosticList(errors) }
        let defaulted = schema.fields.indices.filter { schema.fields[$0].defaultValue != nil && columnOfField[$0] == nil }
        if !defaulted.isEmpty {
            let list = defaulted.map { i -> String in
                "\(schema.fields[i].displayName) = \(schema.fields[i].defaultValue?.reviewText ?? "")"
            }
            warnings.append(Diagnostic(.warning, file: file, line: line,
                                       "没有这些字段的列, 每家企业都取 schema 中的默认值 (no column; every row takes the default): \(list.joined(separator: ", "))"))
        }
        // Without a column, every business lacks the field: rules reading it decide 待定 for all,
        // which reads like data missing here and there rather than a column left out of the export.
        let absent = schema.fields.indices.filter { !schema.fields[$0].required && schema.fields[$0].defaultValue == nil && columnOfField[$0] == nil }
        if !absent.isEmpty {
            warnings.append(Diagnostic(.warning, file: file, line: line,
                                       "没有这些字段的列, 每家企业都缺少, 读取它们的规则判为待定 (no column; rules reading them decide undetermined): "
                                       + absent.map { schema.fields[$0].displayName }.joined(separator: ", ")))
        }
        self.headers = headers
        self.fieldIndexByColumn = columns
        self.warnings = warnings
        self.unnamedTrailingColumns = unnamed
    }

    /// "除以 10000" for 元 → 万元, and so on.
    static func factor(from: String, to: String) -> String {
        let value = ["元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8]
        let ratio = (value[to] ?? 1) / (value[from] ?? 1)
        if ratio >= 1 { return "除以 \(Int(ratio))" }
        return "乘以 \(Int((1 / ratio).rounded()))"
    }
}
