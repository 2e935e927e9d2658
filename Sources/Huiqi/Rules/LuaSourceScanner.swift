/// Finds profile-field and param reads in Lua source without running it, for `huiqi check`.
///
/// It blanks out comments and string literals (keeping line breaks), takes the first parameter
/// name of every `function (p, …)` as a profile variable, and reports each `p.name` with its line.
/// `ctx.params.name` reads are reported too. This catches typos in branches tests never reach;
/// reads through other aliases are still caught at run time by the strict profile.
public enum LuaSourceScanner {
    public struct Read: Sendable, Equatable {
        public var name: String
        public var line: Int
    }

    /// Fields named in quotes: `p["name"]`, `profile["name"]` and `has(p, "name")` (analyst review:
    /// check saw only `p.name`, so a misspelt or Chinese name in quotes failed at run time).
    public static func quotedFieldReads(in source: String) -> [Read] {
        let original = Array(source.utf8), code = blankCommentsAndStrings(source)
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        func starts(_ text: StaticString, at i: Int) -> Bool { LuaSourceScanner.starts(code, text, at: i) }
        func skipBlanks(_ k: inout Int) { while k < code.count, code[k] == 32 || code[k] == 9 { k += 1 } }
        // The quoted text starting at `k` in `original` (no escapes), and the index after it.
        func quoted(at k: Int) -> (String, Int)? {
            guard k < original.count, original[k] == 34 || original[k] == 39 else { return nil }
            var end = k + 1
            while end < original.count, original[end] != original[k], original[end] != 10, original[end] != 92 { end += 1 }
            guard end < original.count, original[end] == original[k] else { return nil }
            return (String(decoding: original[(k + 1)..<end], as: UTF8.self), end + 1)
        }
        var out: [Read] = []
        var line = 1
        for i in code.indices {
            if code[i] == 10 { line += 1; continue }
            guard i == 0 || !(isWord(code[i - 1]) || code[i - 1] == 46 || code[i - 1] == 58) else { continue }
            var k: Int
            if starts("profile", at: i) { k = i + 7 } else if starts("p", at: i) { k = i + 1 } else if starts("has", at: i) {
                k = i + 3
                skipBlanks(&k)
                guard k < code.count, code[k] == 40 else { continue }  // (
                k += 1
                skipBlanks(&k)
                guard starts("p", at: k) || starts("profile", at: k) else { continue }
                k += starts("profile", at: k) ? 7 : 1
                skipBlanks(&k)
                guard k < code.count, code[k] == 44 else { continue }  // ,
                k += 1
                while k < original.count, original[k] == 32 || original[k] == 9 { k += 1 }
                if let (name, after) = quoted(at: k), after < code.count {
                    var close = after
                    skipBlanks(&close)
                    if close < code.count, code[close] == 41 { out.append(Read(name: name, line: line)) }  // )
                }
                continue
            } else {
                continue
            }
            guard k < code.count, !isWord(code[k]) else { continue }
            skipBlanks(&k)
            guard k < code.count, code[k] == 91 else { continue }  // [
            k += 1
            while k < original.count, original[k] == 32 || original[k] == 9 { k += 1 }
            if let (name, after) = quoted(at: k) {
                var close = after
                skipBlanks(&close)
                if close < code.count, code[close] == 93 { out.append(Read(name: name, line: line)) }  // ]
            }
        }
        return out
    }

    /// Lines that call the global `print` (debugging left in a rule; not `x.print(…)`).
    public static func printCalls(in source: String) -> [Int] {
        let tokens = tokenize(blankCommentsAndStrings(source))
        var lines: [Int] = []
        for i in tokens.indices where tokens[i].text == "print" && i + 1 < tokens.count && (tokens[i + 1].text == "(" || tokens[i + 1].text == "{")
            && (i == 0 || (tokens[i - 1].text != "." && tokens[i - 1].text != ":" && tokens[i - 1].text != "function" && tokens[i - 1].text != "local")) {
            lines.append(tokens[i].line)
        }
        return lines
    }

    /// Whether `code` holds `text` at `i`, without making arrays: the scanners ask at every byte of
    /// every rule file (allocating there cost ~40 ms of each run's start, callgrind).
    @inline(__always)
    static func starts(_ code: [UInt8], _ text: StaticString, at i: Int) -> Bool {
        let n = text.utf8CodeUnitCount
        guard i + n <= code.count else { return false }
        let t = text.utf8Start
        for k in 0..<n where code[i + k] != t[k] { return false }
        return true
    }

    /// Whether the source hands `ctx` or `ctx.params` to other code (`f(p, ctx)`, `local t =
    /// ctx.params` used with `[ ]`, `ctx.params[k]`), so that its param reads cannot all be seen.
    public static func passesParamsOn(_ source: String) -> Bool {
        let tokens = tokenize(blankCommentsAndStrings(source))
        var aliases = Set<String>()
        for i in tokens.indices where i + 4 < tokens.count && tokens[i + 1].text == "=" && tokens[i + 2].text == "ctx"
            && tokens[i + 3].text == "." && tokens[i + 4].text == "params" {
            aliases.insert(tokens[i].text)
        }
        // Tokens inside `function name(…)` parameter lists: declarations, not uses.
        var declared = Set<Int>()
        for (i, t) in tokens.enumerated() where t.text == "function" {
            var j = i + 1
            while j < tokens.count, tokens[j].text != "(", j - i < 8 { j += 1 }
            while j < tokens.count, tokens[j].text != ")" { declared.insert(j); j += 1 }
        }
        for i in tokens.indices {
            let t = tokens[i].text
            let next = i + 1 < tokens.count ? tokens[i + 1].text : ""
            let previous = i > 0 ? tokens[i - 1].text : ""
            if t == "ctx", !declared.contains(i), previous != ".", next != "." { return true }  // ctx as a value
            if t == "params", previous == ".", i >= 2, tokens[i - 2].text == "ctx", next != ".", next != "" {
                // `ctx.params` as a value: fine only as `local prm = ctx.params` (an alias).
                if !(i >= 4 && tokens[i - 3].text == "=" && aliases.contains(tokens[i - 4].text)) { return true }
            }
            if aliases.contains(t), previous != ".", next == "[" || next == ")" || next == "," { return true }
        }
        return false
    }

    /// Profile fields read as `p.field` (for every `p` that is a function's first parameter).
    public static func profileReads(in source: String) -> [Read] {
        let code = blankCommentsAndStrings(source)
        // Profile variables: `p`/`profile`, and the first parameter of any `function (x, ctx)`.
        var profileNames: Set<String> = ["p", "profile"]
        let tokens = tokenize(code)
        for (i, t) in tokens.enumerated() where t.text == "function" {
            var j = i + 1
            while j < tokens.count, tokens[j].text != "(", j - i < 8 { j += 1 }
            if j + 3 < tokens.count, tokens[j].text == "(", isIdentifier(tokens[j + 1].text), tokens[j + 2].text == ",",
               tokens[j + 3].text == "ctx" {
                profileNames.insert(tokens[j + 1].text)
            }
        }
        profileNames.remove("ctx")
        return fieldReads(tokens, bases: profileNames)
    }

    /// Params read as `ctx.params.name`, or as `prm.name` after `local prm = ctx.params` (the
    /// shipped rules' style). An alias name the file also gives any other value is left alone.
    public static func paramReads(in source: String) -> [Read] {
        let tokens = tokenize(blankCommentsAndStrings(source))
        var reads: [Read] = []
        var aliases = Set<String>(), reassigned = Set<String>()
        for i in tokens.indices where i + 1 < tokens.count && tokens[i + 1].text == "=" && isIdentifier(tokens[i].text)
            && (i + 2 >= tokens.count || tokens[i + 2].text != "=") && (i == 0 || tokens[i - 1].text != ".") {
            let isParams = i + 4 < tokens.count && tokens[i + 2].text == "ctx" && tokens[i + 3].text == "." && tokens[i + 4].text == "params"
                && (i + 5 >= tokens.count || tokens[i + 5].text != ".")
            if isParams { aliases.insert(tokens[i].text) } else { reassigned.insert(tokens[i].text) }
        }
        aliases.subtract(reassigned)
        var i = 0
        while i + 4 < tokens.count {
            if tokens[i].text == "ctx", tokens[i + 1].text == ".", tokens[i + 2].text == "params", tokens[i + 3].text == ".",
               isIdentifier(tokens[i + 4].text) {
                reads.append(Read(name: tokens[i + 4].text, line: tokens[i + 4].line))
                i += 5
            } else {
                i += 1
            }
        }
        reads += fieldReads(tokens, bases: aliases)
        return reads.sorted { ($0.line, $0.name) < ($1.line, $1.name) }
    }

    /// The params each name a lib module exports reads through a rule's ctx: `M.not_dishonest = {
    /// …, function(p, ctx) … ctx.params.exclude_dishonest … end }` → ["not_dishonest":
    /// [exclude_dishonest at its line]]. The module table is the name the file ends by returning
    /// (`return M`); a read belongs to the export defined last before it (`M.x =` or `function M.x`).
    /// Empty for a module that returns anything else (a function, as lib/sme_scale.lua does).
    public static func exportParamReads(in source: String) -> [String: [Read]] {
        let tokens = tokenize(blankCommentsAndStrings(source))
        guard tokens.count >= 2, tokens[tokens.count - 2].text == "return", isIdentifier(tokens[tokens.count - 1].text) else { return [:] }
        let table = tokens[tokens.count - 1].text
        var exports: [Read] = []
        for i in tokens.indices where tokens[i].text == table && i + 2 < tokens.count && tokens[i + 1].text == "." && isIdentifier(tokens[i + 2].text) {
            if i > 0, tokens[i - 1].text == "." || tokens[i - 1].text == ":" { continue }
            let defined = (i > 0 && tokens[i - 1].text == "function")
                || (i + 3 < tokens.count && tokens[i + 3].text == "=" && (i + 4 >= tokens.count || tokens[i + 4].text != "="))
            if defined { exports.append(Read(name: tokens[i + 2].text, line: tokens[i + 2].line)) }
        }
        var out: [String: [Read]] = [:]
        for read in paramReads(in: source) {
            guard let export = exports.last(where: { $0.line <= read.line }) else { continue }
            out[export.name, default: []].append(read)
        }
        return out
    }

    /// Names read from a module as `baoan.name` after `local baoan = require("baoan")`, with the
    /// module's name: a lib function renamed while rules still call the old name failed every
    /// business that reached the call, and check was clean (yearly-update review). An alias the
    /// file also gives another value, and assignments to a module's names, are left alone.
    /// `fails`: the value is called or indexed (`baoan.x(p)`, `baoan.x.y`, `baoan.x .. s`), which
    /// fails when the module lacks the name; a plain read gives nil (`baoan.x or default` is fine).
    public static func moduleReads(in source: String) -> [(module: String, read: Read, fails: Bool)] {
        var modules: [String: String] = [:]
        // The module name is a string literal, which the token scan blanks: read it from the source.
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let compact = line.filter { $0 != " " && $0 != "\t" }
            guard compact.hasPrefix("local"), let eq = compact.firstIndex(of: "=") else { continue }
            let alias = String(compact[compact.index(compact.startIndex, offsetBy: 5)..<eq])
            var rest = compact[compact.index(after: eq)...]
            guard isIdentifier(alias), rest.hasPrefix("require") else { continue }
            rest = rest.dropFirst("require".count)
            if rest.hasPrefix("(") { rest = rest.dropFirst() }
            guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            let name = rest.dropFirst().prefix { $0 != quote }
            if !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == ".") }) {
                modules[alias] = String(name)
            }
        }
        guard !modules.isEmpty else { return [] }
        let tokens = tokenize(blankCommentsAndStrings(source))
        // Bound once, by its `local … = require(…)`; any other assignment makes the alias unknown.
        var bindings: [String: Int] = [:]
        for i in tokens.indices where i + 1 < tokens.count && tokens[i + 1].text == "=" && modules[tokens[i].text] != nil
            && (i + 2 >= tokens.count || tokens[i + 2].text != "=") && (i == 0 || tokens[i - 1].text != ".") {
            bindings[tokens[i].text, default: 0] += 1
        }
        var out: [(module: String, read: Read, fails: Bool)] = []
        for i in 0..<max(0, tokens.count - 2) {
            guard let module = modules[tokens[i].text], bindings[tokens[i].text] == 1 else { continue }
            if i > 0, tokens[i - 1].text == "." || tokens[i - 1].text == ":" { continue }
            guard tokens[i + 1].text == ".", isIdentifier(tokens[i + 2].text) else { continue }
            let assigned = i + 3 < tokens.count && tokens[i + 3].text == "=" && (i + 4 >= tokens.count || tokens[i + 4].text != "=")
            let fails = i + 3 < tokens.count && ["(", "{", ".", ":", "["].contains(tokens[i + 3].text)
            if !assigned { out.append((module, Read(name: tokens[i + 2].text, line: tokens[i + 2].line), fails)) }
        }
        return out
    }

    /// Keys read as `ctx.key`: a rule's ctx has `as_of`, `service` and `params` only. None when the
    /// file binds the name `ctx` to anything but a function's second parameter (`function(p, ctx)`):
    /// a `local` or `for` name, another parameter position, an assignment (review: `local ctx, n =
    /// {label = …}`, `for _, ctx in …` and `local function label_of(ctx)` were errors, and `run`
    /// refused valid files). A table field named ctx (`{ ctx = … }`) binds nothing.
    public static func ctxReads(in source: String) -> [Read] {
        let tokens = tokenize(blankCommentsAndStrings(source))
        func text(_ i: Int) -> String { tokens.indices.contains(i) ? tokens[i].text : "" }
        /// The index of the token that starts the name list `ctx` at `i` is in (`local a, ctx`,
        /// `for k, ctx`, `(p, ctx`), and the names before it.
        func listStart(_ i: Int) -> (Int, Int) {
            var j = i - 1, names = 0
            while true {
                if text(j) == ">" && text(j - 2) == "<" { j -= 3; continue }  // an attribute: <const>
                guard text(j) == "," && isIdentifier(text(j - 1)) else { return (j, names) }
                names += 1
                j -= 2
            }
        }
        for i in tokens.indices where tokens[i].text == "ctx" && text(i - 1) != "." && text(i - 1) != ":" {
            let next = text(i + 1)
            if next == "." || next == "[" || next == ":" { continue }  // a use
            let (start, before) = listStart(i)
            let opener = text(start)
            if opener == "local" || opener == "for" { return [] }
            if opener == "(" {
                // A parameter list when `function` (and maybe a name) comes before the `(`.
                var k = start - 1
                while isIdentifier(text(k)) || text(k) == "." || text(k) == ":" { if text(k) == "function" { break }; k -= 1 }
                if text(k) == "function" || text(start - 1) == "function" {
                    if before != 1 { return [] }  // ctx, not second: the file's own ctx
                    continue
                }
            }
            // `ctx = …` as a statement (not `==`, not a table field): an assignment.
            if next == "=" && text(i + 2) != "=" && before == 0 && opener != "{" && opener != "," && opener != ";" { return [] }
            if next == "=" && before > 0 { return [] }  // `a, ctx = …`
        }
        var reads: [Read] = []
        for i in tokens.indices where i + 2 < tokens.count && tokens[i].text == "ctx" && tokens[i + 1].text == "."
            && isIdentifier(tokens[i + 2].text) && (i == 0 || (tokens[i - 1].text != "." && tokens[i - 1].text != ":")) {
            reads.append(Read(name: tokens[i + 2].text, line: tokens[i + 2].line))
        }
        return reads
    }

    /// `p.field OP literal` (also with `profile.`): a field compared with a string, number or
    /// boolean literal, for `check` to tell whether the comparison can make sense for the field's type.
    public struct Comparison: Sendable, Equatable {
        public enum Kind: Sendable, Equatable { case text, number, boolean }
        public var name: String
        /// The literal as written (the text between the quotes for `.text`).
        public var literal: String
        public var line: Int
        /// `==`, `~=`, `<`, `<=`, `>` or `>=`.
        public var op: String = "=="
        public var kind: Kind = .text

        public init(name: String, literal: String, line: Int, op: String = "==", kind: Kind = .text) {
            (self.name, self.literal, self.line, self.op, self.kind) = (name, literal, line, op, kind)
        }

        public var isOrdering: Bool { op != "==" && op != "~=" }
    }

    /// The name a `Comparison` of `scale_of(p) OP literal` has (no field is named so).
    public static let scaleOfCall = "scale_of(p)"

    /// `p.field OP literal` (and `profile.field …`) where OP is a comparison and the literal a
    /// quoted string, a number or true/false. The field is on the left, as rules write it.
    /// `scale_of(p) OP literal` too, named `scaleOfCall`.
    public static func literalComparisons(in source: String) -> [Comparison] {
        let original = Array(source.utf8), code = blankCommentsAndStrings(source)
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) }
        func starts(_ text: StaticString, at i: Int) -> Bool { LuaSourceScanner.starts(code, text, at: i) }
        func skipBlanks(_ k: inout Int) { while k < code.count, code[k] == 32 || code[k] == 9 { k += 1 } }
        var out: [Comparison] = []
        var line = 1
        for i in code.indices {
            if code[i] == 10 { line += 1; continue }
            // Not `x.p.y`, `x:p`, nor `#p.tags` / `# p.tags` (a length, not the field itself; review).
            guard i == 0 || !(isWord(code[i - 1]) || code[i - 1] == 46 || code[i - 1] == 58) else { continue }
            var before = i - 1
            while before >= 0, code[before] == 32 || code[before] == 9 { before -= 1 }
            if before >= 0, code[before] == 35 { continue }
            var j: Int
            var name: String
            if starts("profile.", at: i) || starts("p.", at: i) {
                j = i + (starts("p.", at: i) ? 2 : 8)
                let nameStart = j
                while j < code.count, isWord(code[j]) { j += 1 }
                guard j > nameStart else { continue }
                name = String(decoding: code[nameStart..<j], as: UTF8.self)
            } else if starts("scale_of", at: i) {
                // scale_of ( p ) — its answer is one of four names (analyst review: "小型").
                j = i + 8
                skipBlanks(&j)
                guard j < code.count, code[j] == 40 else { continue }  // (
                j += 1
                skipBlanks(&j)
                if starts("profile", at: j) { j += 7 } else if starts("p", at: j) { j += 1 } else { continue }
                guard j >= code.count || !isWord(code[j]) else { continue }
                skipBlanks(&j)
                guard j < code.count, code[j] == 41 else { continue }  // )
                j += 1
                name = scaleOfCall
            } else {
                continue
            }
            var k = j
            skipBlanks(&k)
            guard k < code.count else { continue }
            let op: String
            if k + 1 < code.count, code[k + 1] == 61, [61, 126, 60, 62].contains(code[k]) {  // == ~= <= >=
                op = String(decoding: code[k...k + 1], as: UTF8.self)
                k += 2
            } else if code[k] == 60 || code[k] == 62, k + 1 >= code.count || (code[k + 1] != 60 && code[k + 1] != 62) {  // < > (not << >>)
                op = String(decoding: code[k...k], as: UTF8.self)
                k += 1
            } else {
                continue
            }
            // The literal is blanked in `code` (spaces, like the blanks before it): skip in `original`.
            while k < original.count, original[k] == 32 || original[k] == 9 { k += 1 }
            guard k < original.count else { continue }
            if original[k] == 34 || original[k] == 39 {
                // Its bytes are in `original`.
                var end = k + 1
                while end < original.count, original[end] != original[k], original[end] != 10, original[end] != 92 { end += 1 }
                guard end < original.count, original[end] == original[k] else { continue }  // escapes: leave it
                out.append(Comparison(name: name, literal: String(decoding: original[(k + 1)..<end], as: UTF8.self), line: line, op: op))
                continue
            }
            // A number or true/false, ending where a word would (so `p.x < limit` is not one).
            var end = k
            while end < code.count, isWord(code[end]) || code[end] == 46 { end += 1 }
            guard end > k else { continue }
            let word = String(decoding: code[k..<end], as: UTF8.self)
            if word == "true" || word == "false" {
                out.append(Comparison(name: name, literal: word, line: line, op: op, kind: .boolean))
            } else if let first = word.utf8.first, first >= 48 && first <= 57, end >= code.count || (code[end] != 43 && code[end] != 45) {
                out.append(Comparison(name: name, literal: word, line: line, op: op, kind: .number))
            }
        }
        return out
    }

    private static func fieldReads(_ tokens: [Token], bases: Set<String>) -> [Read] {
        var reads: [Read] = []
        for i in 0..<max(0, tokens.count - 2) where bases.contains(tokens[i].text) {
            // `x.p.y` is not a read of p; `p.y` is.
            if i > 0, tokens[i - 1].text == "." || tokens[i - 1].text == ":" { continue }
            if tokens[i + 1].text == ".", isIdentifier(tokens[i + 2].text) {
                reads.append(Read(name: tokens[i + 2].text, line: tokens[i + 2].line))
            }
        }
        return reads
    }

    struct Token {
        var text: String
        var line: Int
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        return !keywords.contains(s) && s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    static let keywords: Set<String> = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                                        "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]

    /// Identifiers, numbers and single punctuation characters, with their lines.
    static func tokenize(_ code: [UInt8]) -> [Token] {
        var tokens: [Token] = []
        var line = 1
        var i = 0
        func isWord(_ c: UInt8) -> Bool { c == 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 128 }
        while i < code.count {
            let c = code[i]
            if c == 10 { line += 1; i += 1; continue }
            if c == 32 || c == 9 || c == 13 { i += 1; continue }
            if isWord(c) {
                let start = i
                while i < code.count, isWord(code[i]) { i += 1 }
                tokens.append(Token(text: String(decoding: code[start..<i], as: UTF8.self), line: line))
                continue
            }
            tokens.append(Token(text: String(UnicodeScalar(c)), line: line))
            i += 1
        }
        return tokens
    }

    /// The source with comments and string literals replaced by spaces (line breaks kept).
    /// With `keepingQuotes`, a short string's opening quote is kept (its text still blanked), so a
    /// scan can tell where a literal starts from blank space and comments (`requiredModules`).
    static func blankCommentsAndStrings(_ source: String, keepingQuotes: Bool = false) -> [UInt8] {
        var b = Array(source.utf8)
        var i = 0
        func longBracketLevel(at k: Int) -> Int? {
            guard k < b.count, b[k] == 91 else { return nil } // [
            var j = k + 1, level = 0
            while j < b.count, b[j] == 61 { level += 1; j += 1 } // =
            return j < b.count && b[j] == 91 ? level : nil
        }
        func blankLong(from k: Int, level: Int) -> Int {
            let close = [93] + Array(repeating: UInt8(61), count: level) + [93]
            var j = k
            while j < b.count {
                if b[j] == 93, j + close.count <= b.count, Array(b[j..<j + close.count]) == close {
                    for x in j..<j + close.count { b[x] = 32 }
                    return j + close.count
                }
                if b[j] != 10 { b[j] = 32 }
                j += 1
            }
            return j
        }
        while i < b.count {
            let c = b[i]
            if c == 45, i + 1 < b.count, b[i + 1] == 45 { // --
                if let level = longBracketLevel(at: i + 2) {
                    i = blankLong(from: i, level: level)
                } else {
                    while i < b.count, b[i] != 10 { b[i] = 32; i += 1 }
                }
            } else if c == 34 || c == 39 { // " or '
                let quote = c
                if !keepingQuotes { b[i] = 32 }
                i += 1
                while i < b.count, b[i] != quote, b[i] != 10 {
                    if b[i] == 92, i + 1 < b.count { b[i] = 32; i += 1 }
                    if b[i] != 10 { b[i] = 32 }
                    i += 1
                }
                if i < b.count, b[i] == quote { b[i] = 32; i += 1 }
            } else if let level = longBracketLevel(at: i) {
                i = blankLong(from: i, level: level)
            } else {
                i += 1
            }
        }
        return b
    }
}
