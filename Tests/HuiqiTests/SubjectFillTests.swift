import Foundation
import Huiqi
import TestSupport
import Testing

/// An empty 主体类型 was rejected as missing although the credit code's 91/92 prefix decides it
/// (data-administrator review): it is filled from the code.
@Suite struct SubjectFillTests {
    static func code(_ prefix: String) -> String {
        let first17 = prefix + "440300MA5H0B1C2"
        return first17 + (CreditCode.checkCharacter(for: first17).map { String($0) } ?? "?")
    }

    @Test func anEmptySubjectTypeIsWhatTheCodeSays() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", """
            credit_code,name,subject_type
            \(Self.code("91")),宝安科技有限公司,
            \(Self.code("92")),张三,-
            \(Self.code("93")),宝安合作社,

            """)
        var stream = try ProfileStream(files: [url], schema: schema)
        let subject = try #require(schema.index(of: "subject_type"))
        guard case .profile(let enterprise)? = try stream.next() else { Issue.record("the 91 row was rejected"); return }
        #expect(enterprise.values[subject] == .string("enterprise"))
        guard case .profile(let individual)? = try stream.next() else { Issue.record("the 92 row was rejected"); return }
        #expect(individual.values[subject] == .string("individual"))
        // 93 (农民专业合作社) implies none of the schema's types: still missing.
        guard case .rejected(let reject)? = try stream.next() else { Issue.record("the 93 row was read"); return }
        #expect(reject.reason == "主体类型(subject_type): 缺少必填值")
        // Documented behaviour, not warned about row by row.
        #expect(!stream.warnings.contains { $0.description.contains("主体类型") })
    }
}
