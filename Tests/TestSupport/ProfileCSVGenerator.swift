import Foundation
import Huiqi

/// Generates profile CSVs for `BundleFixture.schemaYAML` (Chinese headers), deterministic for a
/// seed, with valid 统一社会信用代码 check digits and a controlled mix of cases: individuals,
/// missing values (undetermined outcomes), a bad industry code (rule errors) and, optionally,
/// rows with a wrong check digit (rejects).
public enum ProfileCSVGenerator {
    public static let header = "统一社会信用代码,企业名称,主体类型,所属街道,行业代码,成立日期,从业人数,年营业收入(万元),资产总额(万元),月租金(元),租用国有物业,失信被执行人"
    public static let streets = ["新安街道", "西乡街道", "航城街道", "福永街道", "福海街道", "沙井街道", "新桥街道", "松岗街道", "燕罗街道", "石岩街道"]

    /// A valid code for business `i`: 91… for enterprises, 92… for individuals.
    public static func creditCode(_ i: Int, individual: Bool = false) -> String {
        let first17 = (individual ? "924403" : "914403") + String(format: "%011d", i)
        return first17 + String(CreditCode.checkCharacter(for: first17) ?? "0")
    }

    /// Whether row `i` (1-based) is an individual (个体工商户).
    public static func isIndividual(_ i: Int) -> Bool { i % 4 == 0 }

    /// The CSV text: header and `rows` records; every `rejectEvery`-th record has a wrong check digit.
    public static func csv(rows: Int, seed: UInt64 = 1, rejectEvery: Int? = nil) -> String {
        var state = seed &* 6364136223846793005 &+ 1442695040888963407
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var lines = [header]
        lines.reserveCapacity(rows + 1)
        for i in 1...max(1, rows) where rows > 0 {
            let individual = isIndividual(i)
            var code = creditCode(i, individual: individual)
            if let every = rejectEvery, i % every == 0 {
                let last = code.removeLast()
                code.append(last == "0" ? "1" : "0")
            }
            let name = individual ? "宝安区个体户\(i)号" : "深圳市宝安区\(["明德", "华信", "创新", "远航", "宏达"][i % 5])科技有限公司\(i)"
            let industry = i % 50 == 0 ? "X9999" : ["C3981", "I6510", "F5124", "M7320"][next(4)]
            let employees = i % 7 == 0 ? "" : String(1 + next(300))
            let revenue = i % 11 == 0 ? "" : String(format: "%.1f", Double(next(50_000)) / 10)
            let assets = String(format: "%.1f", Double(next(40_000)) / 10)
            let rent = String(next(40_000))
            let stateOwned = next(2) == 0 ? "是" : "否"
            let dishonest = next(9) == 0 ? "是" : "否"
            let date = String(format: "%04d-%02d-%02d", 2005 + next(19), 1 + next(12), 1 + next(28))
            lines.append([code, name, individual ? "个体工商户" : "企业", streets[i % streets.count], industry, date, employees,
                          revenue, assets, rent, stateOwned, dishonest].joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Writes `csv(rows:seed:rejectEvery:)` to `url`.
    public static func write(rows: Int, to url: URL, seed: UInt64 = 1, rejectEvery: Int? = nil) throws {
        try Data(csv(rows: rows, seed: seed, rejectEvery: rejectEvery).utf8).write(to: url)
    }
}
