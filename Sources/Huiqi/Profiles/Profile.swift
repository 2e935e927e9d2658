/// One validated business profile: coerced values indexed like `Schema.fields`.
/// Declared fields absent from the input (and without a default) are `nil`.
public struct Profile: Sendable, Equatable {
    public var values: [FieldValue?]
    /// Input file and 1-based line (CSV: physical line where the record starts; JSONL: line).
    public var source: String
    public var line: Int

    public init(values: [FieldValue?], source: String, line: Int) {
        self.values = values
        self.source = source
        self.line = line
    }

    public subscript(_ index: Int) -> FieldValue? { values[index] }

    /// Text of a field by name, for display ("" when absent).
    public func text(_ name: String, in schema: Schema) -> String {
        guard let i = schema.index(of: name), let v = values[i] else { return "" }
        return v.displayText
    }
}
