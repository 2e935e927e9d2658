@testable import Huiqi
import Testing

@Suite struct BundleCheckerTests {
    /// A file with two rules: each rule's `service` line, found before its first condition.
    @Test func keyLinesAreFoundForTheRightRuleOfAFile() {
        let source = """
        return {
          { id = "a", service = "SVC-01",
            conditions = { { "x", function() return true end } } },
          {
            id = 'b',
            service='SVC-9',
            conditions = { { "y", function() return true end } } },
        }
        """
        #expect(BundleChecker.keyLine("service", "SVC-01", in: source, before: 3) == 2)
        #expect(BundleChecker.keyLine("service", "SVC-9", in: source, before: 7) == 6)
        #expect(BundleChecker.keyLine("id", "b", in: source, before: 7) == 5)
        #expect(BundleChecker.keyLine("id", "b", in: source, before: 3) == nil)
        #expect(BundleChecker.keyLine("service", "SVC-02", in: source, before: nil) == nil)
    }
}
