import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct ProfileStreamTests {
    let code1 = "91350100M000100Y43"
    let code2 = "11320000MB151840XJ"

    /// Reads everything and checks the counting invariant on the way.
    private func drain(_ stream: inout ProfileStream) throws -> (profiles: [Profile], rejects: [Reject]) {
        let (profiles, rejects) = try stream.readAll()
        let read = stream.counts.reduce(0) { $0 + $1.read }
        let rejected = stream.counts.reduce(0) { $0 + $1.rejected }
        #expect(read == profiles.count + rejects.count, "read = evaluated + rejected")
        #expect(rejected == rejects.count)
        return (profiles, rejects)
    }

    /// `explain --run` passes over the records before the business's logged line unread: the
    /// first record it gets is at that line (or after, past a blank line), built as a run built
    /// it, even when an earlier row would have been a reject or the same code.
    @Test func recordsBeforeALineArePassedOverUnread() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let csv = try dir.write("p.csv", "统一社会信用代码,企业名称,主体类型\n\(code1),甲,企业\nbad,乙,企业\n\n\(code1),\"丙\n丁\",企业\n\(code2),戊,企业\n")
        let jsonl = try dir.write("p.jsonl", "{\"统一社会信用代码\": \"\(code1)\", \"企业名称\": \"甲\", \"主体类型\": \"企业\"}\n{\n{\"统一社会信用代码\": \"\(code1)\", \"企业名称\": \"丙\", \"主体类型\": \"企业\"}\n")
        for (url, line) in [(csv, 4), (jsonl, 3)] {
            var stream = try ProfileStream(files: [url], schema: schema)
            stream.skipsRecordsBefore = line
            let (profiles, rejects) = try drain(&stream)
            #expect(rejects.isEmpty, "\(rejects)")
            #expect(profiles.first?.line == (line == 4 ? 5 : 3))
            #expect(profiles.first.map { $0.text("name", in: schema) } == (line == 4 ? "丙\n丁" : "丙"))
        }
    }

    /// `explain CODE --profiles` reads only the CSV rows whose code cell reads as the code or
    /// holds it among marks, with the same profiles and rejects a full read gives for that code.
    @Test func onlyTheRowsOfOneCodeAreRead() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let csv = try dir.write("p.csv", "统一社会信用代码,企业名称,主体类型\n\(code2),甲,企业\nbad,乙,企业\n' \(code1.lowercased()),丙,企业\n\(code1),丁,个体户\n\(code1),戊,企业\n")
        var stream = try ProfileStream(files: [csv], schema: schema)
        stream.onlyCreditCode = code1
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.map(\.line) == [4])
        // As a full read has them: 5 contradicts its code; 6 repeats 4's code.
        #expect(rejects.map(\.line) == [5, 6], "\(rejects)")
        #expect(rejects.last?.reason.contains("第4行") == true)
    }

    /// Found in review: a UTF-16 export (Excel's "Unicode text") failed with a garbled "unknown
    /// column". It is now refused by name, with what to save it as.
    @Test func utf16InputIsRefusedSayingWhatToSaveItAs() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let text = "统一社会信用代码,企业名称,主体类型\n\(code1),宝安惠企科技有限公司,有限公司\n"
        let littleEndian = try dir.write("le.csv", bytes: [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        let noMark = try dir.write("be.csv", bytes: text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] })
        for url in [littleEndian, noMark] {
            do {
                var stream = try ProfileStream(files: [url], schema: schema)
                _ = try stream.next()
                Issue.record("\(url.lastPathComponent) was read")
            } catch {
                let text = "\(error)"
                #expect(text.hasPrefix(url.path + ": ") && text.contains("UTF-16") && text.contains("UTF-8"), "\(text)")
            }
        }
    }

    @Test func csvRowsBecomeProfilesWithDefaults() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", """
            统一社会信用代码,企业名称,主体类型,街道,成立日期,从业人数,营业收入,高新技术企业,纳税信用等级,标签
            \(code1),"宝安惠企科技有限公司",有限公司,新安街道,2019年5月8日,"1,200",1234.5,是,a,专精特新；出口
            \(code2.lowercased()),张三五金店,个体户,,,,,,,

            """)
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(rejects.isEmpty)
        #expect(profiles.count == 2)
        let first = try #require(profiles.first)
        #expect(first.source == url.relativePath)
        #expect(first.line == 2)
        #expect(first.text("subject_type", in: schema) == "enterprise")
        #expect(first[schema.index(of: "established_on") ?? -1] == .date("2019-05-08"))
        #expect(first[schema.index(of: "employees") ?? -1] == .integer(1200))
        #expect(first[schema.index(of: "revenue") ?? -1] == .decimal(1234.5))
        #expect(first[schema.index(of: "high_tech") ?? -1] == .boolean(true))
        #expect(first[schema.index(of: "tax_credit_rating") ?? -1] == .string("A"))
        #expect(first[schema.index(of: "tags") ?? -1] == .list(["专精特新", "出口"]))
        let second = profiles[1]
        #expect(second.text("credit_code", in: schema) == code2)
        #expect(second[schema.index(of: "employees") ?? -1] == .integer(0), "the default applies to an empty cell")
        #expect(second[schema.index(of: "street") ?? -1] == nil)
        var expected = FileCount(path: url.relativePath, read: 2, rejected: 0, sha256: stream.counts.first?.sha256, encoding: .utf8)
        expected.size = try Data(contentsOf: url).count
        #expect(stream.counts == [expected])
        #expect(stream.counts.first?.sha256?.count == 64)
    }

    @Test func allFailingFieldsOfARowAreReportedTogether() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", """
            credit_code,name,subject_type,employees,established_on
            91350100M000100Y4Z,,合伙,12.5,2023-02-29

            """)
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.isEmpty)
        let reject = try #require(rejects.first)
        #expect(reject.line == 2)
        #expect(reject.creditCode == "91350100M000100Y4Z")
        #expect(reject.field == "credit_code;subject_type;employees;established_on;name")
        #expect(reject.reason == [
            "统一社会信用代码(credit_code): '91350100M000100Y4Z' 统一社会信用代码第18位字符'Z'不合法(只允许数字和除I、O、Z、S、V外的大写字母)",
            "主体类型(subject_type): '合伙' 不是允许的值(可选: enterprise(企业), individual(个体工商户), market(专业市场))",
            "从业人数(employees): '12.5' 不是整数",
            "成立日期(established_on): '2023-02-29' 不是有效日期(该月没有这一天)",
            "企业名称(name): 缺少必填值",
        ].joined(separator: "; "))
        #expect(reject.raw == "91350100M000100Y4Z,,合伙,12.5,2023-02-29")
    }

    @Test func wrongCellCountIsARejectNotACrash() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", "credit_code,name,subject_type\n\(code1),宝安,企业,多余\n\(code2),新安\n\(code2),新安,个体户\n")
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 1)
        #expect(rejects.map(\.line) == [2, 3])
        #expect(rejects[0].reason.hasPrefix("列数不符: 表头有3列, 本行有4列"))
        #expect(rejects[0].creditCode == code1)
        #expect(rejects[0].field == nil)
        #expect(stream.counts.first?.read == 3)
        #expect(stream.counts.first?.rejected == 2)
    }

    /// Operator review: a zero-width space (U+200B) after a value, as text copied from a web page
    /// or WeChat carries, made `新桥` an unknown street, `1` not an integer, an 18-character code
    /// "not 18 characters", and a header cell an unknown column. Such invisible characters at a
    /// value's ends are padding, like spaces.
    @Test func invisibleCharactersAroundAValueArePadding() throws {
        let dir = try TemporaryDirectory()
        for mark in ["\u{200B}", "\u{200C}", "\u{200D}", "\u{2060}", "\u{00AD}", "\u{FEFF}"] {
            let url = try dir.write("z.csv", "统一社会信用代码,名称\(mark),主体类型,所属街道,从业人数\n"
                                    + "\(mark)\(code1)\(mark),宝安\(mark),企业,新桥\(mark),1\(mark)\n")
            var stream = try ProfileStream(files: [url], schema: TestSchemas.core)
            let (profiles, rejects) = try drain(&stream)
            #expect(rejects.isEmpty, "\(mark.unicodeScalars.first!.value): \(rejects.map(\.reason))")
            let p = try #require(profiles.first)
            func value(_ name: String) -> FieldValue? { TestSchemas.core.index(of: name).flatMap { p[$0] } }
            #expect(value("credit_code") == .string(code1) && value("name") == .string("宝安") && value("street") == .string("新桥")
                    && value("employees") == .integer(1), "\(p)")
        }
    }

    /// Found in the robustness review: Excel's all-comma rows, a line of spaces and a final Ctrl-Z
    /// were each rejected, and the run exited 1. They are skipped like blank lines.
    @Test func rowsWithNothingInThemAreSkippedLikeBlankLines() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", "credit_code,name,subject_type\n\(code1),宝安,企业\n,,\n , ,\u{3000}\n   \n\t\n\(code2),新安,个体户\n,\n\u{1A}")
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 2)
        #expect(rejects.isEmpty, "\(rejects.map(\.reason))")
        #expect(stream.counts.first?.read == 2)
        // A row with one cell filled is still a row, rejected with its line.
        let partial = try dir.write("b.csv", "credit_code,name,subject_type\n,,企业\n")
        var second = try ProfileStream(files: [partial], schema: schema)
        #expect(try drain(&second).rejects.map(\.line) == [2])
    }

    /// Found in the robustness review: a NUL inside a name was cut off in the log ("正常\0名称"
    /// showed as "正常"), and `log rejects` differed from the run's rejects file. Rows with a NUL,
    /// raw or as the JSON escape, are rejected.
    @Test func aRowWithANULIsRejected() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        // Past the first 256 bytes, where a NUL means a UTF-16 file and the whole file is refused.
        // Rows of empty cells and a line of spaces are skipped; they only move the NUL along.
        let rows = "credit_code,name,subject_type\n\(code2),新安,个体户\n" + String(repeating: ",,\n", count: 8)
            + String(repeating: " ", count: 200) + "\n"
        let csv = try dir.write("a.csv", bytes: Array(rows.utf8) + Array("\(code1),正常".utf8) + [0] + Array("名称,企业\n".utf8))
        var stream = try ProfileStream(files: [csv], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 1 && rejects.map(\.line) == [12])
        #expect(rejects.first?.reason.contains("NUL") == true)
        let jsonl = try dir.write("a.jsonl", """
            {"credit_code":"\(code1)","name":"正常\\u0000名称","subject_type":"企业"}
            {"credit_code":"\(code2)","name":"新安\\\\u0000","subject_type":"个体户"}
            """)
        var json = try ProfileStream(files: [jsonl], schema: schema)
        let lines = try drain(&json)
        #expect(lines.rejects.map(\.line) == [1], "an escaped backslash before u0000 is text, not a NUL")
        // The reject names the business, so `explain` finds it (review).
        #expect(lines.rejects.first?.creditCode == code1)
        #expect(rejects.first?.creditCode == code1)
        #expect(lines.profiles.count == 1)
    }

    /// Found in the domain review: a 92 code (个体工商户) labelled 企业 got enterprise-only
    /// benefits, and a 91 code labelled 个体工商户 individual ones. Such rows are rejected.
    @Test func aSubjectTypeThatContradictsTheCreditCodeIsRejected() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let individual = "92440300MA5H00001C"
        let url = try dir.write("a.csv", """
            credit_code,name,subject_type
            \(code1),宝安,个体户
            \(individual),新安,企业
            \(individual),西乡,个体工商户
            \(code2),沙井,个体户

            """)
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 2, "a 92 individual, and an 11 code (not an enterprise code) left alone")
        #expect(rejects.map(\.line) == [2, 3])
        #expect(rejects.first?.reason.contains("代码以91开头, 是企业, 本行主体类型为个体工商户") == true, "\(rejects.map(\.reason))")
        #expect(rejects.last?.reason.contains("代码以92开头, 是个体工商户, 本行主体类型为企业") == true)
        #expect(rejects.allSatisfy { $0.field == "subject_type" })
    }

    /// Found in the second review: a rejected row with a full-width (or lower-case) code kept the
    /// code as typed, so `explain CODE --run` did not find it.
    @Test func aRejectCarriesItsCreditCodeAsACodeReads() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let wide = "９１３５０１００Ｍ０００１００Ｙ４３"
        let url = try dir.write("a.csv", "credit_code,name,subject_type,employees\n\(wide),宝安,企业,abc\n\(code2.lowercased()),新安,个体户,abc\n")
        var stream = try ProfileStream(files: [url], schema: schema)
        let (_, rejects) = try drain(&stream)
        #expect(rejects.map(\.creditCode) == [code1, code2])
        let jsonl = try dir.write("a.jsonl", "{\"credit_code\":\"\(wide)\",\"name\":\"宝安\",\"subject_type\":\"企业\",\"employees\":\"abc\"}\n")
        var json = try ProfileStream(files: [jsonl], schema: schema)
        #expect(try drain(&json).rejects.map(\.creditCode) == [code1])
    }

    @Test func duplicateCreditCodesAcrossFilesNameTheFirstOccurrence() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let first = try dir.write("samples.csv", "credit_code,name,subject_type\n\(ProfileFixtures.creditCode(1)),甲,企业\n\(code1),乙,企业\n")
        let second = try dir.write("more.jsonl", """
            {"credit_code": "\(code2)", "name": "丙", "subject_type": "market"}
            {"credit_code": "\(code1.lowercased())", "name": "丁", "subject_type": "enterprise"}
            {"credit_code": "\(code1)", "name": "", "subject_type": "enterprise"}

            """)
        var stream = try ProfileStream(files: [first, second], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 3)
        #expect(rejects.count == 2)
        #expect(rejects[0].file == second.relativePath)
        #expect(rejects[0].line == 2)
        #expect(rejects[0].field == "credit_code")
        #expect(rejects[0].reason == "统一社会信用代码重复: 与 \(first.relativePath) 第3行相同; 按先出现的那一行评估, 本行未评估 (the earlier row is the one evaluated)")
        // A row rejected for another reason is not a duplicate, and does not claim its code.
        #expect(rejects[1].reason == "企业名称(name): 缺少必填值")
        #expect(stream.counts.map(\.read) == [2, 3])
        #expect(stream.counts.map(\.rejected) == [0, 2])
    }

    @Test func jsonLinesValidationAndUnknownKeys() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let text = """
            {"统一社会信用代码": "\(code1)", "企业名称": "宝安", "主体类型": "企业", "从业人数": 12, "高新技术企业": true, "标签": ["a"]}
            {"credit_code": "\(code2)", "name": "新安", "subject_type": "individual", "employes": 3, "注册资本": 5}
            not json

            """
        let url = try dir.write("a.jsonl", text)
        var strict = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&strict)
        #expect(profiles.count == 1)
        #expect(profiles.first?[schema.index(of: "employees") ?? -1] == .integer(12))
        #expect(profiles.first?[schema.index(of: "tags") ?? -1] == .list(["a"]))
        #expect(rejects.map(\.line) == [2, 3])
        #expect(rejects[0].field == "employes;注册资本")
        #expect(rejects[0].reason.contains("未知字段'employes': schema中没有这个字段名、标签或别名, 是否应为'employees'?"))
        #expect(rejects[0].creditCode == code2)
        #expect(rejects[1].reason.hasPrefix("JSON格式错误"))
        #expect(rejects[1].raw == "not json")

        var lenient = try ProfileStream(files: [url], schema: schema, allowExtra: true)
        let (accepted, _) = try drain(&lenient)
        #expect(accepted.count == 2)
        #expect(lenient.warnings.count == 2)
        #expect(lenient.warnings.allSatisfy { $0.severity == .warning && $0.line == 2 })
    }

    @Test func jsonValuesAreCoercedLikeCells() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.ndjson", """
            {"credit_code": " \(code1.lowercased()) ", "name": "\\u5b9d\\u5b89", "subject_type": "企业", "employees": 12.0, "revenue": "1,234.5", "high_tech": 1, "street": null, "tags": ["a", " ", 3]}
            {"credit_code": "\(code2)", "name": "新安", "subject_type": ["enterprise"], "employees": true, "street": {"x": 1}, "tags": [["nested"]]}
            {"credit_code": "\(ProfileFixtures.creditCode(7))", "name": "西乡", "subject_type": "market", "名称": "重复"}

            """)
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 1)
        let profile = try #require(profiles.first)
        #expect(profile.text("credit_code", in: schema) == code1)
        #expect(profile.text("name", in: schema) == "宝安")
        #expect(profile[schema.index(of: "employees") ?? -1] == .integer(12))
        #expect(profile[schema.index(of: "revenue") ?? -1] == .decimal(1234.5))
        #expect(profile[schema.index(of: "high_tech") ?? -1] == .boolean(true))
        #expect(profile[schema.index(of: "street") ?? -1] == nil)
        #expect(profile[schema.index(of: "tags") ?? -1] == .list(["a", "3"]))
        #expect(rejects.map(\.line) == [2, 3])
        #expect(rejects[0].field == "subject_type;street;employees;tags")
        #expect(rejects[0].reason == [
            "主体类型(subject_type): '[\"enterprise\"]' 不应为数组",
            "街道(street): '{\"x\": 1}' 不应为JSON对象",
            "从业人数(employees): 'true' 不是整数",
            "标签(tags): '[[\"nested\"]]' 列表元素应为文本",
        ].joined(separator: "; "))
        #expect(rejects[1].reason == "键'name'和'名称'都对应字段企业名称(name)")
    }

    @Test func gb18030FilesThroughTheStream() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("gbk.csv", bytes: try EncodingFixtures.gb18030(
            "统一社会信用代码,企业名称,主体类型\r\n92440300MA5H00001C,深圳市宝安区惠企科技有限公司,个体工商户\r\n"))
        var stream = try ProfileStream(files: [url], schema: schema, encoding: .gbk)
        let (profiles, _) = try drain(&stream)
        #expect(profiles.first?.text("name", in: schema) == "深圳市宝安区惠企科技有限公司")
        #expect(profiles.first?.text("subject_type", in: schema) == "individual")
        #expect(stream.counts.first?.encoding == .gb18030)
    }

    /// A GBK export run with `--encoding utf-8`, or a UTF-8 one with `--encoding gbk`, was a list
    /// of every column as unknown, in mojibake, each suggesting --allow-extra (usability review):
    /// the header reads right in the other encoding, so say that, once.
    @Test func aHeaderThatReadsInTheOtherEncodingNamesIt() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let text = "统一社会信用代码,企业名称,主体类型\r\n92440300MA5H00001C,深圳市宝安区惠企科技有限公司,个体工商户\r\n"
        let gbk = try dir.write("gbk.csv", bytes: try EncodingFixtures.gb18030(text))
        let utf8 = try dir.write("utf8.csv", text)
        for (url, given, other) in [(gbk, InputEncoding.utf8, "gb18030"), (utf8, .gbk, "utf-8"), (utf8, .gb18030, "utf-8")] {
            do {
                _ = try ProfileStream(files: [url], schema: schema, encoding: given)
                Issue.record("\(given): the header was accepted")
            } catch let list as DiagnosticList {
                #expect(list.diagnostics.count == 1, "\(list.diagnostics)")
                let message = list.diagnostics.first?.description ?? ""
                #expect(message.contains("--encoding \(other)") && message.contains(url.lastPathComponent), "\(message)")
                #expect(!message.contains("未知列"), "\(message)")
            }
        }
        // A header that is wrong in both encodings keeps its own problems.
        let unknown = try dir.write("unknown.csv", "统一社会信用代码,企业名称,主体类型,从业人员\n")
        #expect { try ProfileStream(files: [unknown], schema: schema, encoding: .utf8) } throws: { error in
            (error as? DiagnosticList)?.diagnostics.contains { $0.description.contains("未知列'从业人员'") } == true
        }
    }

    @Test func cannotStartProblemsAreThrownTogetherBeforeAnyRow() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let good = try dir.write("good.csv", "credit_code,name,subject_type\n\(code1),宝安,企业\n")
        let badHeader = try dir.write("bad.csv", "credit_code,name,subject_type,从业人员\n")
        let empty = try dir.write("empty.csv", "")
        let excel = try dir.write("list.xlsx", "")
        let error = #expect(throws: DiagnosticList.self) {
            try ProfileStream(files: [good, badHeader, empty, excel, dir.file("absent.csv"), good], schema: schema)
        }
        let messages = error?.diagnostics.map(\.description) ?? []
        #expect(messages.count == 5)
        #expect(messages.contains { $0.contains("bad.csv:1: 未知列'从业人员'") })
        #expect(messages.contains { $0.contains("empty.csv: the file is empty") })
        #expect(messages.contains { $0.contains("list.xlsx: unsupported file type '.xlsx'") && $0.contains("另存为 CSV UTF-8") })
        #expect(messages.contains { $0.contains("absent.csv: cannot open") })
        #expect(messages.contains { $0.contains("the same file is given twice") })
    }

    @Test func allowExtraIgnoresUnknownColumnsWithAWarning() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", "credit_code,name,subject_type,备注\n\(code1),宝安,企业,随便\n")
        var stream = try ProfileStream(files: [url], schema: schema, allowExtra: true)
        // The fixture's `employees` has a default and no column here: that warning comes too.
        // So do the optional fields every business lacks.
        #expect(stream.warnings.map(\.description).prefix(2) == ["\(url.relativePath):1: warning: 第4列'备注'不是schema中的字段, 已忽略 (unknown column ignored)",
                                                                  "\(url.relativePath):1: warning: 没有这些字段的列, 每家企业都取 schema 中的默认值 (no column; every row takes the default): 从业人数(employees) = 0"])
        #expect(stream.warnings.count == 3 && stream.warnings[2].message.contains("每家企业都缺少"))
        let (profiles, rejects) = try drain(&stream)
        #expect(profiles.count == 1)
        #expect(rejects.isEmpty)
    }

    @Test func undecodableBytesAndBrokenQuotesDoNotStopTheFile() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let bytes = Array("credit_code,name,subject_type\n\(code1),宝安,企业\n\(code2),新".utf8) + [0xFF]
            + Array("安,个体户\n\(ProfileFixtures.creditCode(3)),\"西乡,市场\n".utf8)
        let url = try dir.write("a.csv", bytes: bytes)
        var stream = try ProfileStream(files: [url], schema: schema, encoding: .utf8)
        let (profiles, rejects) = try drain(&stream)
        // A row with undecodable bytes is rejected (data-administrator review: it was read, its
        // name "新�安" went onto the lists, and only the file's first such line was named).
        #expect(profiles.map { $0.text("name", in: schema) } == ["宝安"])
        #expect(rejects.map(\.line) == [3, 4])
        #expect(rejects.first?.reason.hasPrefix("含无法按utf-8解码的字节") == true)
        #expect(rejects.first?.creditCode == code2)
        #expect(rejects.last?.reason.hasPrefix("引号未闭合") == true)
        // A record that cannot be split keeps the code written before its quote (explain finds it).
        #expect(rejects.last?.creditCode == ProfileFixtures.creditCode(3))
        let warning = try #require(stream.warnings.first { $0.message.contains("无法按") })
        #expect(warning.severity == .warning)
        #expect(warning.line == 3)
        #expect(warning.message.hasPrefix("1处字节无法按utf-8解码, 含这些字节的行已拒收"))
    }

    /// Data review: in a ratio column written in per cent without the sign, `3` was rejected with a
    /// hint, but `0.8` beside it was read as 80% with nothing said. The file's end now warns, in
    /// CSV and JSON Lines.
    @Test func aRatioColumnWithBarePercentagesIsWarnedAbout() throws {
        let schema = try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml"))
        let dir = try TemporaryDirectory()
        let (c1, c2, c3) = (ProfileFixtures.creditCode(1), ProfileFixtures.creditCode(2), ProfileFixtures.creditCode(3))
        let csv = try dir.write("a.csv", "统一社会信用代码,企业名称,主体类型,上年度裁员率\n\(c1),甲,企业,0.8\n\(c2),乙,企业,3\n\(c3),丙,企业,12\n")
        let jsonl = try dir.write("b.jsonl", "{\"credit_code\":\"\(c1)\",\"name\":\"甲\",\"subject_type\":\"企业\",\"layoff_rate\":5}\n")
        for url in [csv, jsonl] {
            var stream = try ProfileStream(files: [url], schema: schema, encoding: .utf8)
            let (profiles, rejects) = try drain(&stream)
            let warning = try #require(stream.warnings.first { $0.message.contains("不带 % 的百分数") }, "\(stream.warnings)")
            #expect(warning.line == (url == csv ? 3 : 1))
            #expect(warning.message.hasPrefix("上年度裁员率有\(rejects.count)个值像是不带 % 的百分数"), "\(warning.message)")
            #expect(profiles.count == (url == csv ? 1 : 0))
        }
        // Ratios written as fractions or with the sign: no warning.
        let clean = try dir.write("c.csv", "统一社会信用代码,企业名称,主体类型,上年度裁员率\n\(c1),甲,企业,0.8\n\(c2),乙,企业,3%\n")
        var stream = try ProfileStream(files: [clean], schema: schema, encoding: .utf8)
        _ = try drain(&stream)
        #expect(!stream.warnings.contains { $0.message.contains("百分数") })
    }

    /// GBK rows pasted into a UTF-8 export: every one of them is a reject with its line, in CSV and
    /// JSON Lines; the clean rows around them are read.
    @Test func everyRowWithUndecodableBytesIsARejectWithItsLine() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let gbk: [UInt8] = [0xB1, 0xA6, 0xB0, 0xB2]  // 宝安 in GBK
        let codes = (1...5).map { ProfileFixtures.creditCode($0) }
        var csv = Array("credit_code,name,subject_type\n".utf8)
        var jsonl: [UInt8] = []
        for (i, code) in codes.enumerated() {
            let name = i % 2 == 1 ? gbk : Array("新安".utf8)
            csv += Array("\(code),".utf8) + name + Array(",企业\n".utf8)
            jsonl += Array("{\"credit_code\":\"\(code)\",\"name\":\"".utf8) + name + Array("\",\"subject_type\":\"企业\"}\n".utf8)
        }
        for (file, bytes, lines) in [("a.csv", csv, [3, 5]), ("a.jsonl", jsonl, [2, 4])] {
            var stream = try ProfileStream(files: [try dir.write(file, bytes: bytes)], schema: schema, encoding: .utf8)
            let (profiles, rejects) = try drain(&stream)
            #expect(profiles.count == 3, "\(file)")
            #expect(rejects.map(\.line) == lines, "\(file)")
            #expect(rejects.map(\.creditCode) == [codes[1], codes[3]], "\(file)")
            #expect(rejects.allSatisfy { $0.reason.contains("可能是另一种编码 (如 GBK)") }, "\(file)")
        }
    }

    @Test func rawTextOfARejectIsCutTo500Characters() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", "credit_code,name,subject_type\nbad,\(String(repeating: "长", count: 700)),企业\n")
        var stream = try ProfileStream(files: [url], schema: schema)
        let (_, rejects) = try drain(&stream)
        #expect(rejects.first?.raw?.count == 500)
        #expect(rejects.first?.raw?.hasPrefix("bad,长长") == true)
    }
}
