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
}
