import Foundation
import Huiqi
import TestSupport
import Testing

/// Files that are not what their name says, found in data-administrator review: each is named
/// once, with what to do, instead of looking clean or costing one reject per line.
@Suite struct ProfileStreamInputShapeTests {
    let code1 = "91350100M000100Y43"

    private func drain(_ stream: inout ProfileStream) throws -> (profiles: Int, rejects: Int) {
        var profiles = 0
        var rejects = 0
        while let record = try stream.next() {
            if case .profile = record { profiles += 1 } else { rejects += 1 }
        }
        return (profiles, rejects)
    }

    /// The messages of the problems that stop `files` from being read.
    private func refusal(_ files: [URL]) throws -> [String] {
        let error = #expect(throws: DiagnosticList.self) { try ProfileStream(files: files, schema: try ProfileFixtures.schema()) }
        return error?.diagnostics.map(\.description) ?? []
    }

    /// Operator review: `--encoding gbk` (for a GBK CSV) given with a UTF-8 JSON Lines file
    /// rejected every line as undecodable. A UTF-8 JSON Lines file given a GBK encoding is refused
    /// up front, as such a CSV header is, saying to leave --encoding out.
    @Test func aJSONLinesFileInTheOtherEncodingIsRefused() throws {
        let dir = try TemporaryDirectory()
        let line = "{\"credit_code\": \"\(code1)\", \"name\": \"深圳市宝安区测试有限公司\", \"subject_type\": \"企业\"}\n"
        let utf8 = try dir.write("u.jsonl", line)
        let gbkURL = dir.url.appendingPathComponent("g.jsonl")
        try Data(EncodingFixtures.gb18030(line)).write(to: gbkURL)
        for given in [InputEncoding.gbk, .gb18030] {
            let error = #expect(throws: DiagnosticList.self) { try ProfileStream(files: [utf8], schema: try ProfileFixtures.schema(), encoding: given) }
            let message = error?.diagnostics.first?.description ?? ""
            #expect(message.contains("文件是 utf-8 编码, 请去掉 --encoding") && message.contains("leave --encoding out"), "\(message)")
        }
        // With a byte-order mark it is read as UTF-8 whatever --encoding says, as before (code review).
        let marked = try dir.write("bom.jsonl", bytes: [0xEF, 0xBB, 0xBF] + Array(line.utf8))
        var withMark = try ProfileStream(files: [marked], schema: try ProfileFixtures.schema(), encoding: .gbk)
        #expect(try withMark.readAll().profiles.count == 1)
        // The GBK file given GBK is read; detected, each file is read.
        var given = try ProfileStream(files: [gbkURL], schema: try ProfileFixtures.schema(), encoding: .gbk)
        #expect(try given.readAll().profiles.count == 1)
        for file in [utf8, gbkURL] {
            var stream = try ProfileStream(files: [file], schema: try ProfileFixtures.schema())
            #expect(try stream.readAll().profiles.count == 1)
        }
    }

    /// A truncated export with only its header read as `read: 0` and exit 0, with no word.
    @Test func aFileWithOnlyAHeaderIsAWarning() throws {
        let dir = try TemporaryDirectory()
        let header = try dir.write("header.csv", "credit_code,name,subject_type\n")
        let padding = try dir.write("padding.csv", "credit_code,name,subject_type\r\n,,\r\n")
        let empty = try dir.write("empty.jsonl", "\n")
        let good = try dir.write("good.csv", "credit_code,name,subject_type\n\(code1),宝安,企业\n")
        var stream = try ProfileStream(files: [header, padding, empty, good], schema: try ProfileFixtures.schema())
        #expect(!stream.warnings.contains { $0.message.contains("没有数据行") })
        _ = try drain(&stream)
        let warnings = stream.warnings.filter { $0.message.contains("没有数据行") }.map(\.description)
        #expect(warnings == [
            "\(header.relativePath): warning: has a header but no data rows (只有表头, 没有数据行); was the export cut short? (导出是否不完整?)",
            "\(padding.relativePath): warning: has a header but no data rows (只有表头, 没有数据行); was the export cut short? (导出是否不完整?)",
            "\(empty.relativePath): warning: has no records (没有数据行); was the export cut short? (导出是否不完整?)",
        ])
    }

    /// Title rows above the table stopped the file with "请删除标题行" (data-administrator review);
    /// a few, with a header after them, are now passed over with one warning naming them. A file
    /// whose first row is a title and no header follows still gets the first row's problems.
    @Test func titleRowsAboveTheHeaderArePassedOver() throws {
        let dir = try TemporaryDirectory()
        let titled = try dir.write("titled.csv", "宝安区企业名录 2025年,,\n\n导出时间,2025-06-01,\n信用代码,名称,主体类型\n\(code1),宝安,企业\n")
        var stream = try ProfileStream(files: [titled], schema: try ProfileFixtures.schema())
        let warnings = stream.warnings.filter { $0.message.contains("标题行") }.map(\.description)
        #expect(warnings == ["\(titled.relativePath):1: warning: 第1–3行是表格上方的标题行 ('宝安区企业名录 2025年', '导出时间'), 已跳过; 表头在第4行 (title rows above the header skipped)"],
                "\(stream.warnings)")
        let (profiles, rejects) = try stream.readAll()
        #expect(profiles.map(\.line) == [5] && rejects.isEmpty)

        // The header under a title has its own problems reported, not the title's.
        let short = try dir.write("short.csv", "宝安区企业名录 2025年,,\n信用代码,名称,街道\n\(code1),宝安,新安\n")
        let shortMessages = try refusal([short])
        #expect(shortMessages.count == 1 && shortMessages.first?.hasPrefix("\(short.relativePath):2: 缺少必填列主体类型(subject_type)") == true, "\(shortMessages)")

        // A tab-separated header under a title is named as such (code review: it read as a title too).
        let tabs = try dir.write("tabs.csv", "宝安区企业名录\n信用代码\t名称\t主体类型\n\(code1)\t宝安\t企业\n")
        let tabMessages = try refusal([tabs])
        #expect(tabMessages.first?.hasPrefix("\(tabs.relativePath):2: is tab-separated (TSV)") == true, "\(tabMessages)")

        let noHeader = try dir.write("none.csv", "宝安区企业名录 2025年,,\n\(code1),宝安,企业\n")
        let tooMany = try dir.write("many.csv", String(repeating: "标题,,\n", count: 6) + "信用代码,名称,主体类型\n\(code1),宝安,企业\n")
        let messages = try refusal([noHeader])
        #expect(messages.first?.hasPrefix("\(noHeader.relativePath):1: 第1行不像表头, 像是表格上方的标题行") == true, "\(messages)")
        // More title rows than are passed over: where the header is, and what to delete (operator
        // review: the first title's "unknown column" and every required column missing).
        let many = try refusal([tooMany])
        #expect(many == ["\(tooMany.relativePath):1: 表头在第7行, 上方有6行标题或空行, 超过可自动跳过的5行; 请删除第1–6行, 让表头在第一行 "
                         + "(the header is on line 7, under more than 5 title rows: delete the rows above it)"], "\(many)")
    }

    /// A note row with three cells filled above the header is too full to pass over as a title; it
    /// was refused with each of its cells an unknown column and every required column missing,
    /// though the header one row below holds them. The refusal names the header's line instead.
    @Test func aFullNoteRowAboveTheHeaderNamesTheHeaderLine() throws {
        let dir = try TemporaryDirectory()
        let noted = try dir.write("noted.csv", "宝安区企业名录,2025年6月,制表人：张三\n信用代码,名称,主体类型\n\(code1),宝安,企业\n")
        let messages = try refusal([noted])
        #expect(messages == ["\(noted.relativePath):1: 第1行不是表头 (没有一格是字段名), 表头在第2行 ('信用代码', '名称', '主体类型'): "
                             + "表头上方的行有三格以上文字, 不能当作标题行跳过; 请删除第1行, 让表头在第一行 (the header is on line 2: delete the rows above it)"],
                "\(messages)")
        // Two such rows and a blank one: all three named.
        let two = try dir.write("two.csv", "单位,万元,填报日期\n\n说明,见附件,2025\n信用代码,名称,主体类型\n\(code1),宝安,企业\n")
        #expect(try refusal([two]).first?.contains("表头在第4行") == true)
        #expect(try refusal([two]).first?.contains("请删除第1–3行") == true)
        // A first row naming a field is a header with problems of its own, reported as before.
        let typo = try dir.write("typo.csv", "信用代码,名称,主题类型\n信用代码,名称,主体类型\n")
        #expect(try refusal([typo]).contains { $0.contains("未知列'主题类型'") })
        // No header below: the first row's own problems.
        let none = try dir.write("none.csv", "甲,乙,丙\n\(code1),宝安,企业\n")
        #expect(try refusal([none]).contains { $0.contains("未知列'甲'") })
    }

    /// Two exports joined end to end (`cat a.csv b.csv`, or pasted one under the other in Excel)
    /// leave the second's header as a row: it was rejected as a bad credit code, a bad subject type
    /// and a bad number, with the header's own words as the values. It is named as a header.
    @Test func aRepeatedHeaderRowIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory()
        let code2 = ProfileFixtures.creditCode(2)
        let joined = try dir.write("joined.csv", "\u{FEFF}信用代码,名称,主体类型\r\n\(code1),宝安,企业\r\n\u{FEFF}信用代码,名称,主体类型\r\n\(code2),西乡,企业\r\n")
        var stream = try ProfileStream(files: [joined], schema: try ProfileFixtures.schema())
        let (profiles, rejects) = try stream.readAll()
        #expect(profiles.map(\.line) == [2, 4])
        #expect(rejects.count == 1 && rejects.first?.line == 3)
        #expect(rejects.first?.reason.hasPrefix("这一行是重复的表头") == true, "\(rejects)")
        #expect(rejects.first?.field == nil && rejects.first?.creditCode == nil, "\(rejects)")
    }

    /// A row skipped for an unclosed quote had no credit code in its reject, though its code cell
    /// before the quote was whole: the rejects' code column was empty, and `explain CODE --run`
    /// said the business was not in the run instead of where it was rejected.
    @Test func aRowWithAnUnclosedQuoteKeepsTheCodeBeforeIt() throws {
        let dir = try TemporaryDirectory()
        let code2 = ProfileFixtures.creditCode(2), code3 = ProfileFixtures.creditCode(3)
        let file = try dir.write("q.csv", "信用代码,名称,主体类型\n\(code1),宝安,企业\n\(code2.lowercased()),\"宝安未闭合公司,企业\n\(code3),西乡,企业\n\"\(code1)x,乙,企业\n")
        var stream = try ProfileStream(files: [file], schema: try ProfileFixtures.schema())
        let (profiles, rejects) = try stream.readAll()
        #expect(profiles.map(\.line) == [2, 4])
        #expect(rejects.map(\.line) == [3, 5], "\(rejects)")
        #expect(rejects.first?.creditCode == code2, "\(rejects)")
        // A code cell that is itself cut by the quote gives none.
        #expect(rejects.last?.creditCode == nil, "\(rejects)")
    }

    /// A pretty-printed JSON file or a JSON array named .jsonl gave one reject per physical line.
    @Test func aJSONDocumentIsRefusedOnceWithHowToConvert() throws {
        let dir = try TemporaryDirectory()
        let object = "{\n  \"credit_code\": \"\(code1)\",\n  \"name\": \"宝安\",\n  \"subject_type\": \"企业\"\n}\n"
        let pretty = try dir.write("pretty.jsonl", object + object)
        let array = try dir.write("array.jsonl", "\n[\n" + object + "]\n")
        let oneLineArray = try dir.write("line.ndjson", "[{\"credit_code\": \"\(code1)\"}, {\"name\": \"x\"}]\n")
        let firstMemberOnTheBraceLine = try dir.write("odd.jsonl", "{\"credit_code\": \"\(code1)\",\n \"name\": \"宝安\"}\n")
        let messages = try refusal([pretty, array, oneLineArray, firstMemberOnTheBraceLine])
        #expect(messages.count == 4)
        for message in messages {
            #expect(message.contains("is a JSON document, not JSON Lines (one object per line) (这是 JSON 文件, 不是每行一个对象的 JSON Lines)"), "\(message)")
        }
        #expect(messages[0].hasPrefix("\(pretty.relativePath):1: ") && messages[0].contains("jq -c . \(pretty.relativePath) >"))
        #expect(messages[1].hasPrefix("\(array.relativePath):2: ") && messages[1].contains("jq -c '.[]' \(array.relativePath) >"))
        #expect(messages[2].contains("jq -c '.[]'"))
        #expect(messages[3].contains("jq -c . "))
    }

    /// JSON Lines with a damaged first line is still read line by line: one reject, not a refusal.
    @Test func aDamagedFirstLineOfJSONLinesIsOneReject() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.jsonl", "{\"credit_code\": \"x\",\n{\"credit_code\": \"\(code1)\", \"name\": \"宝安\", \"subject_type\": \"企业\"}\n")
        var stream = try ProfileStream(files: [url], schema: try ProfileFixtures.schema())
        #expect(try drain(&stream) == (profiles: 1, rejects: 1))
    }

    /// A tab-separated export named .csv was reported as one unknown column: the whole header.
    @Test func aTabSeparatedCSVIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("tabs.csv", "credit_code\tname\tsubject_type\n\(code1)\t宝安\t企业\n")
        let quoted = try dir.write("quoted.csv", "\"credit_code\"\t\"name\"\t\"subject_type\"\n")
        let messages = try refusal([url, quoted])
        #expect(messages.count == 2)
        #expect(messages.first?.hasPrefix("\(url.relativePath):1: ") == true)
        for message in messages {
            #expect(message.contains("tab-separated") && message.contains("CSV UTF-8 (逗号分隔)"), "\(message)")
        }
    }

    /// Usability review: a semicolon-separated export was one unknown column, the whole header,
    /// and three missing required columns.
    @Test func aSemicolonSeparatedCSVIsNamedAsSuch() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("semi.csv", "统一社会信用代码;企业名称;主体类型\n\(code1);宝安;企业\n")
        let messages = try refusal([url])
        #expect(messages.count == 1, "\(messages)")
        #expect(messages.first?.hasPrefix("\(url.relativePath):1: is semicolon-separated") == true
                && messages.first?.contains("CSV UTF-8 (逗号分隔)") == true, "\(messages)")

        // A semicolon-separated header under a title is named as such too.
        let titled = try dir.write("titled-semi.csv", "宝安区企业名录\n统一社会信用代码;企业名称;主体类型\n\(code1);宝安;企业\n")
        let titledMessages = try refusal([titled])
        #expect(titledMessages.first?.hasPrefix("\(titled.relativePath):2: is semicolon-separated") == true, "\(titledMessages)")
        // Names quoted, as some exports write every cell, after a BOM.
        let quoted = try dir.write("quoted-semi.csv", "\u{FEFF}\"统一社会信用代码\";\"企业名称\";\"主体类型\"\n\(code1);宝安;企业\n")
        let quotedMessages = try refusal([quoted])
        #expect(quotedMessages.first?.hasPrefix("\(quoted.relativePath):1: is semicolon-separated") == true, "\(quotedMessages)")
    }

    /// A title row written without commas whose text holds a ';' ("宝安区企业名录; 截至2025年6月")
    /// is a title, passed over like any other, not a semicolon-separated header: the file is a
    /// sound comma-separated one.
    @Test func aTitleRowHoldingASemicolonIsPassedOverAsATitle() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("titled.csv", "宝安区企业名录; 截至2025年6月\n统一社会信用代码,企业名称,主体类型\n\(code1),宝安,企业\n")
        var stream = try ProfileStream(files: [url], schema: try ProfileFixtures.schema())
        #expect(stream.warnings.contains { $0.message.contains("标题行") }, "\(stream.warnings)")
        let (profiles, rejects) = try stream.readAll()
        #expect(profiles.map(\.line) == [3] && rejects.isEmpty)
    }

    /// First-day review: a directory given as an input was "unsupported file type '.'"; a path with
    /// a space typed without quotes (`huiqi run 导出 数据/名录.csv`) was two files, one of them of
    /// type '.', the other "cannot open: No such file or directory" (English only, and not said
    /// where a relative path was looked for). Each is now said for what it is.
    @Test func aDirectoryAMissingFileAndAnUnquotedPathAreNamedAsSuch() throws {
        let dir = try TemporaryDirectory()
        _ = try dir.write("导出 数据.csv", "credit_code,name,subject_type\n")
        try FileManager.default.createDirectory(at: dir.file("exports"), withIntermediateDirectories: true)
        _ = try dir.write("exports/a.csv", "credit_code,name,subject_type\n")

        let folder = try refusal([dir.file("exports")])
        #expect(folder == ["\(dir.file("exports").path): is a directory, not a profile file (这是目录, 不是文件): give the files in it, "
                           + "e.g. \(dir.file("exports").path)/*.csv (请给出目录中的文件, 它有 1 个 .csv/.jsonl 文件)"], "\(folder)")

        let split = try refusal([URL(fileURLWithPath: dir.file("导出").path), URL(fileURLWithPath: "数据.csv")])
        #expect(split.count == 2, "\(split)")
        for message in split {
            #expect(message.contains("\"\(dir.file("导出 数据.csv").path)\" is there: a path with spaces needs quotes (路径含空格, 请加引号)"), "\(message)")
        }

        let absent = "absent-\(UUID().uuidString).csv"
        let missing = try refusal([URL(fileURLWithPath: absent)])
        #expect(missing == ["\(absent): cannot open (无法打开文件): no such file (文件不存在) in \(FileManager.default.currentDirectoryPath) "
                            + "(相对路径从当前目录算起; 请核对文件名和所在目录)"], "\(missing)")
    }

    /// Excel's "Unicode 文本" is a UTF-16 tab-separated .txt: say what to save it as instead.
    @Test func aTextFileIsAdvisedToBeSavedAsCSVUTF8() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("export.txt", "x")
        let messages = try refusal([url])
        #expect(messages.first?.contains("unsupported file type '.txt'") == true)
        #expect(messages.first?.contains("CSV UTF-8 (逗号分隔)") == true, "\(messages)")
    }
}
