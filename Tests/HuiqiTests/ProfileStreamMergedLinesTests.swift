import Foundation
import Huiqi
import TestSupport
import Testing

/// Data-administrator review: a stray quote must never make rows vanish or take other rows' values.
@Suite struct ProfileStreamMergedLinesTests {
    @Test func everyPhysicalRowIsEvaluatedOrRejected() throws {
        let schema = try ProfileFixtures.schema()
        let dir = try TemporaryDirectory()
        var text = "credit_code,name,subject_type,street\n"
        for row in 1...20 {
            let name = row == 5 ? "\"宝安未闭合公司" : row == 12 ? "\"正常\"\"引号\"\"公司\"" : "公司\(row)"
            text += "\(ProfileFixtures.creditCode(row)),\(name),企业,新安\n"
        }
        let url = try dir.write("a.csv", text)
        var stream = try ProfileStream(files: [url], schema: schema)
        let (profiles, rejects) = try stream.readAll()
        #expect(stream.counts.first?.read == 20)
        #expect(rejects.map(\.line) == [6])
        #expect(rejects.first?.reason.contains("引号未闭合") == true)
        #expect(profiles.count == 19)
        #expect(profiles.first { $0.line == 13 }?.text("name", in: schema) == "正常\"引号\"公司")
        #expect(profiles.first { $0.line == 6 } == nil)
    }

    /// A 5-column table of 13 businesses, `above` it (title rows): row 5's name opens a quote that
    /// row 9's `显示器27"` closes, and row 13's well-quoted address spans two lines (with a comma).
    private func readStrayQuoteTable(above: String) throws -> (stream: ProfileStream, profiles: [Profile], rejects: [Reject]) {
        let dir = try TemporaryDirectory()
        var text = above + "credit_code,name,subject_type,street,employees\n"
        for row in 1...12 {
            let name = row == 5 ? "\"宝安未闭合公司" : row == 9 ? "显示器27\"" : "公司\(row)"
            text += "\(ProfileFixtures.creditCode(row)),\(name),企业,街道\(row),5\n"
        }
        text += "\(ProfileFixtures.creditCode(13)),\"宝安区新安街道,\n创业一路1号\",企业,街道13,5\n"
        var stream = try ProfileStream(files: [try dir.write("a.csv", text)], schema: try ProfileFixtures.schema())
        let (profiles, rejects) = try stream.readAll()
        return (stream, profiles, rejects)
    }

    /// The case session 15 left: a stray quote in column k closed lines later by a quote ending a
    /// cell of column k (`显示器27"`; a quoted cell opens with a quote, which is caught as stray
    /// text) gives a record with exactly the header's cell count. Row 5's business
    /// was evaluated with row 9's street, and rows 6–9 vanished, with no reject.
    @Test func aStrayQuoteClosedInTheSameColumnLinesLaterIsCaught() throws {
        let schema = try ProfileFixtures.schema()
        let (stream, profiles, rejects) = try readStrayQuoteTable(above: "")
        #expect(stream.counts.first?.read == 13)
        #expect(rejects.map(\.line) == [6], "\(rejects)")
        #expect(rejects.first?.reason.hasPrefix("引号未闭合: 第6行的引号多半没有闭合, 带引号的字段一直延续到第10行") == true, "\(rejects.map(\.reason))")
        #expect(profiles.map(\.line) == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14])
        #expect(profiles.first { $0.line == 10 }?.text("name", in: schema) == "显示器27\"")
        #expect(profiles.first { $0.line == 10 }?.text("street", in: schema) == "街道9")
        #expect(profiles.last?.text("name", in: schema) == "宝安区新安街道,\n创业一路1号")
    }

    /// A stray quote closed on the very next line: no whole row inside the cell, but the first and
    /// last parts together hold a row's commas, so it is still named an unclosed quote.
    @Test func aStrayQuoteClosedOnTheNextLineIsCaught() throws {
        let dir = try TemporaryDirectory()
        var text = "credit_code,name,subject_type,street,employees\n"
        for row in 1...4 {
            let name = row == 2 ? "\"宝安未闭合公司" : row == 3 ? "显示器27\"" : "公司\(row)"
            text += "\(ProfileFixtures.creditCode(row)),\(name),企业,街道\(row),5\n"
        }
        var stream = try ProfileStream(files: [try dir.write("a.csv", text)], schema: try ProfileFixtures.schema())
        let (profiles, rejects) = try stream.readAll()
        #expect(rejects.map(\.line) == [3], "\(rejects)")
        #expect(rejects.first?.reason.hasPrefix("引号未闭合: 第3行的引号多半没有闭合") == true, "\(rejects.map(\.reason))")
        #expect(profiles.map(\.line) == [2, 4, 5])
    }

    /// A long text over several lines with ASCII commas (a 经营范围 in a 5-column table, 5 commas
    /// over 3 lines) holds a row's worth of commas but not shaped like swallowed rows: it is still
    /// rejected (only its first line; every line is counted), but the reason no longer asserts an
    /// unclosed quote, and says to use Chinese commas.
    @Test func aLongTextWithASCIICommasIsNotCalledAnUnclosedQuote() throws {
        let dir = try TemporaryDirectory()
        var text = "credit_code,name,subject_type,street,employees\n"
        text += "\(ProfileFixtures.creditCode(1)),公司1,企业,街道1,5\n"
        text += "\(ProfileFixtures.creditCode(2)),\"电子,五金,\n塑胶,模具,\n进出口,贸易\",企业,街道2,5\n"
        text += "\(ProfileFixtures.creditCode(3)),公司3,企业,街道3,5\n"
        var stream = try ProfileStream(files: [try dir.write("a.csv", text)], schema: try ProfileFixtures.schema())
        let (profiles, rejects) = try stream.readAll()
        #expect(rejects.first?.line == 3, "\(rejects)")
        #expect(rejects.first?.reason.hasPrefix("引号未闭合或长文字用了英文逗号: 第3行起带引号的字段延续到第5行") == true, "\(rejects.map(\.reason))")
        #expect(rejects.first?.reason.contains("中文逗号") == true)
        #expect(profiles.map(\.line) == [2, 6])
        #expect(stream.counts.first.map { $0.read == profiles.count + rejects.count } == true, "\(rejects)")
    }

    /// A title row above the header ("宝安区企业名录 2025年", one cell) set the cell count that
    /// records over several lines are held to: a well-quoted two-line address was rejected as an
    /// unclosed quote, and the swallowed-rows check (5+ columns) was off for the file.
    @Test func aTitleRowDoesNotSetTheCellCountMultiLineRecordsAreHeldTo() throws {
        let schema = try ProfileFixtures.schema()
        let (_, profiles, rejects) = try readStrayQuoteTable(above: "宝安区企业名录 2025年\n")
        #expect(rejects.map(\.line) == [7], "\(rejects)")
        #expect(rejects.first?.reason.hasPrefix("引号未闭合: 第7行的引号多半没有闭合, 带引号的字段一直延续到第11行") == true, "\(rejects.map(\.reason))")
        #expect(profiles.last?.text("name", in: schema) == "宝安区新安街道,\n创业一路1号")
    }
}
