import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct CSVWriterTests {
    @Test func quotingFollowsRFC4180() {
        #expect(CSVWriter.encode(["plain", "a,b", "say \"hi\"", "two\nlines", "cr\rx", ""]) ==
                "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\rx\",")
    }

    @Test func formulaLikeTextIsDefusedButLiteralsAreNot() {
        #expect(CSVWriter.encode(["=1+1", "+86 755", "-5", "@SUM(A1)", "\tx", "a=b"]) ==
                "'=1+1,'+86 755,'-5,'@SUM(A1),'\tx,a=b")
        #expect(CSVWriter.encode([.literal("-5"), .literal("=x"), .text("=HYPERLINK(\"a\",\"b\")")]) ==
                "-5,=x,\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"")
    }

    @Test func longDigitCodesStayTextInExcel() {
        // An all-digit credit code or a decision id would show as 1.23457E+17 in Excel.
        #expect(CSVWriter.encode([.identifier("123456789012345678"), .identifier("1000000001000"), .identifier("0755")]) ==
                "\"=\"\"123456789012345678\"\"\",\"=\"\"1000000001000\"\"\",\"=\"\"0755\"\"\"")
        // Codes with letters, short numbers and formula-like text are not wrapped (the last is defused).
        #expect(CSVWriter.encode([.identifier("91440300MA5FXXXX1X"), .identifier("12345"), .identifier(""), .identifier("=1+1")]) ==
                "91440300MA5FXXXX1X,12345,,'=1+1")
        // The reader gives the formula text back; the tool never reads its own exports as input.
        #expect(CSVText.row(["91440300", "123456789012345678"], identifierColumns: [1]) == "91440300,\"=\"\"123456789012345678\"\"\"\r\n")
    }

    @Test func filesStartWithABomAndUseCrlf() throws {
        let dir = try TemporaryDirectory()
        let url = dir.file("out.csv")
        let writer = try CSVWriter(url: url)
        try writer.writeRow(["名称", "金额"])
        try writer.writeRow([.text("宝安, 新安"), .literal("12.5")])
        try writer.close()
        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        #expect(String(decoding: bytes.dropFirst(3), as: UTF8.self) == "名称,金额\r\n\"宝安, 新安\",12.5\r\n")

        let plain = dir.file("plain.csv")
        let noBom = try CSVWriter(url: plain, bom: false)
        try noBom.writeRow(["a"])
        try noBom.close()
        #expect(try Data(contentsOf: plain) == Data("a\r\n".utf8))
    }

    /// What the writer writes, the reader reads back unchanged (apart from the defusing prefix).
    @Test func roundTripsThroughTheReader() throws {
        let dir = try TemporaryDirectory()
        let url = dir.file("round.csv")
        let rows = [["a", "b,c", "d\"e"], ["多\n行", "", " 空格 "]]
        let writer = try CSVWriter(url: url)
        // More rows than one buffer holds, to exercise flushing.
        for _ in 0..<2000 { for row in rows { try writer.writeRow(row) } }
        try writer.close()
        let reader = try CSVReader(url: url)
        var count = 0
        while let record = try reader.next() {
            #expect(record.cells == rows[count % 2])
            count += 1
        }
        #expect(count == 4000)
    }
}
