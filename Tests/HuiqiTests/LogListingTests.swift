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

    /// Reviewer review: a name holding terminal escapes erased the line above it in `log show`
    /// (so a reviewer never saw that decision), and `ESC [2J` in a street cleared the screen.
    @Test func controlCharactersInDataAreShownNotObeyed() {
        let table = TextTable.render(headers: ["企业名称", "结果"], rows: [["\u{1B}[1A\u{1B}[2K隐藏公司", "符合"], ["右\u{202E}左\u{7F}", "待定"]])
        #expect(!table.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x202E || $0.value == 0x7F }, "\(table)")
        #expect(table.contains("␛[1A␛[2K隐藏公司") && table.contains("右<U+202E>左␡"), "\(table)")
        #expect(TerminalText.visible("第一行\n\t第二行\u{07}") == "第一行\n\t第二行␇")
        #expect(TerminalText.visible("深圳市宝安区惠企科技有限公司") == "深圳市宝安区惠企科技有限公司")
    }
}
