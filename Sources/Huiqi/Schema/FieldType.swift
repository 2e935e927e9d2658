/// The value types a profile field can have (PRODUCT.md §3).
public enum FieldType: String, Sendable, CaseIterable {
    case string, integer, decimal, boolean, date, `enum`, list
}
