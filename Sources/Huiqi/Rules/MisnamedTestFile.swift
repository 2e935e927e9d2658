import Foundation

/// A file of test cases whose name does not end in `_test.lua` (`…_tests.lua`, `….test.lua`,
/// `test_….lua`) is read as a rule file: each case became six errors ("unknown key 'expect'",
/// "'id' must be a non-empty string", …), and the rule it tests "has no test case" (usability
/// review). Those problems are told as the one that causes them.
///
///     let shown = MisnamedTestFile.collapse(diagnostics)
public enum MisnamedTestFile {
    /// `diagnostics` with the problems of each rule file whose rules read as test cases (a rule
    /// with an `expect` key, which every test case has) replaced by one error saying what to name it.
    /// Not `as_of` alone: a rule given a stray `as_of` (for `effective`) was told to rename its
    /// file into a test file, its other problems hidden (review).
    public static func collapse(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        let files = Set(diagnostics.compactMap { d -> String? in
            guard let file = d.file, file.hasSuffix(".lua"), !file.hasSuffix("_test.lua"),
                  d.message.contains("): unknown key 'expect'") else { return nil }
            return file
        })
        guard !files.isEmpty else { return diagnostics }
        var told = Set<String>()
        var out: [Diagnostic] = []
        for d in diagnostics {
            guard let file = d.file, files.contains(file) else {
                out.append(d)
                continue
            }
            if told.insert(file).inserted {
                out.append(Diagnostic(file: file, "holds test cases (as_of, profile, expect) but is read as a rule file: a test file's name "
                                      + "ends in _test.lua; rename it \(testName(for: file)) (测试文件名须以 _test.lua 结尾, 请改名)"))
            }
        }
        // The rule those cases test is not without a test case: it was the name.
        return out.filter { d in
            !(d.severity == .warning && d.message.contains("has no test case (没有测试用例)") && d.file.map { ruleFile in
                files.contains { testName(for: $0) == testName(for: ruleFile) }
            } == true)
        }
    }

    /// `dir/name_test.lua` for `dir/name_tests.lua`, `dir/name.test.lua`, `dir/name-test.lua`,
    /// `dir/test_name.lua`; `dir/x_test.lua` for any other `dir/x.lua`.
    static func testName(for path: String) -> String {
        let directory = (path as NSString).deletingLastPathComponent
        var base = ((path as NSString).lastPathComponent as NSString).deletingPathExtension
        for suffix in ["_tests", "-tests", ".tests", "_test", "-test", ".test", "_spec", "-spec", ".spec"] where base.lowercased().hasSuffix(suffix) {
            base = String(base.dropLast(suffix.count))
            break
        }
        for prefix in ["tests_", "test_", "tests-", "test-"] where base.lowercased().hasPrefix(prefix) {
            base = String(base.dropFirst(prefix.count))
            break
        }
        let name = base + "_test.lua"
        return directory.isEmpty ? name : (directory as NSString).appendingPathComponent(name)
    }
}
