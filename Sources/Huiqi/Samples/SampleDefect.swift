/// The ways a deliberately bad sample row is bad (`SampleGenerator.invalidShare`): each is a
/// problem ingestion must reject, not drop.
public enum SampleDefect: String, Sendable, CaseIterable {
    /// The credit code's 18th character is not the GB 32100-2015 check character.
    case badCheckDigit = "bad-check-digit"
    /// The required name is empty.
    case missingName = "missing-name"
    /// An integer field holds text such as `十二`.
    case badInteger = "bad-integer"
    /// A date field holds a day that does not exist, such as `2023-02-30`.
    case badDate = "bad-date"
    /// An enum field holds a value the schema does not allow.
    case unknownEnumValue = "unknown-enum-value"
    /// The credit code repeats that of an earlier, valid row.
    case duplicateCreditCode = "duplicate-credit-code"
}
