import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct SubjectCodeCheckTests {
    /// A valid code with the given two-character prefix.
    static func code(_ prefix: String) -> String {
        let first17 = prefix + "440300MA5H0B1C2"
        return first17 + (CreditCode.checkCharacter(for: first17).map { String($0) } ?? "?")
    }

    @Test func theCodePrefixImpliesTheSubjectType() throws {
        let check = try #require(SubjectCodeCheck(schema: ProfileFixtures.schema()))
        #expect(check.subjectImplied(by: Self.code("91")) == .string("enterprise"))
        #expect(check.subjectImplied(by: Self.code("92")) == .string("individual"))
        // 93 (农民专业合作社), 11 (机关), 52 (民办非企业单位): none of the schema's types.
        for prefix in ["93", "11", "52"] { #expect(check.subjectImplied(by: Self.code(prefix)) == nil, "\(prefix)") }
    }

    @Test func fillingKeepsAGivenSubjectType() throws {
        let schema = try ProfileFixtures.schema()
        let check = try #require(SubjectCodeCheck(schema: schema))
        var values = [FieldValue?](repeating: nil, count: schema.fields.count)
        check.fillSubject(&values, code: Self.code("92"))
        #expect(values[check.subjectIndex] == .string("individual"))
        values[check.subjectIndex] = .string("market")
        check.fillSubject(&values, code: Self.code("91"))
        #expect(values[check.subjectIndex] == .string("market"))
    }

    /// A 主体类型 read by its words is still checked against the code.
    @Test func aWordedSubjectTypeThatContradictsTheCodeIsRejected() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("a.csv", "credit_code,name,subject_type\n\(Self.code("92")),张三,有限责任公司（自然人投资或控股）\n\(Self.code("91")),宝安,个人独资企业\n")
        var stream = try ProfileStream(files: [url], schema: ProfileFixtures.schema())
        guard case .rejected(let reject)? = try stream.next() else { Issue.record("the 92 row was read"); return }
        #expect(reject.reason.hasPrefix("主体类型与统一社会信用代码不符: 代码以92开头"))
        guard case .profile(let profile)? = try stream.next() else { Issue.record("the 91 row was rejected"); return }
        #expect(profile.values[2] == .string("enterprise"))
    }
}
