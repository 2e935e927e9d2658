import Foundation
import Huiqi
import Testing
import TestSupport

@Suite struct StreetNameTests {
    @Test func shortAndFullNamesShareAKey() {
        #expect(StreetName.key("新安") == "新安")
        #expect(StreetName.key(" 新安街道 ") == "新安")
        // Nothing else is guessed (found in review: "街道街道", "沙井镇街道", case folded in lists only).
        #expect(StreetName.key("街道") == "街道")
        #expect(StreetName.key("沙井镇") == "沙井镇")
        #expect(StreetName.key("沙井镇") == "沙井镇")
        #expect(StreetName.key("  ") == "")
    }

    /// As the shipped rules read them (street-cadre review: "xinan" was judged 新安 by SVC-01 but
    /// got a page of its own, which `--street 新安` left out; " 宝安区 新安 街道 " was listed under 新安
    /// while the rules called it no Bao'an street). Pinyin only as the whole cell, as the rules.
    @Test func pinyinAndSpacesInsideAreTheStreetTheRulesSee() {
        #expect(StreetName.key("Xixiang") == "西乡")
        #expect(StreetName.key("XinAn") == "新安")
        #expect(StreetName.key(" xinan ") == "新安")
        #expect(StreetName.key(" 宝安区 新安 街道 ") == "新安")
        #expect(StreetName.key("新\u{3000}安") == "新安")
        #expect(StreetName.key("宝安区xinan") == "xinan")
        #expect(StreetName.key("yuehai") == "yuehai")
        #expect(StreetName.isBaoan(key: "沙井") && !StreetName.isBaoan(key: "粤海") && !StreetName.isBaoan(key: StreetName.unfilled))
        #expect(StreetName.heading(key: "沙井") == "沙井街道" && StreetName.heading(key: "粤海") == "粤海")
    }

    /// Lists and street lists go in the district's order (新安, 西乡, 航城, …), then other
    /// spellings, then businesses without a street.
    @Test func streetsSortInTheDistrictsOrder() {
        let keys = ["石岩", StreetName.unfilled, "粤海", "西乡", "新安", "沙井镇"]
        #expect(keys.sorted(by: StreetName.ordered) == ["新安", "西乡", "石岩", "沙井镇", "粤海", StreetName.unfilled])
    }

    /// The Swift table is the one `lib/baoan.lua` ships (names, short names and pinyin, in order).
    @Test func theTableIsTheShippedRulesTable() throws {
        let lua = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Rules/lib/baoan.lua"), encoding: .utf8)
        let pattern = /\{ name = "([^"]+)", short = "([^"]+)", pinyin = "([^"]+)" \}/
        let shipped = lua.matches(of: pattern).map { "\($0.1)|\($0.2)|\($0.3)" }
        #expect(shipped.count == 10)
        #expect(shipped == StreetName.baoan.map { "\($0.name)|\($0.short)|\($0.pinyin)" })
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

    /// Lists and the shipped rules agree on odd spellings (code review: a no-break space was
    /// removed by the lists and kept by `lib/baoan.lua`, so a business listed under 新安 was "not a
    /// Bao'an street" on its own card). SVC-01 is eligible exactly for the spellings `key` maps to
    /// one of the ten streets, and names the same street.
    @Test func theShippedRulesReadEveryOddSpellingAsTheListsDo() throws {
        let loaded = try LoadedBundle.load(directory: PackagePaths.root.appendingPathComponent("Rules").path)
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let svc01 = try #require(runtime.plan.slots.firstIndex { $0.service.id == "SVC-01" })
        let spellings = ["新安", " 新安街道 ", "新安\u{00A0}街道", "\u{2003}西乡\u{202F}办", "宝安区 新安 街道", "深圳市　宝安区　沙井街道办事处",
                         "XinAn", " shajing\u{3000}", "xi xiang", "宝安区xinan", "粤海街道", "沙井镇", "宝安区", "街道", "新安\u{200B}街道",
                         "ＸＩＮＡＮ", "新安街道\n", "福永街道办", "福海办事处", "石岩\t街道"]
        for spelling in spellings {
            let profile = BundleFixture.profile(loaded.schema, ["street": .string(spelling)])
            let decision = runtime.decisions(for: profile)[svc01]
            let key = StreetName.key(spelling)
            if StreetName.isBaoan(key: key) {
                #expect(decision.outcome == .eligible && decision.reasons.first?.hasSuffix(StreetName.heading(key: key)) == true,
                        "\(spelling.debugDescription): lists say \(key), SVC-01 \(decision.outcome) \(decision.reasons)")
            } else {
                #expect(decision.outcome != .eligible, "\(spelling.debugDescription): lists say \(key), SVC-01 eligible \(decision.reasons)")
            }
        }
    }
}
