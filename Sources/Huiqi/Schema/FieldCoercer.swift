import Foundation

/// Turns one input value (a CSV cell or a JSON value) into a field's typed value (PRODUCT.md §3).
///
/// Build one coercer per field and reuse it: enum spellings are indexed once. Results:
/// - `.success(nil)`: the value is absent (empty or blank cell, JSON `null`, a list with no items).
///   The caller applies the field's `defaultValue`, then checks `required`.
/// - `.success(value)`: the canonical value (enum → canonical value, date → ISO `YYYY-MM-DD`,
///   credit code → upper-case).
/// - `.failure(error)`: a Chinese message naming the field, e.g. `从业人数(employees): '12.5' 不是整数`.
///
/// Accepted spellings, beyond the plain ones:
/// - integer: surrounding spaces, thousands separators (`1,200`), a zero fraction (`12.0`).
/// - decimal: thousands separators (`1,234.5`), exponents (`1.5e3`); never `inf`/`nan`/hex.
/// - boolean: true/false, 是/否, Y/N, yes/no, 1/0, 有/无 (ASCII case-insensitive).
/// - date: `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日`, `YYYYMMDD`, each
///   optionally followed by a time of day (dropped); must be a real day. Not `3/1/2023` (month or
///   day first?) nor an Excel serial number (`45000`).
/// - enum: the canonical value, its label or an alias (ASCII case and full-width forms ignored).
/// - list: separated by `;` `；` `,` `，` `、` `|` `/` or a line break (not a comma between
///   digits); items trimmed, empty items dropped.
/// - `credit_code` (by name): trimmed, upper-cased, checked with `CreditCode` (reason in Chinese).
/// - codes (string fields named `…_code`, e.g. `industry_code`): full-width ASCII (`Ｃ３９８１`) as
///   ASCII, inner spaces and Excel's text markers dropped (`CellCoercer.tidiedCode`). Other text
///   (names, streets) is kept as written: full-width characters there are data.
/// - placeholders: a cell that is only `-`, `—`, `/`, `无`, `暂无`, `NULL`, `N/A`, `#N/A`, `NA` …
///   (`CellCoercer.isPlaceholder`), or a date `0000-00-00`, `1900-01-01`, `1899-12-30` or
///   `1899-12-31`, is empty in every field, unless the field accepts it as a value (`无` in a
///   boolean is false).
///
/// Two entry points: `coerce(_:)` for text (CSV cells, YAML defaults) and `coerce(json:)` for a
/// value from `JSONSerialization`. `ProfileStream` itself reads JSON Lines with its own byte
/// parser and applies the same rules (a JSON string, number or boolean is coerced as its text),
/// because `JSONSerialization` is far too slow on Linux for a million lines.
///
///     let coercer = FieldCoercer(field: employees)
///     coercer.coerce("1,200")      // .success(.integer(1200))
///     coercer.coerce(json: 12)     // .success(.integer(12))
public struct FieldCoercer: Sendable {
    /// The byte-level coercion, shared by copies: a coercer is copied for every cell it reads,
    /// so it must cost one reference count, not one per string in `SchemaField`.
    let core: CellCoercer

    /// The field this coercer produces values for.
    public var field: SchemaField { core.field }

    public init(field: SchemaField) {
        core = CellCoercer(field: field)
    }

    /// Coerces `text` (a CSV cell) as `field`. Convenience for one-off use; build a
    /// `FieldCoercer` to coerce many values of one field.
    public static func coerce(_ text: String, as field: SchemaField) -> Result<FieldValue?, CoercionError> {
        FieldCoercer(field: field).coerce(text)
    }

    /// Coerces a value produced by `JSONSerialization` (String, NSNumber, Bool, Array, NSNull) as `field`.
    public static func coerce(json value: Any?, as field: SchemaField) -> Result<FieldValue?, CoercionError> {
        FieldCoercer(field: field).coerce(json: value)
    }

    // MARK: - Text

    /// Coerces one CSV cell (or any text, e.g. a YAML default).
    public func coerce(_ text: String) -> Result<FieldValue?, CoercionError> {
        var copy = text  // withUTF8 is mutating; a native string is not copied
        return copy.withUTF8 { coerce(utf8: $0) }
    }

    /// Coerces the UTF-8 bytes of one cell; see `CellCoercer`.
    func coerce(utf8 cell: UnsafeBufferPointer<UInt8>) -> Result<FieldValue?, CoercionError> {
        var failure: CoercionError?
        let value = core.value(utf8: cell, failure: &failure)
        if let failure { return .failure(failure) }
        return .success(value)
    }

    private func fail(_ value: String, _ problem: String) -> Result<FieldValue?, CoercionError> {
        .failure(CoercionError(field: field, value: value, problem: problem))
    }

    // MARK: - JSON

    /// Coerces a value from `JSONSerialization`: strings go through the text rules; numbers and
    /// booleans are taken natively by integer/decimal/boolean fields and as their text by the
    /// others; arrays only fill list fields; objects are refused; `null` is absent.
    public func coerce(json value: Any?) -> Result<FieldValue?, CoercionError> {
        guard let value, !(value is NSNull) else { return .success(nil) }
        if let text = value as? String { return coerce(text) }
        if let number = value as? NSNumber {
            let result = coerce(number: number)
            if case .success(let v?) = result, let problem = core.outOfBounds(v) { return .failure(problem) }
            return result
        }
        if let array = value as? [Any] {
            guard core.field.type == .list else { return fail(FieldCoercer.jsonText(value), "不应为数组") }
            var items: [String] = []
            for element in array {
                if let text = element as? String {
                    let item = TextTrimming.trim(text)
                    if !item.isEmpty { items.append(item) }
                } else if let number = element as? NSNumber, !FieldCoercer.isBoolean(number) {
                    items.append(FieldCoercer.text(of: number))
                } else if !(element is NSNull) {
                    return fail(FieldCoercer.jsonText(value), "列表元素应为文本")
                }
            }
            return .success(items.isEmpty ? nil : .list(items))
        }
        if value is [String: Any] { return fail(FieldCoercer.jsonText(value), "不应为JSON对象") }
        return fail(String(describing: value), "不是受支持的JSON值")
    }

    private func coerce(number: NSNumber) -> Result<FieldValue?, CoercionError> {
        let isBool = FieldCoercer.isBoolean(number)
        let text = isBool ? (number.boolValue ? "true" : "false") : FieldCoercer.text(of: number)
        switch core.field.type {
        case .integer:
            if isBool { return fail(text, "不是整数") }
            if FieldCoercer.isFloatingPoint(number) {
                let d = number.doubleValue
                guard d == d.rounded() else { return fail(text, "不是整数") }
                // 2^63 is exactly representable; anything at or beyond it does not fit.
                guard d >= -9.223372036854775808e18, d < 9.223372036854775808e18 else { return fail(text, "超出整数范围") }
                return .success(.integer(Int64(d)))
            }
            if String(cString: number.objCType) == "Q", number.uint64Value > UInt64(Int64.max) {
                return fail(text, "超出整数范围")
            }
            return .success(.integer(number.int64Value))
        case .decimal:
            if isBool { return fail(text, "不是数字") }
            return .success(.decimal(number.doubleValue))
        case .boolean:
            if isBool { return .success(.boolean(number.boolValue)) }
            return coerce(text)
        case .string, .date, .enum, .list:
            return coerce(text)
        }
    }

    /// JSON `true`/`false` arrive as an NSNumber whose Objective-C type is `char` ("c");
    /// `as? Bool` cannot tell them apart because it also succeeds for the numbers 0 and 1.
    static func isBoolean(_ number: NSNumber) -> Bool {
        let type = number.objCType.pointee
        return type == 0x63 /* c */ || type == 0x42 /* B */
    }

    private static func isFloatingPoint(_ number: NSNumber) -> Bool {
        let type = number.objCType.pointee
        return type == 0x64 /* d */ || type == 0x66 /* f */
    }

    /// A number as a person would write it: `12`, not `12.0`.
    private static func text(of number: NSNumber) -> String {
        if isFloatingPoint(number) {
            let d = number.doubleValue
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return String(d)
        }
        if String(cString: number.objCType) == "Q" { return String(number.uint64Value) }
        return String(number.int64Value)
    }

    private static func jsonText(_ value: Any) -> String {
        guard JSONSerialization.isValidJSONObject(value),
              let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else {
            return String(describing: value)
        }
        return String(decoding: data, as: UTF8.self)
    }
}
