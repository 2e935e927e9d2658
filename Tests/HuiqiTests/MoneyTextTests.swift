import Foundation
@testable import Huiqi
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
}
