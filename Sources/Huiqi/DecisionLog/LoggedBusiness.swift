/// A business as a run read it: where it came from and who it is.
public struct LoggedBusiness: Sendable, Equatable {
    public var run: Int64
    /// 1-based input row across all files (rejects included).
    public var row: Int
    /// `RunInput.ordinal` of its file, and the 1-based line its record starts on.
    public var input: Int
    public var line: Int
    public var creditCode: String
    public var name: String
    /// As reviewers read it (the enum label when `street` is an enum); "" when absent.
    public var street: String

    public init(run: Int64, row: Int, input: Int, line: Int, creditCode: String, name: String, street: String) {
        self.run = run
        self.row = row
        self.input = input
        self.line = line
        self.creditCode = creditCode
        self.name = name
        self.street = street
    }
}
