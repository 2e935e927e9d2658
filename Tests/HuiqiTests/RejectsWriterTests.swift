import Foundation
import Huiqi
import TestSupport
import Testing

@Suite struct RejectsWriterTests {
    @Test func writesChineseHeadersWithBomAndOneRowPerReject() throws {
        let dir = try TemporaryDirectory()
        let url = dir.file("rejects.csv")
        let writer = try RejectsWriter(url: url)
        try writer.write(Reject(file: "samples.csv", line: 12, field: "employees", reason: "从业人数(employees): '12.5' 不是整数",
                                creditCode: "91350100M000100Y43", raw: "91350100M000100Y43,宝安,\"12.5\""))
        try writer.write(Reject(file: "b.jsonl", line: 3, reason: "JSON格式错误: x", raw: "=cmd|' /C calc'!A0"))
        try writer.close()
        #expect(writer.count == 2)

        let bytes = try [UInt8](Data(contentsOf: url))
        #expect(Array(bytes.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let reader = try CSVReader(url: url)
        var rows: [[String]] = []
        while let record = try reader.next() { rows.append(record.cells) }
        #expect(rows == [
            ["文件", "行号", "统一社会信用代码", "字段", "原因", "原始内容"],
            ["samples.csv", "12", "91350100M000100Y43", "employees", "从业人数(employees): '12.5' 不是整数",
             "91350100M000100Y43,宝安,\"12.5\""],
            ["b.jsonl", "3", "", "", "JSON格式错误: x", "'=cmd|' /C calc'!A0"],
        ])
    }
}
