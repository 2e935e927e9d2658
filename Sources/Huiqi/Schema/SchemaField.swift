/// One declared profile field (an entry of `schema.yaml`).
public struct SchemaField: Sendable, Equatable {
    /// An allowed value of an `enum` field, with its Chinese label and other accepted spellings.
    public struct EnumValue: Sendable, Equatable {
        public var value: String
        public var label: String?
        public var aliases: [String]
        public init(value: String, label: String? = nil, aliases: [String] = []) {
            self.value = value
            self.label = label
            self.aliases = aliases
        }
        /// The label shown to users, falling back to the canonical value.
        public var displayName: String { label ?? value }
    }

    /// snake_case name, used in Lua (`p.employees`).
    public var name: String
    public var type: FieldType
    /// Chinese label; also accepted as a CSV header.
    public var label: String
    /// Other accepted headers.
    public var aliases: [String]
    public var required: Bool
    public var defaultValue: FieldValue?
    /// Allowed values, for `enum` fields only.
    public var values: [EnumValue]
    public var description: String?
    /// Bounds of an `integer` or `decimal` field (inclusive): a value outside them is a reject.
    /// Counts and amounts are never negative, and an absurd count (9223372036854775807 hires)
    /// wrapped around in Lua's integer arithmetic into a plausible amount (robustness review).
    public var minimum: Double?
    public var maximum: Double?
    /// A `date` field with `max: as_of`: a value after the evaluation date is a reject. For dates
    /// that cannot lie ahead of the day a business is judged on, such as 成立日期: a firm set up
    /// after it did not exist then, and would otherwise be judged as if it had (rent relief for a
    /// firm not yet founded; "经营-1年" from the tiering rule).
    public var notAfterAsOf = false

    public init(name: String, type: FieldType, label: String, aliases: [String] = [], required: Bool = false,
                defaultValue: FieldValue? = nil, values: [EnumValue] = [], description: String? = nil) {
        self.name = name
        self.type = type
        self.label = label
        self.aliases = aliases
        self.required = required
        self.defaultValue = defaultValue
        self.values = values
        self.description = description
    }

    /// "年营业收入(revenue)": how reasons and errors name a field.
    public var displayName: String { label.isEmpty ? name : "\(label)(\(name))" }

    /// A decimal within 0–1 (layoff_rate, high_tech_income_ratio): a ratio, which the schema writes
    /// as a decimal, though exports often write a percentage.
    public var isRatio: Bool { type == .decimal && (maximum ?? .infinity) <= 1 }
}

extension SchemaField {
    /// The schema's word for the evaluation date as a date field's `max`.
    static let asOfBound = "as_of"

    /// Why `date` (ISO) cannot be judged on `asOf` (ISO), or nil: only for a `max: as_of` field.
    /// ISO dates compare as text.
    public func afterAsOfProblem(_ date: String, asOf: String) -> String? {
        guard notAfterAsOf, date > asOf else { return nil }
        return "\(displayName): \(date) 晚于评估日期 \(asOf), 按评估日期尚不存在, 本行未评估 (after the as-of date)"
    }

    /// A bound as written in messages: `0`, `1000000`, `0.5` (no `.0`, no exponent).
    static func boundText(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
