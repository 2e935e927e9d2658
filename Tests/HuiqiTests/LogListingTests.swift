@testable import Huiqi
import Testing

@Suite struct LogListingTests {
    /// `log show`'s table shows an error's cause, not only "规则执行出错" (found in the analyst review).
    @Test func anErrorShowsItsCauseInTheTable() {
        let message = "rule 'r' (Rules/a.lua): Rules/a.lua:12: attempt to compare nil with number\nstack traceback:\n\t…"
        #expect(LogListing.errorGist(message) == "Rules/a.lua:12: attempt to compare nil with number")
        #expect(LogListing.errorGist("memory cap exceeded") == "memory cap exceeded")
    }

    /// Found in review: a name with a line break (typed over two lines in Excel) broke the table.
    @Test func lineBreaksInCellsKeepTheTableOneLinePerRow() {
        let table = TextTable.render(headers: ["企业名称", "结果"], rows: [["宝安\r\n惠企\t科技", "符合"], ["新安", "待定"]])
        let lines = table.split(separator: "\n")
        #expect(lines.count == 4, "\(table)")
        #expect(lines[2].hasPrefix("宝安⏎惠企 科技") && lines[2].hasSuffix("符合"))
    }
}
