import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// Analyst review: `cap：100000` (a full-width colon typed with a Chinese input method) in the
/// catalog gave libyaml's "could not find expected ':'" two lines further down, and `name： x` in
/// the schema "mapping values are not allowed in this context", neither naming the colon.
@Suite struct YAMLPunctuationHintTests {
    @Test func aFullWidthColonInTheCatalogIsNamedWithItsLine() throws {
        let yaml = """
        version: "1"
        services:
          - id: SVC-01
            name: 服务
            category: rent
            mode: 免申即享
            params:
              rate: 0.5
              cap：100000
          - id: SVC-02
            name: 服务二
            category: rent
            mode: 免申即享
        """
        var loader = CatalogLoader(path: "catalog.yaml")
        #expect {
            try loader.load(Data(yaml.utf8))
        } throws: { error in
            let text = "\(error)"
            return text.contains("第9行") && text.contains("全角冒号") && text.contains("YAML syntax error")
        }
    }

    @Test func aFullWidthColonInTheSchemaIsNamedWithItsLine() throws {
        let dir = try TemporaryDirectory()
        let url = try dir.write("schema.yaml", """
            version: "1"
            fields:
              - name： credit_code
                type: string
                label: 统一社会信用代码
            """)
        #expect {
            try Schema.load(from: url)
        } throws: { error in
            let text = "\(error)"
            return text.contains("第3行") && text.contains("全角冒号")
        }
    }

    @Test func aDashTypedAsAnEnDashIsNamed() {
        let text = "services:\n  - id: A\n  – id: B\n"
        #expect(YAMLPunctuationHint.hint(in: text, lines: [3])?.contains("第3行") == true)
        #expect(YAMLPunctuationHint.hint(in: "a: 1\nb: 2\n", lines: [1, 2]) == nil)
        // In a quoted text or a comment a full-width colon is data: no hint.
        #expect(YAMLPunctuationHint.hint(in: "name: \"服务：租金\"\n# 说明：无\n", lines: [1, 2]) == nil)
        // Nor in a description's text, after words that are no key.
        #expect(YAMLPunctuationHint.hint(in: "description: >-\n  金额：每户1万元\n", lines: [1, 2]) == nil)
    }
}
