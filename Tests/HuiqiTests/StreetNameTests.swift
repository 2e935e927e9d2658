import Foundation
import Huiqi
import Testing

@Suite struct StreetNameTests {
    @Test func shortAndFullNamesShareAKey() {
        #expect(StreetName.key("新安") == "新安")
        #expect(StreetName.key(" 新安街道 ") == "新安")
        // Nothing else is guessed (found in review: "街道街道", "沙井镇街道", case folded in lists only).
        #expect(StreetName.key("街道") == "街道")
        #expect(StreetName.key("沙井镇") == "沙井镇")
        #expect(StreetName.key("沙井镇") == "沙井镇")
        #expect(StreetName.key("Xixiang") == "Xixiang")
        #expect(StreetName.key("  ") == "")
    }

    /// The spellings the shipped rules accept are one street in lists and filters too (domain
    /// review: the rules judged "沙井街道办事处" as 沙井, the lists gave it a page of its own).
    @Test func prefixesAndOfficeSuffixesTheRulesAcceptShareTheKey() {
        for spelling in ["深圳市宝安区沙井街道", "宝安区沙井", "深圳市沙井街道", "沙井街道办事处", "沙井街道办", "沙井办事处", "沙井办",
                         "深圳市宝安区沙井街道办事处", " 沙井 ", "深圳市 宝安区 沙井街道", "沙井街道 办事处", "宝安区\u{3000}沙井"] {
            #expect(StreetName.key(spelling) == "沙井", "\(spelling)")
        }
        #expect(StreetName.key("宝安区") == "宝安区")
        #expect(StreetName.key("深圳市宝安区") == "宝安区")
        #expect(StreetName.key("街道办") == "街道")
    }
}
