/// One record of a CSV file: its cells and the physical line it starts on.
public struct CSVRecord: Sendable, Equatable {
    /// 1-based physical line where the record starts (a quoted cell may span several lines).
    public var line: Int
    /// The cells, unquoted, untrimmed. Empty when `problem` is set.
    public var cells: [String]
    /// Why the record could not be split into cells (an unterminated quote), in Chinese.
    public var problem: String?

    public init(line: Int, cells: [String], problem: String? = nil) {
        self.line = line
        self.cells = cells
        self.problem = problem
    }
}
