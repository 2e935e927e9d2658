import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct JSONLinesReaderTests {
    private func read(_ text: String, chunkSize: Int = 1 << 20, maxRecordBytes: Int = 1 << 20)
        throws -> [(line: Int, object: [String: Any]?, problem: String?, text: String)] {
        let dir = try TemporaryDirectory()
        let url = try dir.write("input.jsonl", text)
        let reader = try JSONLinesReader(url: url, path: "input.jsonl", encoding: .auto, chunkSize: chunkSize,
                                         maxRecordBytes: maxRecordBytes)
        var lines: [(Int, [String: Any]?, String?, String)] = []
        while let line = try reader.next() {
            lines.append((line.line, line.object, line.problem, reader.lastRecordText()))
        }
        return lines
    }

    @Test func objectsWithLineNumbersAndBlankLinesSkipped() throws {
        let lines = try read("{\"name\": \"宝安\", \"employees\": 12}\n\n   \r\n{\"name\": \"新安\", \"tags\": [\"a\"]}\r\n{\"x\": null}")
        #expect(lines.map(\.line) == [1, 4, 5])
        #expect(lines[0].object?["name"] as? String == "宝安")
        #expect(lines[0].object?["employees"] as? Int == 12)
        #expect(lines[1].object?["tags"] as? [String] == ["a"])
        #expect(lines[2].object?["x"] is NSNull)
        #expect(lines[1].text == "{\"name\": \"新安\", \"tags\": [\"a\"]}")
        #expect(lines.allSatisfy { $0.problem == nil })
    }

    @Test func malformedLineIsReportedWithTheParserCause() throws {
        let lines = try read("{\"a\": 1}\n{\"a\": }\n{\"a\": 2}\n")
        #expect(lines.count == 3)
        #expect(lines[1].line == 2)
        #expect(lines[1].object == nil)
        let problem = try #require(lines[1].problem)
        #expect(problem.hasPrefix("JSON格式错误: "))
        #expect(problem.count > "JSON格式错误: ".count)
        #expect(lines[1].text == "{\"a\": }")
        #expect(lines[2].object?["a"] as? Int == 2)
    }

    @Test func nonObjectsAreProblems() throws {
        let lines = try read("[1, 2]\n\"text\"\n")
        #expect(lines.map(\.problem?.isEmpty) == [false, false])
        #expect(lines[0].problem?.hasPrefix("不是JSON对象") == true)
    }

    @Test func chunkBoundariesDoNotChangeTheResult() throws {
        let text = "{\"name\": \"宝安区😀\"}\n{\"n\": 1}\n"
        for chunkSize in 1...9 {
            let lines = try read(text, chunkSize: chunkSize)
            #expect(lines.count == 2)
            #expect(lines.first?.object?["name"] as? String == "宝安区😀")
        }
    }

    @Test func overlongLineIsSkipped() throws {
        let long = "{\"a\": \"" + String(repeating: "x", count: 5000) + "\"}"
        let lines = try read("{\"a\": 1}\n\(long)\n{\"a\": 3}\n", chunkSize: 128, maxRecordBytes: 1024)
        #expect(lines.map(\.line) == [1, 2, 3])
        #expect(lines[1].problem?.hasPrefix("行超过1 KiB") == true)
        #expect(lines[2].object?["a"] as? Int == 3)
    }

    /// As in CSV: a Ctrl-Z ending the file is a DOS end-of-file mark, not a line.
    @Test func ctrlZEndingTheFileIsDropped() throws {
        for chunkSize in [1, 3, 1 << 20] {
            let lines = try read("{\"a\": 1}\n{\"a\": 2}\u{1A}", chunkSize: chunkSize)
            #expect(lines.map(\.line) == [1, 2], "chunk size \(chunkSize)")
            #expect(lines.allSatisfy { $0.problem == nil })
            #expect(try read("{\"a\": 1}\r\n\u{1A}", chunkSize: chunkSize).count == 1)
        }
    }
}
