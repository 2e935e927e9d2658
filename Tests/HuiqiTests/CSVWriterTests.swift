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
        // A valid credit code shaped like a number in scientific notation: Excel read
        // 914403001000002E53 as 9.14403E+67 (reviewer review).
        #expect(CSVWriter.encode([.identifier("914403001000002E53"), .identifier("12e+3"), .identifier("91440300E"), .identifier("E53")]) ==
                "\"=\"\"914403001000002E53\"\"\",\"=\"\"12e+3\"\"\",91440300E,E53")
        // The reader gives the formula text back; the tool never reads its own exports as input.
        #expect(CSVWriter.encode(CSVWriter.cells(["91440300", "123456789012345678"], numericColumns: [], identifierColumns: [1]))
                == "91440300,\"=\"\"123456789012345678\"\"\"")
    }

    /// Excel shows 1,048,576 rows a sheet and drops the rest without a word (reviewer review: a
    /// district export had 7.2M rows in one file). Past the limit the writer goes on in
    /// `name.part2.csv`, …, each with the BOM and the header; parts of an earlier, longer file go.
    /// Code review: the log export's fourth column was renamed (输入行号 → 数据行序号), and parts
    /// of an export written before kept their place beside a new, shorter one. A part is told by
    /// its header's first three columns.
    @Test func aStalePartWithAnOlderHeaderGoesToo() throws {
        let dir = try TemporaryDirectory()
        let url = dir.url.appendingPathComponent("out.csv")
        try Data([0xEF, 0xBB, 0xBF] + Array("决定编号,运行编号,判定日期,输入行号\r\n9,1,2025-06-01,9\r\n".utf8)).write(to: CSVWriter.partURL(url, 2))
        try Data([0xEF, 0xBB, 0xBF] + Array("决定编号,名称\r\n".utf8)).write(to: CSVWriter.partURL(url, 3))
        let writer = try CSVWriter(url: url, rowsPerFile: 3)
        try writer.writeRow(["决定编号", "运行编号", "判定日期", "数据行序号"])
        try writer.writeRow(["1", "1", "2025-06-01", "1"])
        try writer.close()
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.partURL(url, 2).path))
        #expect(FileManager.default.fileExists(atPath: CSVWriter.partURL(url, 3).path), "not a part of such an export: kept")
    }

    @Test func splitsAtTheRowLimitRepeatingTheHeader() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("csvsplit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("out.csv")
        // A stale fourth part of an earlier, longer export of the same name, and a fifth file of
        // the user's that only has such a name (code review: it was deleted too).
        try Data([0xEF, 0xBB, 0xBF] + Array("编号,名称\r\n9,企业9\r\n".utf8)).write(to: CSVWriter.partURL(url, 4))
        try Data("mine".utf8).write(to: CSVWriter.partURL(url, 5))
        let writer = try CSVWriter(url: url, rowsPerFile: 3)  // header + 2 rows a file
        try writer.writeRow(["编号", "名称"])
        for i in 1...5 { try writer.writeRow(["\(i)", "企业\(i)"]) }
        try writer.close()
        #expect(writer.paths.map { URL(fileURLWithPath: $0).lastPathComponent } == ["out.csv", "out.part2.csv", "out.part3.csv"])
        #expect(CSVWriter.parts(of: url.path).count == 3)
        #expect(writer.rowCount == 6)
        func bytes(_ url: URL) throws -> [UInt8] { Array(try Data(contentsOf: url)) }
        let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
        #expect(try bytes(url) == bom + Array("编号,名称\r\n1,企业1\r\n2,企业2\r\n".utf8))
        #expect(try bytes(CSVWriter.partURL(url, 2)) == bom + Array("编号,名称\r\n3,企业3\r\n4,企业4\r\n".utf8))
        #expect(try bytes(CSVWriter.partURL(url, 3)) == bom + Array("编号,名称\r\n5,企业5\r\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.partURL(url, 4).path))
        #expect(try String(contentsOf: CSVWriter.partURL(url, 5), encoding: .utf8) == "mine")
        try FileManager.default.removeItem(at: CSVWriter.partURL(url, 5))
        // Exactly full: no empty part.
        let full = try CSVWriter(url: url, rowsPerFile: 3)
        try full.writeRow(["编号", "名称"])
        for i in 1...2 { try full.writeRow(["\(i)", "企业\(i)"]) }
        try full.close()
        #expect(full.paths.count == 1)
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.partURL(url, 2).path))
    }

    /// A staged writer (exports) writes every part under a temporary name: until `close()` the
    /// earlier files are as they were, `discard()` leaves them so, and `close()` puts the new parts
    /// in place and removes an earlier, longer export's extra part.
    @Test func stagedPartsReplaceTheEarlierFilesOnlyWhenClosed() throws {
        let dir = try TemporaryDirectory()
        let url = dir.file("out.csv")
        func bytes(_ url: URL) -> [UInt8]? { (try? Data(contentsOf: url)).map(Array.init) }
        func temporaries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: dir.url.path).filter { $0.hasSuffix(".tmp") } }
        func write(_ count: Int, _ tag: String) throws -> CSVWriter {
            let writer = try CSVWriter(url: url, rowsPerFile: 3, staged: true)
            try writer.writeRow(["编号", "名称"])
            for i in 1...count { try writer.writeRow(["\(i)", "\(tag)\(i)"]) }
            try writer.flush()
            return writer
        }
        let first = try write(5, "甲")  // three parts
        #expect(bytes(url) == nil, "nothing is at the path before close")
        try first.close()
        let earlier = (1...3).map { bytes($0 == 1 ? url : CSVWriter.partURL(url, $0)) }
        #expect(earlier.allSatisfy { $0 != nil })
        #expect(try temporaries().isEmpty)

        let stopped = try write(3, "乙")
        #expect(try temporaries().count == 2)
        stopped.discard()
        #expect((1...3).map { bytes($0 == 1 ? url : CSVWriter.partURL(url, $0)) } == earlier)
        #expect(try temporaries().isEmpty)

        let shorter = try write(3, "丙")  // two parts: the earlier third goes
        try shorter.close()
        #expect(bytes(CSVWriter.partURL(url, 2)) == [0xEF, 0xBB, 0xBF] + Array("编号,名称\r\n3,丙3\r\n".utf8))
        #expect(!FileManager.default.fileExists(atPath: CSVWriter.partURL(url, 3).path))
        #expect(try temporaries().isEmpty)
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
