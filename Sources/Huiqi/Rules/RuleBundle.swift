import Crypto
import Foundation

/// A rules bundle on disk (PRODUCT.md §2): `schema.yaml`, `catalog.yaml`, rule files, their
/// `_test.lua` cases and shared helpers in `lib/`.
///
///     let bundle = try RuleBundle(directory: "Rules")
///     bundle.ruleFiles   // ["Rules/financing/fin01.lua", …] in a stable order
public struct RuleBundle: Sendable {
    /// A Lua file of the bundle: its path as shown to users and its text.
    public struct SourceFile: Sendable {
        public var displayPath: String
        public var relativePath: String
        public var source: String
        public var chunkName: String { "@" + displayPath }
    }

    /// The directory as the user named it (used to build display paths).
    public var directory: String
    public var url: URL
    public var schemaURL: URL
    public var catalogURL: URL
    public var ruleFiles: [SourceFile]
    public var testFiles: [SourceFile]
    /// Module name (`sme_scale`, `a.b`) → file, for `require`.
    public var libraries: [String: SourceFile]
    /// SHA-256 over every file under the directory (relative paths and bytes, sorted by path).
    public var sha256: String
    /// Warnings about files meant as Lua that are not read: `….lua.txt` (Notepad's "text
    /// document") and `….LUA` (analyst review: such a rule was passed over without a word).
    public var unreadFiles: [Diagnostic] = []

    /// Why `directory` cannot be read as a bundle, and what to do (first-day review: run from the
    /// wrong directory, it said only "rules directory not found", not where it looked).
    static func notADirectory(_ directory: String, exists: Bool) -> Diagnostic {
        if exists {
            return Diagnostic(file: directory, "is a file, not a rules directory (这是文件, 不是规则目录): give --rules the directory "
                              + "that holds schema.yaml and catalog.yaml (请用 --rules 指定含有 schema.yaml 和 catalog.yaml 的目录)")
        }
        let here = FileManager.default.currentDirectoryPath
        let place = directory.hasPrefix("/") ? "" : "no \(directory) in \(here); "
        return Diagnostic(file: directory, "rules directory not found (规则目录不存在): \(place)run huiqi in the directory that holds "
                          + "the rules directory, or give --rules DIR (请在含有规则目录 \(directory) 的目录中运行 huiqi, 或用 --rules 指定规则目录)")
    }

    public init(directory: String) throws {
        self.directory = directory
        url = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw RuleBundle.notADirectory(directory, exists: FileManager.default.fileExists(atPath: url.path))
        }
        schemaURL = url.appendingPathComponent("schema.yaml")
        catalogURL = url.appendingPathComponent("catalog.yaml")
        for (name, u) in [("schema.yaml", schemaURL), ("catalog.yaml", catalogURL)]
        where !FileManager.default.fileExists(atPath: u.path) {
            // The file saved under another name (`catalog.yaml.txt` by Notepad, `catalog.yml`), if
            // one is there (analyst review: told only that the bundle needs catalog.yaml).
            let stem = name.dropLast(5)
            let saved = ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted()
                .first { $0.lowercased().hasPrefix(stem) && ($0.lowercased().contains(".yaml") || $0.lowercased().contains(".yml")) }
            throw Diagnostic(file: RuleBundle.join(directory, name), "missing: a rules bundle needs \(name)"
                             + (saved.map { " (found \($0): rename it \(name))" } ?? ""))
        }

        var rules: [SourceFile] = [], tests: [SourceFile] = [], libs: [String: SourceFile] = [:], unreadable: [Diagnostic] = []
        var hasher = SHA256()
        for relative in try RuleBundle.listFiles(under: url) {
            let fileURL = url.appendingPathComponent(relative)
            let data = try Data(contentsOf: fileURL)
            hasher.update(data: Data(relative.utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: Data(String(data.count).utf8))
            hasher.update(data: Data([0]))
            hasher.update(data: data)
            guard relative.hasSuffix(".lua") else {
                if let meant = RuleBundle.meantAsLua(relative) {
                    unreadFiles.append(Diagnostic(.warning, file: RuleBundle.join(directory, relative),
                        "not read: rules, tests and lib modules are files named ….lua (lower case); rename it \(RuleBundle.join(directory, meant)) (文件名须以 .lua 结尾, 此文件未读取)"))
                }
                continue
            }
            let display = RuleBundle.join(directory, relative)
            // Every such file, at the line of its first such byte: an editor that saved one rule in
            // GBK ("ANSI" on a Chinese Windows) often saved several (analyst review: check named the
            // first, without a line).
            guard let text = String(data: data, encoding: .utf8) else {
                unreadable.append(Diagnostic(file: display, line: RuleBundle.firstNonUTF8Line(data),
                                             "not valid UTF-8 text: saved as GBK (ANSI)? save it as UTF-8 (文件不是 UTF-8 编码: 请在编辑器中另存为 UTF-8)"))
                continue
            }
            let file = SourceFile(displayPath: display, relativePath: relative, source: RuleBundle.lineBreaksAsLF(text))
            if relative.hasSuffix("_test.lua") {
                tests.append(file)
            } else if relative.hasPrefix("lib/") {
                let module = relative.dropFirst(4).dropLast(4).replacingOccurrences(of: "/", with: ".")
                libs[module] = file
            } else {
                rules.append(file)
            }
        }
        guard unreadable.isEmpty else { throw DiagnosticList(unreadable) }
        ruleFiles = rules
        testFiles = tests
        libraries = libs
        sha256 = hasher.finalize().hex
    }

    /// Regular files under `root`, relative, sorted bytewise so the order is the same everywhere.
    static func listFiles(under given: URL) throws -> [String] {
        // A Rules directory that is a symlink (a deployment pointing at this year's bundle) is
        // listed through its target: the enumerator does not follow the link itself, and the bundle
        // read as empty (docs review).
        let root = given.resolvingSymlinksInPath()
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return []
        }
        let rootPath = root.path.hasSuffix("/") ? root.path : root.path + "/"
        var paths: [String] = []
        for case let fileURL as URL in enumerator {
            let values = try fileURL.resourceValues(forKeys: [.isRegularFileKey])
            guard values.isRegularFile == true else { continue }
            let path = fileURL.standardizedFileURL.path
            guard path.hasPrefix(rootPath) else { continue }
            paths.append(String(path.dropFirst(rootPath.count)))
        }
        return paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
    }

    /// "; modified since the run started (运行开始后修改的文件): catalog.yaml, rent/x.lua" for the
    /// files under `directory` modified after `startedAt` (the log's ISO-8601 UTC, to the second),
    /// at most 10 named; "" for none (a file removed, or copied in with its old time, changes the
    /// bundle's SHA-256 without a later time). For a refused resume or an explanation from the log:
    /// the hash alone did not say which of a bundle's files to put back (yearly-update review).
    public static func modifiedSinceNote(directory: String, startedAt: String) -> String {
        let parser = ISO8601DateFormatter()
        parser.formatOptions = [.withInternetDateTime]
        guard let started = parser.date(from: startedAt),
              let files = try? listFiles(under: URL(fileURLWithPath: directory)) else { return "" }
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath()
        // Whole seconds, as the log keeps the start: a file saved in the run's first second is not newer.
        let modified = files.filter { relative in
            guard let date = try? root.appendingPathComponent(relative).resourceValues(forKeys: [.contentModificationDateKey]).contentModificationDate
            else { return false }
            return date.timeIntervalSince1970.rounded(.down) > started.timeIntervalSince1970
        }
        guard !modified.isEmpty else { return "" }
        let shown = modified.prefix(10).joined(separator: ", ") + (modified.count > 10 ? ", … (\(modified.count - 10) more)" : "")
        return "; modified since the run started (运行开始后修改的文件): \(shown)"
    }

    /// The name a file was meant to have when it is a Lua file saved under another: `x.lua.txt`
    /// and `x.LUA` are `x.lua`. nil for other files (notes, a backup `x.lua.bak`).
    static func meantAsLua(_ relative: String) -> String? {
        let lower = relative.lowercased()
        if lower.hasSuffix(".lua.txt") { return String(relative.dropLast(8)) + ".lua" }
        if lower.hasSuffix(".lua") { return String(relative.dropLast(4)) + ".lua" }
        return nil
    }

    /// The line (counted as Lua counts them) holding the first byte that is not UTF-8.
    static func firstNonUTF8Line(_ data: Data) -> Int {
        let bytes = [UInt8](data)
        let end = bytes.withUnsafeBufferPointer { UTF8Validation.scan($0, from: 0).end }
        return lineBreaksAsLF(String(decoding: bytes[..<end], as: UTF8.self)).utf8.reduce(1) { $1 == 10 ? $0 + 1 : $0 }
    }

    /// `text` with each line break Lua counts as one (`\n`, `\r`, `\r\n`, `\n\r`) written `\n`.
    /// Lua reads the file the same either way (a line break inside a string is `\n` to it too), but
    /// check's own reading of the source (field and module names, a key's line, a case's line) goes
    /// by `\n` (analyst review: a rule saved with CRLF passed check with a misspelt module name, and
    /// one saved with CR with a misspelt field, its first comment running to the end of the file).
    static func lineBreaksAsLF(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.contains(13) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            guard b == 10 || b == 13 else { out.append(b); continue }
            out.append(10)
            // As Lua's lexer: the other one of the pair right after is part of this line break.
            if i < bytes.count, bytes[i] == (b == 10 ? 13 : 10) { i += 1 }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func join(_ directory: String, _ relative: String) -> String {
        if directory.isEmpty || directory == "." { return relative }
        return directory.hasSuffix("/") ? directory + relative : directory + "/" + relative
    }

    /// The display path of a file in the bundle.
    public func displayPath(_ relative: String) -> String { RuleBundle.join(directory, relative) }
}
