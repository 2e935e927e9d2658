@testable import Huiqi
import Testing

@Suite struct JSONLineParserTests {
    /// A readable form of each member: `key=kind:text`.
    private func members(_ line: String) throws -> [String] {
        let parser = JSONLineParser()
        var bytes = Array(line.utf8)
        return try bytes.withUnsafeMutableBufferPointer { buffer throws(JSONLineParser.SyntaxError) -> [String] in
            let line = UnsafeBufferPointer(buffer)
            var out: [String] = []
            try parser.begin(line)
            while let (key, value) = try parser.nextMember() {
                let name = String(decoding: key, as: UTF8.self)
                switch value {
                case .text(let text): out.append("\(name)=text:\(String(decoding: text, as: UTF8.self))")
                case .number(let text): out.append("\(name)=number:\(String(decoding: text, as: UTF8.self))")
                case .boolean(let flag, _): out.append("\(name)=bool:\(flag)")
                case .null: out.append("\(name)=null")
                case .array(let items, let raw):
                    out.append("\(name)=array:\(items.map { $0.joined(separator: "|") } ?? "nil"):\(String(decoding: raw, as: UTF8.self))")
                case .object(let raw): out.append("\(name)=object:\(String(decoding: raw, as: UTF8.self))")
                }
            }
            return out
        }
    }

    private func syntaxError(_ line: String) -> JSONLineParser.SyntaxError? {
        do {
            _ = try members(line)
            return nil
        } catch let error as JSONLineParser.SyntaxError {
            return error
        } catch {
            return nil
        }
    }

    @Test func everyKindOfValue() throws {
        #expect(try members(#" { "a" : "宝安", "b": -1.5e3, "c": true, "d": false, "e": null, "f": [ "x", 2, null ], "g": {"h": [1, {"i": []}]} } "#) == [
            "a=text:宝安", "b=number:-1.5e3", "c=bool:true", "d=bool:false", "e=null",
            "f=array:x|2:[ \"x\", 2, null ]", "g=object:{\"h\": [1, {\"i\": []}]}",
        ])
        #expect(try members("{}") == [])
        #expect(try members(#"{"t": [true, "a"]}"#) == ["t=array:nil:[true, \"a\"]"])
    }

    @Test func escapesAreDecoded() throws {
        #expect(try members(#"{"k\"1": "a\\b\/c\n\t\u5B9D\u5b89 \ud83d\ude00"}"#) == ["k\"1=text:a\\b/c\n\t宝安 😀"])
        // An escaped key keeps its own buffer while the value is unescaped.
        #expect(try members(#"{"\u540d": "\u503c", "b": "x"}"#) == ["名=text:值", "b=text:x"])
    }

    @Test func syntaxErrorsSayWhereAndWhat() {
        let cases: [(String, Int, String)] = [
            (#"[1, 2]"#, 0, "不是JSON对象"),
            (#"{"a": 1,}"#, 8, "期望键"),
            (#"{"a" 1}"#, 5, "期望':'"),
            (#"{"a": 01}"#, 6, "数字不能以0开头"),
            (#"{"a": 1.}"#, 6, "小数点后应有数字"),
            (#"{"a": tru}"#, 6, "期望'true'"),
            (#"{"a": "x}"#, 6, "字符串没有结束引号"),
            (#"{"a": "\q"}"#, 7, "无效的转义序列"),
            (#"{"a": "\ud800"}"#, 13, "代理对不完整"),
            (#"{"a": 1} x"#, 9, "对象结束后还有多余内容"),
            ("{\"a\": \"tab\there\"}", 10, "未转义的控制字符"),
        ]
        for (line, offset, message) in cases {
            let error = syntaxError(line)
            #expect(error?.offset == offset, "\(line)")
            #expect(error?.message.contains(message) == true, "\(line): \(error?.message ?? "no error")")
        }
    }

    @Test func deepNestingIsRefused() {
        let line = "{\"a\": " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100) + "}"
        #expect(syntaxError(line)?.message.contains("嵌套超过64层") == true)
    }

    @Test func longStringsCrossTheWordAtATimeScan() throws {
        let long = String(repeating: "宝安区abc", count: 50)
        #expect(try members("{\"a\": \"\(long)\", \"b\": \"\(long)\\\"q\"}") == ["a=text:\(long)", "b=text:\(long)\"q"])
    }
}
