import Foundation
import Huiqi
import TestSupport
import Testing

/// Files that are not what their name says, found in data-administrator review: each is named
/// once, with what to do, instead of looking clean or costing one reject per line.
@Suite struct ProfileStreamInputShapeTests {
    let code1 = "91350100M000100Y43"

    private func drain(_ stream: inout ProfileStream) throws -> (profiles: Int, rejects: Int) {
        var profiles = 0
        var rejects = 0
        while let record = try stream.next() {
            if case .profile = record { profiles += 1 } else { rejects += 1 }
        }
        return (profiles, rejects)
    }

    /// A truncated export with only its header read as `read: 0` and exit 0, with no word.
    @Test func aFileWithOnlyAHeaderIsAWarning() throws {
        let dir = try TemporaryDirectory()
        let header = try dir.write("header.csv", "credit_code,name,subject_type\n")
        let padding = try dir.write("padding.csv", "credit_code,name,subject_type\r\n,,\r\n")
        let empty = try dir.write("empty.jsonl", "\n")
        let good = try dir.write("good.csv", "credit_code,name,subject_type\n\(code1),宝安,企业\n")
        var stream = try ProfileStream(files: [header, padding, empty, good], schema: try ProfileFixtures.schema())
        #expect(!stream.warnings.contains { $0.message.contains("没有数据行") })
        _ = try drain(&stream)
        let warnings = stream.warnings.filter { $0.message.contains("没有数据行") }.map(\.description)
        #expect(warnings == [
            "\(header.relativePath): warning: has a header but no data rows (只有表头, 没有数据行); was the export cut short? (导出是否不完整?)",
            "\(padding.relativePath): warning: has a header but no data rows (只有表头, 没有数据行); was the export cut short? (导出是否不完整?)",
            "\(empty.relativePath): warning: has no records (没有数据行); was the export cut short? (导出是否不完整?)",
        ])
    }
}
