/// The profile schema: the declared fields, in file order.
///
/// A profile stores its values in an array indexed by the field's position here,
/// so lookups on the hot path are by index, never by name.
public struct Schema: Sendable {
    public var fields: [SchemaField]
    /// SHA-256 (hex) of the schema file's bytes, recorded with every run.
    public var sha256: String
    /// Where it was loaded from, for messages.
    public var path: String
    /// The file's optional `version`, recorded with runs.
    public var version: String?
    private var indexByName: [String: Int]

    public init(fields: [SchemaField], sha256: String = "", path: String = "schema.yaml", version: String? = nil) {
        self.fields = fields
        self.sha256 = sha256
        self.path = path
        self.version = version
        var index: [String: Int] = [:]
        for (i, f) in fields.enumerated() { index[f.name] = i }
        self.indexByName = index
    }

    public func index(of name: String) -> Int? { indexByName[name] }
    public func field(named name: String) -> SchemaField? { indexByName[name].map { fields[$0] } }

    /// Core fields the engine itself relies on (PRODUCT.md §3).
    public static let creditCodeField = "credit_code"
    public static let nameField = "name"
    public static let subjectTypeField = "subject_type"
    public static let streetField = "street"
}
