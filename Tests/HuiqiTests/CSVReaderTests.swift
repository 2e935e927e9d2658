import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct CSVReaderTests {
    /// Every record of `bytes`, read with the given chunk size, plus the reader for inspection.
    private func read(_ bytes: [UInt8], encoding: InputEncoding = .auto, chunkSize: Int = 1 << 20,
                      maxRecordBytes: Int = 1 << 20) throws -> (records: [CSVRecord], texts: [String], reader: CSVReader) {
        let dir = try TemporaryDirectory()
        let url = try dir.write("input.csv", bytes: bytes)
        let reader = try CSVReader(url: url, path: "input.csv", encoding: encoding, chunkSize: chunkSize,
                                   maxRecordBytes: maxRecordBytes)
        var records: [CSVRecord] = []
        var texts: [String] = []
        while let record = try reader.next() {
            records.append(record)
            texts.append(reader.lastRecordText())
        }
        return (records, texts, reader)
    }

    private func read(_ text: String, chunkSize: Int = 1 << 20) throws -> [CSVRecord] {
        try read(Array(text.utf8), chunkSize: chunkSize).records
    }

    @Test func plainRecordsWithLineNumbers() throws {
        let records = try read("a,b,c\n1,2,3\n4,,6\n")
        #expect(records == [
            CSVRecord(line: 1, cells: ["a", "b", "c"]),
            CSVRecord(line: 2, cells: ["1", "2", "3"]),
            CSVRecord(line: 3, cells: ["4", "", "6"]),
        ])
    }

    @Test func quotedCellsWithCommasNewlinesAndEscapedQuotes() throws {
        let text = "名称,备注\n\"深圳市宝安区某某有限公司, 分公司\",\"第一行\n第二行\"\n\"他说\"\"好\"\"\",x\n后,\"\"\n"
        let result = try read(Array(text.utf8))
        #expect(result.records == [
            CSVRecord(line: 1, cells: ["名称", "备注"]),
            CSVRecord(line: 2, cells: ["深圳市宝安区某某有限公司, 分公司", "第一行\n第二行"]),
            CSVRecord(line: 4, cells: ["他说\"好\"", "x"]),
            CSVRecord(line: 5, cells: ["后", ""]),
        ])
        #expect(result.texts[1] == "\"深圳市宝安区某某有限公司, 分公司\",\"第一行\n第二行\"")
    }

    @Test func crlfLoneCrAndMissingFinalNewline() throws {
        #expect(try read("a,b\r\n1,2\r\n3,4") == [
            CSVRecord(line: 1, cells: ["a", "b"]), CSVRecord(line: 2, cells: ["1", "2"]), CSVRecord(line: 3, cells: ["3", "4"]),
        ])
        #expect(try read("a,b\r1,\"x\r\ny\"\r\n2,3\r") == [
            CSVRecord(line: 1, cells: ["a", "b"]), CSVRecord(line: 2, cells: ["1", "x\r\ny"]), CSVRecord(line: 4, cells: ["2", "3"]),
        ])
    }

    @Test func blankLinesAreSkippedButCounted() throws {
        #expect(try read("a\n\n\r\nb\n\n") == [CSVRecord(line: 1, cells: ["a"]), CSVRecord(line: 4, cells: ["b"])])
        #expect(try read("a,\n,b\n,") == [
            CSVRecord(line: 1, cells: ["a", ""]), CSVRecord(line: 2, cells: ["", "b"]), CSVRecord(line: 3, cells: ["", ""]),
        ])
    }

    /// A quote inside an unquoted cell is literal. (Text after a closing quote, `"x"y`, was kept
    /// too, until it was found to merge lines: see `textAfterAClosingQuoteOnOneLineRejectsThatLine`.)
    @Test func lenientQuotesAsSpreadsheetsWriteThem() throws {
        #expect(try read("ab\"c,5\",z\n") == [CSVRecord(line: 1, cells: ["ab\"c", "5\"", "z"])])
    }

    @Test func byteOrderMarkIsDropped() throws {
        let result = try read([0xEF, 0xBB, 0xBF] + Array("信用代码,名称\n1,2\n".utf8), chunkSize: 2)
        #expect(result.records.first?.cells == ["信用代码", "名称"])
        #expect(result.reader.encoding == .utf8)
    }

    /// Records and multi-byte characters cut by chunk boundaries at every possible offset.
    @Test func chunkBoundariesDoNotChangeTheResult() throws {
        let text = "统一社会信用代码,名称,备注\n91350100M000100Y43,\"宝安, \"\"某\"\"公司\",\"多\n行\"\r\n11320000MB151840XJ,个体户😀,\n"
        let expected = try read(text)
        #expect(expected.count == 3)
        for chunkSize in 1...13 {
            #expect(try read(text, chunkSize: chunkSize) == expected, "chunk size \(chunkSize)")
        }
    }

    @Test func gb18030IsDetectedAndDecoded() throws {
        let text = "统一社会信用代码,企业名称,主体类型\n91350100M000100Y43,深圳市宝安区惠企科技有限公司,个体工商户\n"
        let bytes = try EncodingFixtures.gb18030(text)
        #expect(bytes.count < text.utf8.count)  // two bytes per Han character instead of three
        for chunkSize in [1, 2, 3, 5, 1 << 20] {
            let result = try read(bytes, chunkSize: chunkSize)
            #expect(result.records.map(\.cells) == [["统一社会信用代码", "企业名称", "主体类型"],
                                                   ["91350100M000100Y43", "深圳市宝安区惠企科技有限公司", "个体工商户"]])
            #expect(result.reader.encoding == .gb18030)
            #expect(result.reader.replacements == 0)
        }
        #expect(try read(bytes, encoding: .gbk).records.last?.cells[1] == "深圳市宝安区惠企科技有限公司")
    }

    @Test func knownGBKBytesDecode() throws {
        // 企业 in GBK, written by hand so the test does not depend on the encoder.
        let result = try read([0xC6, 0xF3, 0xD2, 0xB5, 0x2C, 0x41, 0x0A], encoding: .gbk)
        #expect(result.records.first?.cells == ["企业", "A"])
    }

    @Test func gb18030AfterALongAsciiPrefixIsStillDetected() throws {
        // The first chunks are pure ASCII (valid in both encodings); the decision waits for the first Han character.
        var text = "credit_code,name\n"
        for i in 0..<200 { text += "91350100M000100Y43,company\(i)\n" }
        text += "11320000MB151840XJ,宝安区\n"
        let result = try read(try EncodingFixtures.gb18030(text), chunkSize: 64)
        #expect(result.records.last?.cells == ["11320000MB151840XJ", "宝安区"])
        #expect(result.reader.encoding == .gb18030)
        #expect(result.records.count == 202)
    }

    /// Found in review: one damaged byte in a UTF-8 export without a BOM made `auto` read the whole
    /// file as GB18030 (every name garbled, exit 0). Valid UTF-8 Chinese before the bad byte now
    /// settles it on UTF-8, the byte is replaced and its line reported.
    @Test func aDamagedByteInUtf8TextDoesNotMakeItGB18030() throws {
        var text = "credit_code,name,street\n"
        for i in 0..<15 { text += "91350100M000100Y43,深圳市宝安区惠企科技有限公司\(i),新安街道\n" }
        let bytes = Array(text.utf8) + Array("91350100M000100Y43,坏".utf8.dropLast()) + Array(",沙井\n".utf8)
        for chunkSize in [7, 64, 1 << 20] {
            let result = try read(bytes, chunkSize: chunkSize)
            #expect(result.reader.encoding == .utf8, "\(chunkSize)")
            #expect(result.records[1].cells[1] == "深圳市宝安区惠企科技有限公司0")
            #expect(result.records.last?.cells[2] == "沙井")
            #expect(result.reader.firstReplacementLine == 17, "\(chunkSize)")
        }
        // A few Chinese characters before the bad byte are no evidence: GB18030 text can look like
        // valid UTF-8 for a character or two.
        let gb = try EncodingFixtures.gb18030("a,b\n1,统一宝安\n")
        #expect(try read(gb).reader.encoding == .gb18030)
    }

    @Test func invalidUtf8IsReplacedAndLocated() throws {
        let bytes = Array("a,b\n1,2\nx,".utf8) + [0xFF, 0xFE] + Array("y\n".utf8)
        let result = try read(bytes, encoding: .utf8)
        #expect(result.records.last?.cells == ["x", "\u{FFFD}\u{FFFD}y"])
        #expect(result.reader.replacements == 2)
        #expect(result.reader.firstReplacementLine == 3)
    }

    @Test func unterminatedQuoteRejectsOneRecordAndResumes() throws {
        let result = try read(Array("a,b\n1,\"oops\n2,3\n".utf8))
        #expect(result.records.count == 3)
        #expect(result.records[1].line == 2)
        #expect(result.records[1].problem?.hasPrefix("引号未闭合") == true)
        #expect(result.texts[1] == "1,\"oops")
        #expect(result.records[2] == CSVRecord(line: 3, cells: ["2", "3"]))
    }

    @Test func oversizedRecordIsSkippedWithoutBufferingTheFile() throws {
        var text = "a,b\n1,\"never closed\n"
        for _ in 0..<500 { text += "filler line, with text\n" }
        text += "2,3\n"
        let result = try read(Array(text.utf8), chunkSize: 256, maxRecordBytes: 1024)
        #expect(result.records[1].problem?.contains("记录超过1 KiB") == true)
        #expect(result.records[1].line == 2)
        // Reading resumed on line 3, so the filler lines come back as records.
        #expect(result.records[2] == CSVRecord(line: 3, cells: ["filler line", " with text"]))
        #expect(result.records.last == CSVRecord(line: 503, cells: ["2", "3"]))
    }

    @Test func lastRecordTextIsCutTo500Characters() throws {
        let long = String(repeating: "宝", count: 800)
        let result = try read(Array("a\n\(long)\n".utf8))
        #expect(result.texts[1].count == 500)
    }

    @Test func sha256OfTheFileBytesOnceRead() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("abc.csv", "abc")
        let reader = try CSVReader(url: url)
        #expect(reader.sha256 == nil)
        while try reader.next() != nil {}
        #expect(reader.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func missingFileIsADiagnostic() throws {
        let dir = try TemporaryDirectory()
        let error = #expect(throws: Diagnostic.self) { try CSVReader(url: dir.file("absent.csv")) }
        #expect(error?.message.contains("无法打开文件") == true)
    }

    /// Found in data-administrator review: an unclosed quote, then a quoted cell lines later, made
    /// one record of everything between (read as valid, with the later line's values; the lines in
    /// between vanished). A closing quote must now end its cell, so only the unclosed line is lost.
    @Test func unclosedQuoteBeforeALaterQuotedCellCostsOnlyItsLine() throws {
        let text = "a,b,c\n1,\"宝安未闭合公司,x\n2,y,z\n3,\"正常\"\"引号\"\"公司\",w\n4,v,u\n"
        for chunkSize in [1, 3, 7, 1 << 20] {
            let result = try read(Array(text.utf8), chunkSize: chunkSize)
            #expect(result.records.map(\.line) == [1, 2, 3, 4, 5], "chunk size \(chunkSize)")
            let problem = try #require(result.records[1].problem)
            #expect(problem.hasPrefix("引号未闭合") && problem.contains("第2行") && problem.contains("第2–4行"), "\(problem)")
            #expect(result.texts[1] == "1,\"宝安未闭合公司,x")
            #expect(result.records[2] == CSVRecord(line: 3, cells: ["2", "y", "z"]))
            #expect(result.records[3] == CSVRecord(line: 4, cells: ["3", "正常\"引号\"公司", "w"]))
            #expect(result.records[4] == CSVRecord(line: 5, cells: ["4", "v", "u"]))
        }
    }

    @Test func textAfterAClosingQuoteOnOneLineRejectsThatLine() throws {
        let result = try read(Array("a,b,c\n1,\"正常公司\"x,3\n2,y,z\n".utf8))
        #expect(result.records.count == 3)
        #expect(result.records[1].line == 2)
        #expect(result.records[1].problem?.hasPrefix("引号后有多余文字") == true)
        #expect(result.texts[1] == "1,\"正常公司\"x,3")
        #expect(result.records[2] == CSVRecord(line: 3, cells: ["2", "y", "z"]))
    }

    /// Some exports pad a quoted cell before the comma (`"abc" ,`): tolerated, the padding dropped.
    @Test func spacesAfterAClosingQuoteArePadding() throws {
        for chunkSize in [1, 4, 1 << 20] {
            #expect(try read("a,b\n\"abc\" ,\"d\"\t \r\n\"x\"  \n", chunkSize: chunkSize) == [
                CSVRecord(line: 1, cells: ["a", "b"]), CSVRecord(line: 2, cells: ["abc", "d"]), CSVRecord(line: 3, cells: ["x"]),
            ], "chunk size \(chunkSize)")
        }
        #expect(try read("a,b\n\"abc\" x,1\n").last?.problem?.hasPrefix("引号后有多余文字") == true)
    }

    /// A stray quote closed by a quote that ends a cell (`5"`) still merges lines, but the merged
    /// record has the wrong number of cells: a record over several lines must have the header's.
    @Test func aMultiLineRecordWithTheWrongCellCountCostsOnlyItsFirstLine() throws {
        let result = try read(Array("a,b,c\n1,\"x\n2,5\",z,w\n3,4,5\n".utf8))
        #expect(result.records.map(\.line) == [1, 2, 3, 4])
        #expect(result.records[1].problem?.hasPrefix("列数不符且跨越第2–3行") == true)
        #expect(result.texts[1] == "1,\"x")
        // Its own cell count is the caller's to reject: one line, one reject.
        #expect(result.records[2] == CSVRecord(line: 3, cells: ["2", "5\"", "z", "w"]))
        #expect(result.records[3] == CSVRecord(line: 4, cells: ["3", "4", "5"]))
        // Well formed, a record over several lines is one record as before.
        #expect(try read("a,b\n1,\"x\ny\"\n").last == CSVRecord(line: 2, cells: ["1", "x\ny"]))
    }

    /// Data-administrator review: a Ctrl-Z right after the last cell, with no line break before it,
    /// stayed in that cell (`H` read as `H\u{1A}`: a reject with a cause nobody could see).
    @Test func ctrlZEndingTheFileIsDropped() throws {
        for chunkSize in [1, 2, 5, 1 << 20] {
            let result = try read(Array("a,b\n1,宝安\u{1A}".utf8), chunkSize: chunkSize)
            #expect(result.records == [CSVRecord(line: 1, cells: ["a", "b"]), CSVRecord(line: 2, cells: ["1", "宝安"])],
                    "chunk size \(chunkSize)")
            #expect(try read("a,b\r\n1,2\r\n\u{1A}", chunkSize: chunkSize).count == 2)
        }
        // Only at the very end: elsewhere the byte is the row's own.
        #expect(try read("a\n\u{1A}x\n").last?.cells == ["\u{1A}x"])
    }
}
