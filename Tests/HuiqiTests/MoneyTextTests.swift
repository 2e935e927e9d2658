import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// Amounts as `explain` and `log explain` print them: yuan with two decimals.
@Suite struct MoneyTextTests {
    @Test func amountsReadAsYuanWithTwoDecimalsWhateverTheirSize() {
        #expect(DecisionFileWriter.money(1234.5) == "1234.50")
        #expect(DecisionFileWriter.money(0.07) == "0.07")
        #expect(DecisionFileWriter.money(-0.004) == "0.00")
        #expect(DecisionFileWriter.money(-3.006) == "-3.01")
        // Any finite amount a rule gives: these trapped converting cents to an integer.
        #expect(DecisionFileWriter.money(-2e20) == "-200000000000000000000.00")
        let huge = DecisionFileWriter.money(1e308)
        #expect(huge.hasPrefix("1000000000000000") && huge.hasSuffix(".00") && huge.count == 312)
    }

    /// `--out` JSON Lines round amounts to the cent; an amount whose cents overflow a Double wrote `inf`.
    @Test func hugeAmountsStayValidJSON() throws {
        for amount in [1e308, -1.7e308, 12.5] {
            var d = Decision(serviceID: "SVC-01", ruleID: "r", outcome: .eligible, reasons: ["好"])
            d.amount = amount
            let line = DecisionFileWriter.jsonLine(DecisionRecord(creditCode: "91350100M000100Y43", name: "测试企业", street: "新安",
                                                                  serviceName: "服务", decision: d))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line)) as? [String: Any])
            let parsed = try #require(object["amount"] as? Double)
            #expect(parsed == amount)
        }
    }

    /// Found in review: a decision whose first condition was skipped began its condition cell with
    /// the skipped mark "-", which the CSV escapes against Excel formulas: users saw `'- 条件`.
    @Test func aSkippedFirstConditionNeedsNoFormulaEscapeInTheCSV() throws {
        let dir = try TemporaryDirectory()
        // Not an error: there the first skipped condition is the one that raised, marked "!".
        var d = Decision(serviceID: "SVC-01", ruleID: "r", outcome: .ineligible, reasons: ["主体类型不适用"])
        d.conditions = [ConditionResult(label: "未列入失信被执行人名单", state: .skipped), ConditionResult(label: "小微企业", state: .passed)]
        let path = dir.file("d.csv").path
        let writer = try DecisionFileWriter(path: path)
        try writer.write(DecisionRecord(creditCode: "91350100M000100Y43", name: "测试企业", street: "新安", serviceName: "服务", decision: d))
        try writer.close()
        let text = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        #expect(text.contains(",· 未列入失信被执行人名单; ✓ 小微企业,"), "\(text)")
        #expect(!text.contains("'"))
    }
}
