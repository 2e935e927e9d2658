@testable import Huiqi
import TestSupport
import Testing

/// `MissingFields` packs up to four (condition, field) entries into one integer and spills to an
/// array past that: both forms must read, compare and hash as the entries they hold.
@Suite struct MissingFieldsTests {
    @Test func entriesReadBackInConditionOrderWhateverTheOrderTheyWereSetIn() {
        var m = MissingFields()
        #expect(m.isEmpty && m.count == 0 && m.entries.isEmpty)
        m[3] = 7
        m[1] = 0
        m[0] = 41
        #expect(m.entries.map(\.condition) == [0, 1, 3])
        #expect(m.entries.map(\.field) == [41, 0, 7])
        #expect(m[0] == 41 && m[1] == 0 && m[3] == 7 && m[2] == nil)
        #expect(m.count == 3 && !m.isEmpty)
        m[1] = 9  // replaces
        #expect(m[1] == 9 && m.count == 3)
        m[1] = nil
        #expect(m[1] == nil && m.entries.map(\.condition) == [0, 3])
        m[0] = nil
        m[3] = nil
        #expect(m.isEmpty && m == MissingFields())
    }

    @Test func moreThanFourEntriesAndLargeIndicesSpillAndStillCompareByEntries() {
        var inOrder = MissingFields()
        for k in 1...32 { inOrder[k] = 1000 + k }  // a fifth entry, and fields past what 10 bits hold
        #expect(inOrder.count == 32)
        #expect(inOrder[32] == 1032 && inOrder[5] == 1005)
        let reversed = MissingFields((1...32).reversed().map { MissingFields.Entry(condition: $0, field: 1000 + $0) })
        #expect(inOrder == reversed)
        #expect(inOrder.hashValue == reversed.hashValue)

        // Back to four small entries: the same value as one built inline.
        for k in 5...32 { inOrder[k] = nil }
        for k in 1...4 { inOrder[k] = k }
        let small: MissingFields = [1: 1, 2: 2, 3: 3, 4: 4]
        #expect(inOrder == small && inOrder.hashValue == small.hashValue)
        #expect(inOrder.entries == small.entries)

        var edge = MissingFields()
        edge[0] = 1022  // the largest field index that fits inline
        edge[1] = 1023  // the first that does not
        #expect(edge[0] == 1022 && edge[1] == 1023 && edge.count == 2)
    }

    @Test func differentEntriesAreDifferent() {
        let a: MissingFields = [1: 5]
        #expect(a != [1: 6])
        #expect(a != [2: 5])
        #expect(a != [1: 5, 2: 5])
        #expect(a == [1: 5])
    }

    /// Every condition of a rule reads a different missing field: more entries than fit inline.
    @Test func aRuleWithManyMissingConditionsNamesEachField() throws {
        let fields = ["revenue", "total_assets", "employees", "monthly_rent", "street", "industry_code"]
        let conditions = fields.map { "{ '\($0)', function(p) return p.\($0) > 0 end }" }.joined(separator: ",\n")
        let fixture = try BundleFixture(files: ["r.lua": "return { id = 'many', service = 'SVC-01', conditions = {\n\(conditions)\n} }"])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let result = runtime.evaluate(BundleFixture.profile(loaded.schema, [:]))[0]
        #expect(result.code == 3)
        #expect(result.missing.count == fields.count)
        #expect(result.missing.entries.map { loaded.schema.fields[$0.field].name } == fields)
        let decision = runtime.decision(for: result, at: 0)
        #expect(decision.conditions.map(\.missingField) == fields)
        #expect(decision.conditions.allSatisfy { $0.state == .unknown })
    }

    /// The driver works out which condition was running from the condition bits before it (the
    /// engine's `cond_of`): the 32nd and last condition of a rule, after 31 others, still names its field.
    @Test func theLastOfThirtyTwoConditionsNamesItsMissingField() throws {
        var conditions = (1...31).map { k in "{ 'c\(k)', function(p) return \(k % 3 == 0 ? "false" : "true") end }" }
        conditions.append("{ 'c32', function(p) return p.revenue > 0 end }")
        let fixture = try BundleFixture(files: ["r.lua": "return { id = 'wide', service = 'SVC-01', conditions = {\n\(conditions.joined(separator: ",\n"))\n} }"])
        let loaded = try fixture.load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let result = runtime.evaluate(BundleFixture.profile(loaded.schema, [:]))[0]
        #expect(result.code == 2)
        #expect(result.missing.entries == [MissingFields.Entry(condition: 32, field: try #require(loaded.schema.index(of: "revenue")))])
        for k in 1...31 { #expect(result.conditionState(k) == (k % 3 == 0 ? .failed : .passed)) }
        #expect(result.conditionState(32) == .unknown)
    }
}
