/// A decision's reasons as the lists print them, worked out once for each reasons text of the log
/// (`LogEntry.reason`): a run's millions of decisions repeat a few hundred, and joining, escaping
/// and quoting them again for each row and card was about a tenth of `lists` (perf, 1M lists).
final class ListReasons {
    let texts: [String]

    init(_ texts: [String]) {
        self.texts = texts
    }

    /// 理由 of `lists.csv`: the reasons joined by "; ", as a cell.
    private(set) lazy var csvCell: [UInt8] = CSVWriter.encodedCells([CSVWriter.Cell.text(texts.joined(separator: "; "))][...])

    /// A card's 理由: each escaped, joined by "；".
    private(set) lazy var html: [UInt8] = {
        var bytes: [UInt8] = []
        for (j, reason) in texts.enumerated() {
            if j > 0 { bytes.append(contentsOf: "；".utf8) }
            HTML.appendEscaped(reason, to: &bytes)
        }
        return bytes
    }()

    /// What a pending decision with these reasons waits for (`ServiceLists.missingData(in:)` of each).
    private(set) lazy var missingData: [String] = texts.map(ServiceLists.missingData(in:))
}
