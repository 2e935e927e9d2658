@testable import Huiqi
import Testing

/// What a list asks a cadre to collect, from the reasons the decision builder gives pending decisions.
@Suite struct ServiceListsFollowUpTests {
    private func pending(_ service: String, _ reasons: [String]) -> ServiceLists.Pending {
        ("\(service) \(service)名", ListReasons(reasons))
    }

    @Test func eachMissingItemOnceWithTheServicesWaitingForIt() {
        let followUps = ServiceLists.followUps([
            pending("A-01", ["小微企业: 缺少数据 年营业收入(万元)(revenue)", "未失信: 缺少数据 失信被执行人(dishonest)"]),
            pending("B-01", ["缺少数据: 年营业收入(万元)(revenue)"]),
            pending("C-01", ["无法计算金额: 月租金(元)(monthly_rent)"]),
            pending("D-01", ["所属街道\"粤海\"不是宝安区10个街道之一, 待核实"]),
        ])
        // Revenue (two services wait for it) first, then in order of appearance.
        #expect(followUps.map(\.what) == ["年营业收入(万元)(revenue)", "失信被执行人(dishonest)", "月租金(元)(monthly_rent) (用于计算金额)",
                                          "所属街道\"粤海\"不是宝安区10个街道之一, 待核实"])
        let reordered = ServiceLists.followUps([pending("G-02", ["个转企: 缺少数据 个转企日期(converted_from_individual_on)"]),
                                               pending("A-01", ["x: 缺少数据 失信被执行人(dishonest)"]), pending("B-01", ["缺少数据: 失信被执行人(dishonest)"])])
        #expect(reordered.map(\.what) == ["失信被执行人(dishonest)", "个转企日期(converted_from_individual_on)"])
        #expect(followUps[0].services == ["A-01 A-01名", "B-01 B-01名"])
        #expect(followUps[1].services == ["A-01 A-01名"])
    }

    /// Printed amounts are grouped by thousands (street-cadre review: "75000.00" is hard to read out).
    @Test func printedAmountsAreGroupedByThousands() {
        #expect(DecisionFileWriter.groupedMoney(75000) == "75,000.00")
        #expect(DecisionFileWriter.groupedMoney(1234567.891) == "1,234,567.89")
        #expect(DecisionFileWriter.groupedMoney(999) == "999.00")
        #expect(DecisionFileWriter.groupedMoney(0) == "0.00")
        #expect(DecisionFileWriter.groupedMoney(-1500) == "-1,500.00")
        #expect(DecisionFileWriter.groupedMoney(1e20) == "100,000,000,000,000,000,000.00")
    }

    /// The fast path (nothing to escape) and the slow one give what the page needs.
    @Test func htmlEscapesOnlyWhatItMust() {
        #expect(HTML.escape("新安街道 深圳市宝安区") == "新安街道 深圳市宝安区")
        #expect(HTML.escape("<b>粤海&amp;</b>'\"") == "&lt;b&gt;粤海&amp;amp;&lt;/b&gt;&#39;&quot;")
        #expect(HTML.escape("") == "")
    }

    /// A decision's reasons are encoded once for each reasons text (`ListReasons`): the card's and the
    /// CSV's bytes are those of the reasons escaped and joined, as a cell.
    @Test func reasonsEncodedOnceAreTheReasonsJoined() {
        for texts in [[], [""], ["小微企业: 年营业收入500万元"], ["a<b", "c&d, \"e\"", "=1+1"], ["第一", "", "多行\n理由"]] {
            let reasons = ListReasons(texts)
            #expect(reasons.html == Array(texts.map(HTML.escape).joined(separator: "；").utf8), "\(texts)")
            var cell: [UInt8] = []
            CSVWriter.appendCell(.text(texts.joined(separator: "; ")), to: &cell)
            #expect(reasons.csvCell == cell, "\(texts)")
            #expect(reasons.missingData == texts.map(ServiceLists.missingData(in:)))
        }
    }

    /// The cards are encoded as bytes: the same bytes as the strings `escape` and `groupedMoney` give.
    @Test func cardBytesAreThoseOfTheStrings() {
        for text in ["", "新安街道", "<b>粤海&amp;</b>'\"", "&", "a<b", "结尾>", "\"引号\"在两端\"", "é 组合 e\u{301}"] {
            var bytes: [UInt8] = [0x41]
            HTML.appendEscaped(text, to: &bytes)
            #expect(bytes == [0x41] + Array(HTML.escape(text).utf8), "\(text)")
        }
        // groupedMoney as it was written on strings, before the cards wrote bytes.
        func grouped(_ v: Double) -> String {
            let text = DecisionFileWriter.money(v)
            let sign = text.hasPrefix("-") ? "-" : ""
            let unsigned = text.dropFirst(sign.count)
            guard let dot = unsigned.firstIndex(of: "."), unsigned[..<dot].allSatisfy(\.isNumber) else { return text }
            var whole = Array(unsigned[..<dot]), groups: [Character] = []
            while whole.count > 3 {
                groups = [","] + whole.suffix(3) + groups
                whole.removeLast(3)
            }
            return sign + String(whole + groups) + unsigned[dot...]
        }
        var values: [Double] = [0, -0.0, 0.004, -0.004, 0.005, 1, 12, 123, 1234, 12345, 123456, 1234567.891, -1500, -999.999, 9e16, -9e16, 1e20,
                                -1e20, 1e308, .infinity, -.infinity, .nan, .leastNonzeroMagnitude]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 { values.append(Double.random(in: -1e12...1e12, using: &generator).rounded() / 100) }
        for v in values {
            var bytes: [UInt8] = []
            DecisionFileWriter.appendGroupedMoney(v, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == grouped(v), "\(v)")
            #expect(DecisionFileWriter.groupedMoney(v) == grouped(v), "\(v)")
        }
    }

    @Test func missingDataReadsEachReasonForm() {
        #expect(ServiceLists.missingData(in: "小微企业: 缺少数据 年营业收入(万元)(revenue)") == "年营业收入(万元)(revenue)")
        #expect(ServiceLists.missingData(in: "缺少数据:  成立日期(established_on) ") == "成立日期(established_on)")
        #expect(ServiceLists.missingData(in: "无法计算金额: 月租金(元)(monthly_rent)") == "月租金(元)(monthly_rent) (用于计算金额)")
        #expect(ServiceLists.missingData(in: "缺少数据: ") == "缺少数据: ")
        #expect(ServiceLists.missingData(in: "待核实") == "待核实")
    }
}
