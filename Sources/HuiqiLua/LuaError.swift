import Foundation

/// An error raised by Lua code or by the limits, split into message and traceback.
public struct LuaError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The chunk does not compile.
        case syntax
        /// `error(...)` or a runtime fault in Lua code.
        case runtime
        /// The state hit its memory cap.
        case memory
        /// The evaluation ran out of its instruction budget.
        case budget
        /// The message handler itself failed.
        case handler
    }

    public var kind: Kind
    /// First line(s) of the error, e.g. `Rules/x.lua:12: attempt to index a nil value`.
    public var message: String
    /// Lua's `stack traceback:` text, when one was taken.
    public var traceback: String?
    /// A non-string error object, copied.
    public var value: LuaValue?

    public init(kind: Kind, message: String, traceback: String? = nil, value: LuaValue? = nil) {
        self.kind = kind
        self.message = LuaError.hint(for: message).map { message + " " + $0 } ?? message
        self.traceback = traceback
        self.value = value
    }

    /// Splits `luaL_traceback` output into message and traceback.
    public init(kind: Kind, rawMessage: String) {
        if let range = rawMessage.range(of: "\nstack traceback:") {
            self.init(kind: kind, message: String(rawMessage[..<range.lowerBound]),
                      traceback: String(rawMessage[range.lowerBound...].dropFirst()))
        } else {
            self.init(kind: kind, message: rawMessage)
        }
    }

    /// `file:line` of the message's first location, when it starts with one (`path.lua:12: …`).
    public var location: (file: String, line: Int)? { LuaError.location(in: message) }

    public static func location(in message: String) -> (file: String, line: Int)? {
        // "Rules/a.lua:12: text" — find ".lua:" followed by digits and ':'.
        guard let r = message.range(of: ".lua:") else { return nil }
        let file = String(message[..<r.lowerBound]) + ".lua"
        let digits = message[r.upperBound...].prefix { $0.isNumber }
        guard let line = Int(digits) else { return nil }
        return (file, line)
    }

    public var description: String { message }

    /// The traceback's lines a rule's author can act on: the frames in the bundle's files, without
    /// the engine's own (`engine:`, `driver:`, `sandbox:`, C functions such as `xpcall`), and with
    /// Lua's "in field 'integer index'" (a function the engine keeps in a list: a condition, an
    /// amount or a score function) said plainly; the frame's line tells which.
    /// Empty when no rule frame is left. The log keeps the whole traceback.
    public static func readableTraceback(_ traceback: String) -> [String] {
        var frames: [String] = []
        for raw in traceback.split(separator: "\n").dropFirst() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if ["engine:", "driver:", "sandbox:", "[C]:", "(...tail calls...)"].contains(where: line.hasPrefix) || !line.contains(".lua:") { continue }
            frames.append(line.replacingOccurrences(of: "in field 'integer index'", with: "in a function of the rule (a condition, the amount or the score)"))
        }
        return frames.isEmpty ? [] : ["stack traceback:"] + frames.map { "  " + $0 }
    }

    /// A hint in plain words for the mistakes analysts make most, whose Lua messages do not say
    /// what to do (analyst review): `=` for `==`, a Chinese name outside quotes, a bare `%` in
    /// `string.format`, text compared with a number, a nil in a comparison or a sum.
    public static func hint(for message: String) -> String? {
        guard !message.contains("(提示:") else { return nil }  // already hinted
        if message.contains("expected near '='"), ["'then'", "'end'", "')'", "'}'", "'do'"].contains(where: message.contains) {
            return "(提示: 比较是否相等请用 ==, = 只用于赋值; use == to compare)"
        }
        // Lua names only the first byte of a character it cannot read: its lead byte tells full-
        // width punctuation (`，` `＞` `（`, U+FFxx), curly quotes and dashes (U+20xx), a full-width
        // space or `。、【】` (U+30xx) and a no-break space (U+00A0, pasted from a web page) apart
        // from a Chinese name (analyst review: all got the hint for a name).
        if message.contains("near '<\\239>'") {
            return "(提示: 代码中有全角字符, 如 ，＞＝（）；: 引号外请用半角 , > = ( ) ; 切换到英文输入法; full-width punctuation outside quotes: type it in ASCII)"
        }
        if message.contains("near '<\\226>'") {
            return "(提示: 代码中有中文引号或标点, 如 “ ” ‘ ’ — …: 字符串请用半角引号 \" 或 '; curly quotes or a dash outside quotes: use \" or ')"
        }
        if message.contains("near '<\\227>'") {
            return "(提示: 代码中有全角空格或中文标点, 如 　。、【】: 引号外请用半角空格和标点; a full-width space or punctuation outside quotes)"
        }
        if message.contains("near '<\\194>'") {
            return "(提示: 代码中有不换行空格 (从网页或文档复制来的?): 请改为普通空格; a no-break space: retype it as a plain space)"
        }
        if message.contains("near '<\\") {
            return "(提示: 名字只能用英文字母、数字和下划线; 字段请用英文名如 p.employees, 中文写在引号里; names are ASCII, Chinese text goes in quotes)"
        }
        // A table's items run on where a comma is left out: Lua wants the table closed at the next
        // item (`'}' expected near '{'`), on the line after the missing comma (analyst review).
        if message.contains("'}' expected"), !message.contains("near '='"), !message.contains("near <eof>") {
            return "(提示: 表中两项之间是否漏了逗号? 看这一项之前, 常在上一行末尾; a comma missing between two items, just before this one?)"
        }
        // Lua says just "syntax error" for an expression standing as a statement: in a rule, a
        // condition's test written without `return` (`function(p) p.employees > 1 end`).
        if message.contains(": syntax error near ") {
            return "(提示: 这一行的表达式不是语句: 是否漏写了 return? 如 function(p) return p.employees > 1 end; an expression alone is not a statement: did you forget `return`?)"
        }
        if message.contains("invalid conversion '%"), message.contains("to 'format'") {
            return "(提示: string.format 的文本中, 百分号请写成 %%; write %% for a percent sign)"
        }
        if message.contains("attempt to compare string with number") || message.contains("attempt to compare number with string") {
            return "(提示: 一边是文本, 一边是数字: 文本字段请与带引号的文本比较, 目录参数请写成数字, 如 500000 而不是 50万)"
        }
        if message.contains("attempt to compare nil with") || message.contains("attempt to compare") && message.hasSuffix("with nil") {
            return "(提示: 比较的一边是 nil: 参数名、局部变量名或模块函数名是否写错?)"
        }
        if message.contains("attempt to call a nil value (field '") || message.contains("attempt to call a nil value (global '") {
            return "(提示: 没有这个函数: 函数名或模块中的名字是否写错? 模块的函数见 Rules/lib 中该文件)"
        }
        if message.contains("attempt to perform arithmetic on a nil value") {
            return "(提示: 参与计算的值是 nil: 参数名或局部变量名是否写错?)"
        }
        // `ctx.params.relief_months * 2` with `relief_months: "3个月"` in the catalog: Lua converts
        // "3" but not "3个月" (first-day review: the raw Lua message, and nothing named the param).
        if (message.contains("attempt to ") && message.contains("with a 'string'")) || message.contains("attempt to perform arithmetic on a string value")
            || (message.contains("attempt to ") && message.contains("a 'string' with")) {
            return "(提示: 参与计算的值是文本, 不是数字: 目录参数是否写了单位? 如 \"3个月\" 应写 3, \"50万\" 应写 500000 (huiqi check 会指出); a text in arithmetic: a catalog param written with a unit?)"
        }
        return nil
    }
}
