extension LuaSourceScanner {
    /// The module names `source` passes to `require` as a string literal (`require("baoan")`,
    /// `require "baoan"`, `require 'x.y'`), in order of first use; nil when `require` is used in
    /// any other way (`require(name)`, `local r = require`): then which modules the code loads
    /// cannot be read from it. Comments and strings are passed over, and so are `x.require` and
    /// `x:require`. `builtins` names functions that load a module themselves (`scale_of` loads
    /// `sme_scale`): a use of one counts as requiring its module.
    ///
    /// What a rule's decisions depend on besides its own file (log v9, `LoggedRule.modules`): a
    /// caller that gets nil takes every module as required, so a change is never missed.
    public static func requiredModules(in source: String, builtins: [String: String] = [:]) -> [String]? {
        // Comments blank, a string's opening quote kept: blank space between `require` and its
        // literal is spaces or comments, whatever quotes a comment holds (code review: `require(
        // -- Bao'an's …` read the module 'an').
        let original = Array(source.utf8), code = blankCommentsAndStrings(source, keepingQuotes: true)
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        func skipBlanks(_ k: inout Int) { while k < code.count, code[k] == 32 || code[k] == 9 || code[k] == 10 || code[k] == 13 { k += 1 } }
        var names: [String] = []
        var i = 0
        // Where a name starts: not inside a word, nor after `.` or `:` (a field or method), but
        // after `..` (a concatenation: `"规模 "..scale_of(p)`; code review).
        func nameStarts(at i: Int) -> Bool {
            guard isWord(code[i]) else { return false }
            guard i > 0 else { return true }
            let before = code[i - 1]
            if isWord(before) || before == 58 { return false }
            return before != 46 || (i > 1 && code[i - 2] == 46)
        }
        while i < code.count {
            defer { i += 1 }
            guard nameStarts(at: i) else { continue }
            var end = i
            while end < code.count, isWord(code[end]) { end += 1 }
            if !builtins.isEmpty, let module = builtins[String(decoding: code[i..<end], as: UTF8.self)] {
                if !names.contains(module) { names.append(module) }
                i = end - 1
                continue
            }
            guard end - i == 7, starts(code, "require", at: i) else {
                i = end - 1
                continue
            }
            var k = i + 7
            skipBlanks(&k)
            if k < code.count, code[k] == 40 {  // (
                k += 1
                skipBlanks(&k)
            }
            // A short string literal without escapes: what a module name is written as.
            guard k < code.count, code[k] == 34 || code[k] == 39 else { return nil }
            end = k + 1
            while end < original.count, original[end] != original[k], original[end] != 10, original[end] != 92 { end += 1 }
            guard end < original.count, original[end] == original[k] else { return nil }
            let name = String(decoding: original[(k + 1)..<end], as: UTF8.self)
            if !names.contains(name) { names.append(name) }
            i = end
        }
        return names
    }
}
