/// Why one input value could not become a field's value, worded for reviewers.
///
/// `description` is the full message, e.g. `从业人数(employees): '12.5' 不是整数`.
public struct CoercionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field's snake_case name.
    public var field: String
    /// The offending input as text (after trimming).
    public var value: String
    /// What is wrong with it, without the field and value ("不是整数").
    public var problem: String
    /// The full message, naming the field by label and name.
    public var message: String
    /// A ratio written as a percentage without its sign (`3` for 3%): the reader counts these, to
    /// warn that the same column's values up to 1 were read as fractions (`ProfileStream`).
    public var isBarePercentage = false

    public init(field: SchemaField, value: String, problem: String) {
        self.field = field.name
        self.value = value
        self.problem = problem
        self.message = "\(field.displayName): '\(value)' \(problem)"
    }

    public var description: String { message }
}
