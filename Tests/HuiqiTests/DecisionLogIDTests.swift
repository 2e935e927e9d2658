import Huiqi
import Testing

@Suite struct DecisionLogIDTests {
    @Test func encodesRunRowAndSlotReadably() {
        let id = DecisionID(run: 3, row: 1205, slot: 7)
        #expect(id.rawValue == 3_000_001_205_007)
        #expect(id.description == "3000001205007")
        #expect(DecisionID(rawValue: id.rawValue) == id)
        #expect(DecisionID(text: "3_000_001_205_007") == id)
        #expect(DecisionID(text: "=\"3000001205007\"") == id)   // pasted from a CSV export read as text
        // Excel's text mark, as a cell copied from a sheet carries it (`review --from` took it, `review ID` did not)
        #expect(DecisionID(text: "'3000001205007") == id)
    }

    @Test func roundTripsAtTheLimits() {
        for id in [DecisionID(run: 1, row: 1, slot: 0), DecisionID(run: 9_000_000, row: DecisionID.maxRow, slot: DecisionID.maxSlot)] {
            #expect(DecisionID(rawValue: id.rawValue) == id)
        }
    }

    @Test func rejectsWhatTheSchemeNeverProduces() {
        #expect(DecisionID(rawValue: 0) == nil)
        #expect(DecisionID(rawValue: 999) == nil)            // run 0
        #expect(DecisionID(rawValue: 1_000_000_000_005) == nil)  // row 0
        #expect(DecisionID(text: "12a") == nil)
        #expect(DecisionID(text: "") == nil)
        #expect(DecisionID(text: "-1000000001000") == nil)
    }
}
