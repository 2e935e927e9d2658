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
}
