import Huiqi
import Testing

@Suite struct StreetNameTests {
    @Test func shortAndFullNamesShareAKey() {
        #expect(StreetName.key("新安") == StreetName.key("新安街道"))
        #expect(StreetName.key(" 新安街道 ") == "新安")
        #expect(StreetName.key("XinAn") == "xinan")
        #expect(StreetName.key("街道") == "街道")
    }

    @Test func aFilterSelectsEverySpellingOfTheStreet() {
        #expect(Set(StreetName.spellings("新安街道")) == ["新安街道", "新安"])
        #expect(Set(StreetName.spellings("新安")) == ["新安街道", "新安"])
    }

    @Test func listsGoUnderTheFullChineseName() {
        #expect(StreetName.display("新安") == "新安街道")
        #expect(StreetName.display("新安街道") == "新安街道")
        #expect(StreetName.display("Xixiang") == "xixiang")
        #expect(StreetName.display("  ") == "")
    }
}
