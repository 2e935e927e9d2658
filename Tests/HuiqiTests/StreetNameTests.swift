import Huiqi
import Testing

@Suite struct StreetNameTests {
    @Test func shortAndFullNamesShareAKey() {
        #expect(StreetName.key("新安") == "新安")
        #expect(StreetName.key(" 新安街道 ") == "新安")
        // Nothing else is guessed (found in review: "街道街道", "沙井镇街道", case folded in lists only).
        #expect(StreetName.key("街道") == "街道")
        #expect(StreetName.key("新安街道办事处") == "新安街道办事处")
        #expect(StreetName.key("沙井镇") == "沙井镇")
        #expect(StreetName.key("Xixiang") == "Xixiang")
        #expect(StreetName.key("  ") == "")
    }

    @Test func aFilterSelectsTheSpellingsItsKeyGroups() {
        #expect(Set(StreetName.spellings("新安街道")) == ["新安街道", "新安"])
        #expect(Set(StreetName.spellings("新安")) == ["新安街道", "新安"])
        #expect(Set(StreetName.spellings("Xixiang")) == ["Xixiang", "Xixiang街道"])
        #expect(StreetName.spellings("  ").isEmpty)
        for name in ["新安", "新安街道", "街道", "沙井镇", "Xixiang"] {
            #expect(StreetName.spellings(StreetName.key(name)).contains(name), "\(name)")
        }
    }
}
