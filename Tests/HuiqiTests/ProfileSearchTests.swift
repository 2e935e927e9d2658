import Foundation
import Huiqi
import TestSupport
import Testing

/// `explain CODE --profiles`' lookup, in the library since the code review (it lived in the CLI,
/// and its logged counterpart had drifted from it).
@Suite struct ProfileSearchTests {
    @Test func aCodeIsFoundAsAProfileARejectOrNotAtAll() throws {
        var fields = try ProfileFixtures.schema().fields
        for i in fields.indices where fields[i].name == "established_on" { fields[i].notAfterAsOf = true }
        let schema = Schema(fields: fields, path: "ProfileSearchTests")
        let dir = try TemporaryDirectory()
        let one = ProfileFixtures.creditCode(1), two = ProfileFixtures.creditCode(2), three = ProfileFixtures.creditCode(3)
        let file = try dir.write("p.csv", "统一社会信用代码,企业名称,主体类型,成立日期\n\(one),甲,企业,2020-01-01\n\(two) 已注销,乙,企业,2020-01-01\n\(three),丙,企业,2026-01-01\n")
        func find(_ code: String) throws -> ProfileSearch.Found {
            try ProfileSearch.find(code, in: [file], schema: schema, asOf: "2025-06-01")
        }
        guard case .profile(let p) = try find(" \(one.lowercased()) ") else { Issue.record("\(one) not found"); return }
        #expect(p.line == 2)
        guard case .rejected(let marked) = try find(two) else { Issue.record("\(two) not found"); return }
        #expect(marked.line == 3)
        guard case .rejected(let late) = try find(three) else { Issue.record("\(three) not found"); return }
        #expect(late.reason.contains("晚于评估日期 2025-06-01"))
        guard case .notFound = try find(ProfileFixtures.creditCode(4)) else { Issue.record("found a code not in the file"); return }
    }

    /// A business listed twice whose first row is rejected (a bad number) is evaluated from its
    /// second row by a run (duplicates are counted among valid rows only), so explain must find that
    /// row; it stopped at the first reject and said the business was not evaluated.
    @Test func aRejectedRowIsPassedForALaterValidRowOfTheSameCode() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let one = ProfileFixtures.creditCode(1), two = ProfileFixtures.creditCode(2)
        let file = try dir.write("p.csv", "统一社会信用代码,企业名称,主体类型,从业人数\n\(one),甲,企业,十二\n\(two),乙,企业,3\n\(one),甲,企业,12\n\(two),乙,企业,十二\n")
        func find(_ code: String) throws -> ProfileSearch.Found {
            try ProfileSearch.find(code, in: [file], schema: schema, asOf: "2025-06-01")
        }
        guard case .profile(let p) = try find(one) else { Issue.record("\(one): the valid row 4 was not found"); return }
        #expect(p.line == 4)
        // Only rejects: the first one is the answer.
        let only = try dir.write("q.csv", "统一社会信用代码,企业名称,主体类型,从业人数\n\(one),甲,企业,十二\n\(one),甲,企业,x\n")
        guard case .rejected(let r) = try ProfileSearch.find(one, in: [only], schema: schema, asOf: "2025-06-01") else {
            Issue.record("\(one): no reject"); return
        }
        #expect(r.line == 2)
        // The run's evaluated row comes first: the later one is its duplicate.
        guard case .profile(let q) = try find(two) else { Issue.record("\(two) not found"); return }
        #expect(q.line == 3)
    }
}
