import Foundation
import Huiqi
import TestSupport
import Testing

/// Rows as real 市场监管/税务/社保 exports write them, read through `ProfileStream`
/// (data-administrator review).
@Suite struct ExportValuesStreamTests {
    /// A code whose prefix (11, an organ of state) says nothing about the subject type.
    let otherCode = "11320000MB151840XJ"

    private func read(_ csv: String) throws -> (profiles: [Profile], rejects: [Reject]) {
        let dir = try TemporaryDirectory()
        var stream = try ProfileStream(files: [dir.write("a.csv", csv)], schema: ProfileFixtures.schema())
        var profiles: [Profile] = []
        var rejects: [Reject] = []
        while let record = try stream.next() {
            switch record {
            case .profile(let profile): profiles.append(profile)
            case .rejected(let reject): rejects.append(reject)
            }
        }
        return (profiles, rejects)
    }

    /// A placeholder row is read with those fields empty; the row is no longer rejected.
    @Test func placeholdersLeaveTheFieldEmpty() throws {
        let schema = try ProfileFixtures.schema()
        let (profiles, rejects) = try read("""
            credit_code,name,subject_type,established_on,employees,revenue,high_tech,tax_credit_rating,tags
            \(otherCode),宝安,企业,NULL,-,—,N/A,无,/

            """)
        #expect(rejects.isEmpty, "\(rejects.map(\.reason))")
        let profile = try #require(profiles.first)
        for name in ["established_on", "revenue", "high_tech", "tax_credit_rating", "tags"] {
            #expect(profile.values[try #require(schema.index(of: name))] == nil, "\(name)")
        }
        // employees has a default (0) in this schema: an empty cell takes it.
        #expect(profile.values[try #require(schema.index(of: "employees"))] == .integer(0))
    }

    /// A required field given as a placeholder is missing, with the usual message.
    @Test func aRequiredPlaceholderIsStillMissing() throws {
        let (profiles, rejects) = try read("credit_code,name,subject_type\n\(otherCode),宝安,-\n")
        #expect(profiles.isEmpty)
        #expect(rejects.first?.reason == "主体类型(subject_type): 缺少必填值")
    }
}
