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
        return try stream.readAll()
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

    /// JSON list elements are read as JSON scalars are: numbers as their text, `null` (like "") an
    /// empty item dropped, a boolean or nested value a reject naming the field; the JSON Lines
    /// reader and `FieldCoercer.coerce(json:)` agree.
    @Test func jsonListElementsAreReadAsScalarsAre() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        let head = "\"credit_code\": \"\(otherCode)\", \"name\": \"宝安\", \"subject_type\": \"企业\", \"tags\""
        let url = try dir.write("a.jsonl", "{\(head): [\"a\", 1, null, \"\"]}\n{\(head): [\"a\", true]}\n")
        var stream = try ProfileStream(files: [url], schema: schema)
        let tags = try #require(schema.index(of: "tags"))
        guard case .profile(let profile)? = try stream.next() else { Issue.record("the first line was rejected"); return }
        #expect(profile.values[tags] == .list(["a", "1"]))
        guard case .rejected(let reject)? = try stream.next() else { Issue.record("a boolean element was read"); return }
        #expect(reject.reason == "标签(tags): '[\"a\", true]' 列表元素应为文本")

        let field = schema.fields[tags]
        func json(_ text: String) throws -> Any { try JSONSerialization.jsonObject(with: Data(text.utf8)) }
        #expect(try FieldCoercer.coerce(json: json("[\"a\", 1, null, \"\"]"), as: field).get() == .list(["a", "1"]))
        if case .success = FieldCoercer.coerce(json: try json("[\"a\", true]"), as: field) { Issue.record("a boolean element was read") }
    }
}
