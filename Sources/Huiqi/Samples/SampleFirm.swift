/// The facts about one sample business, before they are written as cells of some schema.
///
/// Drawn from the row's own random stream, so row `i` is the same whatever the schema and
/// whichever rows are generated before it. Values are internally consistent: insured ≤ employees,
/// 规上 follows revenue, 高企/专精特新 come with R&D spending, new firms are rated M.
struct SampleFirm {
    enum SubjectType: String { case enterprise, individual, market }

    var subjectType: SubjectType
    var street: String
    var industry: SampleVocabulary.Industry
    var name: String
    var creditCode: String
    var established: ISODate
    var employees: Int
    /// 万元, last full year.
    var revenue: Double
    /// 万元.
    var totalAssets: Double
    var taxCreditRating: String
    var insuredEmployees: Int
    var highTech: Bool
    var specialized: Bool
    var hasPartyOrg: Bool
    var stateOwnedPremises: Bool
    /// 元/month.
    var monthlyRent: Double
    var hasBankLoan: Bool
    /// 万元, last year.
    var rdExpense: Double
    var newHires12m: Int
    /// 元, last year.
    var unemploymentInsurancePaid: Double
    var aboveScale: Bool
    var dishonest: Bool
    var abnormalOperation: Bool
    var tags: [String]
    /// The bundle's optional fields (loans, layoffs, 个转企…), drawn last from the facts above.
    var extras = SampleExtras()

    /// Latest establishment date drawn: the day the sample register is drawn as of, README's
    /// `--as-of`. A firm established after the as-of date is a reject (`max: as_of`), and the
    /// shipped samples had five such firms when this was 2025-06-30.
    static let latestEstablished = 20_240 // 2025-06-01
    static let earliestEstablished = 9_131 // 1995-01-01
    /// Firms set up after this are too new to have been rated: 纳税信用 M.
    static let newFirmSince = 19_905 // 2024-07-01

    /// 31^6: the 6-character serial part of a credit code is unique for indices below this.
    static let serialSpace: UInt64 = 887_503_681

    static func draw(index: Int, seed: UInt64, rng: inout SplitMix64) -> SampleFirm {
        let roll = rng.nextUnit()
        let type: SubjectType = roll < 0.55 ? .enterprise : (roll < 0.97 ? .individual : .market)
        let industry: SampleVocabulary.Industry
        switch type {
        case .enterprise:
            industry = SampleVocabulary.enterpriseIndustries[pickWeighted(SampleVocabulary.enterpriseWeights, &rng)]
        case .individual:
            industry = SampleVocabulary.individualIndustries[pickWeighted(SampleVocabulary.individualWeights, &rng)]
        case .market:
            industry = SampleVocabulary.marketIndustries[pickWeighted(SampleVocabulary.marketWeights, &rng)]
        }
        let streetWeights = industry.section == UInt8(ascii: "C") ? SampleVocabulary.manufacturingStreetWeights
                                                    : SampleVocabulary.otherStreetWeights
        let street = SampleVocabulary.streets[pickWeighted(streetWeights, &rng)]

        // Recent years are denser (many young firms, individuals younger still).
        let u = rng.nextUnit()
        let skew = type == .individual ? u * u : (type == .enterprise ? u * u.squareRoot() : u)
        let span = Double(latestEstablished - earliestEstablished)
        let dayNumber = latestEstablished - Int(span * skew)
        let established = ISODate(clampingDayNumber: dayNumber)

        var firm = SampleFirm(
            subjectType: type, street: street, industry: industry, name: "", creditCode: "",
            established: established, employees: 1, revenue: 0, totalAssets: 0, taxCreditRating: "M",
            insuredEmployees: 0, highTech: false, specialized: false, hasPartyOrg: false,
            stateOwnedPremises: false, monthlyRent: 0, hasBankLoan: false, rdExpense: 0, newHires12m: 0,
            unemploymentInsurancePaid: 0, aboveScale: false, dishonest: false, abnormalOperation: false, tags: [])
        firm.drawSize(&rng)
        firm.drawFlags(&rng)
        firm.name = firm.drawName(&rng)
        firm.creditCode = firm.makeCreditCode(index: index, seed: seed, &rng)
        // A stream of their own, so the facts above stay what they were before extras existed.
        var extraRng = SplitMix64(seed: rng.next())
        firm.drawExtras(&extraRng)
        return firm
    }

    // MARK: - Size

    private mutating func drawSize(_ rng: inout SplitMix64) {
        switch subjectType {
        case .enterprise:
            employees = max(1, min(20000, Int(SampleMath.logNormal(median: industry.medianEmployees, sigma: 1.25, &rng).rounded())))
            revenue = Double(employees) * SampleMath.logNormal(median: industry.revenuePerEmployee, sigma: 0.6, &rng)
            totalAssets = revenue * SampleMath.logNormal(median: 0.9, sigma: 0.6, &rng)
        case .individual:
            // 1–8 people, mostly the owner and one or two helpers.
            employees = 1 + SampleFirm.pickWeighted([30, 25, 17, 10, 7, 5, 3, 3], &rng)
            revenue = min(199.5, SampleMath.logNormal(median: 18 + 4 * Double(employees), sigma: 0.8, &rng))
            totalAssets = revenue * SampleMath.logNormal(median: 0.5, sigma: 0.5, &rng)
        case .market:
            employees = max(5, Int(SampleMath.logNormal(median: industry.medianEmployees, sigma: 0.6, &rng).rounded()))
            revenue = SampleMath.logNormal(median: 800, sigma: 0.9, &rng)
            totalAssets = SampleMath.logNormal(median: 3000, sigma: 0.8, &rng)
        }
        revenue = SampleFirm.cents(max(revenue, 0.5))
        totalAssets = SampleFirm.cents(max(totalAssets, 0.5))

        switch subjectType {
        case .enterprise:
            insuredEmployees = rng.chance(0.05) ? 0 : Int(Double(employees) * rng.nextUnit(0.55, 1.0))
            newHires12m = rng.chance(0.35) ? 0 : Int((Double(employees) * rng.nextUnit(0, 0.35)).rounded())
        case .individual:
            insuredEmployees = rng.chance(0.5) ? 0 : rng.nextInt(in: 1...employees)
            newHires12m = rng.chance(0.7) ? 0 : min(employees, rng.nextInt(in: 1...2))
        case .market:
            insuredEmployees = Int(Double(employees) * rng.nextUnit(0.6, 1.0))
            newHires12m = rng.nextInt(in: 0...5)
        }
        // Employer unemployment-insurance contributions: a few hundred 元 per insured person a year.
        unemploymentInsurancePaid = SampleFirm.cents(Double(insuredEmployees) * rng.nextUnit(180, 520))

        switch subjectType {
        case .enterprise:
            monthlyRent = rng.chance(0.07) ? 0
                : SampleFirm.hundreds(2000 + Double(employees) * SampleMath.logNormal(median: 900, sigma: 0.5, &rng))
        case .individual:
            monthlyRent = max(800, SampleFirm.hundreds(SampleMath.logNormal(median: 6000, sigma: 0.6, &rng)))
        case .market:
            monthlyRent = SampleFirm.hundreds(SampleMath.logNormal(median: 150_000, sigma: 0.7, &rng))
        }
    }

    // MARK: - Flags

    private mutating func drawFlags(_ rng: inout SplitMix64) {
        let isEnterprise = subjectType == .enterprise
        let section = industry.section

        if isEnterprise && industry.isTech {
            rdExpense = rng.chance(0.7) ? SampleFirm.cents(revenue * rng.nextUnit(0.01, 0.08)) : 0
            highTech = employees >= 10 && established.year <= 2024 && rng.chance(0.15)
        } else if isEnterprise && rng.chance(0.03) {
            rdExpense = SampleFirm.cents(revenue * rng.nextUnit(0.002, 0.02))
        }
        let researchy = section == UInt8(ascii: "C") || section == UInt8(ascii: "I") || section == UInt8(ascii: "M")
        if isEnterprise && researchy && revenue >= 1000 && established.year <= 2022 {
            specialized = rng.chance(highTech ? 0.35 : 0.08)
        }
        // The designations need real R&D (高企: ≥3–5% of sales; 专精特新: ≥100万 and ≥3%).
        if highTech { rdExpense = max(rdExpense, SampleFirm.cents(revenue * rng.nextUnit(0.04, 0.09))) }
        if specialized { rdExpense = max(rdExpense, 100, SampleFirm.cents(revenue * rng.nextUnit(0.03, 0.07))) }

        aboveScale = subjectType != .individual && revenue >= industry.aboveScaleThreshold

        switch subjectType {
        case .enterprise:
            hasPartyOrg = rng.chance(employees >= 50 ? 0.4 : (employees >= 10 ? 0.1 : 0.03))
            stateOwnedPremises = rng.chance(0.08)
            // Tech firms borrow more (科技贷, IP-pledge loans, guaranteed tech-firm schemes).
            let techLending = highTech || specialized ? 0.25 : (rdExpense > 0 ? 0.1 : 0)
            hasBankLoan = rng.chance((employees >= 20 ? 0.45 : 0.25) + techLending)
            dishonest = rng.chance(0.015)
            abnormalOperation = rng.chance(0.025)
        case .individual:
            hasPartyOrg = rng.chance(0.01)
            stateOwnedPremises = rng.chance(0.12)
            hasBankLoan = rng.chance(0.12)
            dishonest = rng.chance(0.02)
            abnormalOperation = rng.chance(0.035)
        case .market:
            hasPartyOrg = rng.chance(0.6)
            stateOwnedPremises = rng.chance(0.25)
            hasBankLoan = rng.chance(0.4)
            dishonest = rng.chance(0.01)
            abnormalOperation = rng.chance(0.01)
        }

        if established.dayNumber >= SampleFirm.newFirmSince {
            taxCreditRating = "M"
        } else if dishonest {
            taxCreditRating = rng.chance(0.7) ? "D" : "C"
        } else {
            let ratings = ["A", "B", "M", "C", "D"]
            switch subjectType {
            case .enterprise: taxCreditRating = ratings[SampleFirm.pickWeighted([10, 45, 32, 9, 4], &rng)]
            case .individual: taxCreditRating = ratings[SampleFirm.pickWeighted([3, 35, 55, 5, 2], &rng)]
            case .market: taxCreditRating = ratings[SampleFirm.pickWeighted([20, 55, 20, 5, 0], &rng)]
            }
        }

        if highTech { tags.append(SampleVocabulary.tagHighTech) }
        if specialized { tags.append(SampleVocabulary.tagSpecialized) }
        if isEnterprise && industry.isTech && !highTech && rng.chance(0.2) { tags.append(SampleVocabulary.tagTechSME) }
        if isEnterprise && (section == UInt8(ascii: "C") ? rng.chance(0.22) : (industry.isWholesale && rng.chance(0.1))) {
            tags.append(SampleVocabulary.tagExport)
        }
        if isEnterprise && rng.chance(0.05) { tags.append(SampleVocabulary.tagForeign) }
        if isEnterprise && established.year >= 2019 && rng.chance(0.04) { tags.append(SampleVocabulary.tagIndividualToEnterprise) }
        if subjectType == .individual && rng.chance(0.04) { tags.append(SampleVocabulary.tagPriorityGroup) }
        if (section == UInt8(ascii: "F") || section == UInt8(ascii: "H")) && rng.chance(0.06) {
            tags.append(isEnterprise ? SampleVocabulary.tagChain : SampleVocabulary.tagOnline)
        }
        drawTop100Entry()
    }

    /// 首次进入省/市百强 (RWD-01): each year a few of the district's largest firms enter the
    /// provincial or city top-100 lists for the first time. This generator's revenue tail is thinner
    /// than the district's (about 200 firms per million above 2亿元), so the tags go to its largest
    /// enterprises rather than by the lists' real thresholds. Drawn from a generator seeded by the
    /// firm's own figures, so every other value of every sample stays what it was.
    mutating func drawTop100Entry() {
        guard subjectType == .enterprise, revenue >= SampleFirm.top100Revenue else { return }
        var side = SplitMix64(seed: SplitMix64.mix(UInt64(revenue * 100) ^ UInt64(employees) << 40))
        let draw = side.nextUnit()
        if draw < 0.03 {
            tags.append(SampleVocabulary.tagProvinceTop100)
        } else if draw < 0.15 {
            tags.append(SampleVocabulary.tagCityTop100)
        }
    }

    /// Revenue (万元) from which a sample enterprise may have entered a top-100 list.
    static let top100Revenue = 20_000.0

    // MARK: - Name and code

    private func drawName(_ rng: inout SplitMix64) -> String {
        let brand = SampleFirm.brand(&rng)
        let words = industry.nameWords[rng.nextInt(below: industry.nameWords.count)]
        switch subjectType {
        case .enterprise:
            let form = rng.chance(0.03) ? "股份有限公司" : "有限公司"
            return "深圳市" + brand + words + form
        case .individual:
            return "宝安区" + street + brand + words
        case .market:
            let goods = SampleVocabulary.marketGoods[rng.nextInt(below: SampleVocabulary.marketGoods.count)]
            return street + (rng.chance(0.6) ? brand : "") + goods + "专业市场"
        }
    }

    /// A 字号 of 2 characters, sometimes 3 or 4.
    private static func brand(_ rng: inout SplitMix64) -> String {
        let roll = rng.nextUnit()
        let length = roll < 0.8 ? 2 : (roll < 0.95 ? 3 : 4)
        var text = ""
        for _ in 0..<length {
            text += SampleVocabulary.nameCharacters[rng.nextInt(below: SampleVocabulary.nameCharacters.count)]
        }
        return text
    }

    /// `91`/`92` + `440300`/`440306` + a 9-character body + check character. The body's last six
    /// characters are a permutation of the index (times a unit mod 31^6, plus a seed offset), so no
    /// two rows below `serialSpace` share a code; the first three look like 2016+ (`MA5`) or older codes.
    private func makeCreditCode(index: Int, seed: UInt64, _ rng: inout SplitMix64) -> String {
        let charset = SampleFirm.codeCharset
        var bytes: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                    UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8)
            = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        return withUnsafeMutableBytes(of: &bytes) { code in
            code[0] = UInt8(ascii: "9")
            code[1] = subjectType == .individual ? UInt8(ascii: "2") : UInt8(ascii: "1")
            let region = rng.chance(0.7) ? SampleFirm.cityRegion : SampleFirm.districtRegion
            for k in 0..<6 { code[2 + k] = region[k] }
            if established.year >= 2016 {
                code[8] = UInt8(ascii: "M"); code[9] = UInt8(ascii: "A"); code[10] = UInt8(ascii: "5")
            } else {
                code[8] = subjectType == .individual ? UInt8(ascii: "L") : UInt8(ascii: "7")
                code[9] = charset[rng.nextInt(below: 10)]
                code[10] = charset[rng.nextInt(below: 10)]
            }
            let offset = SplitMix64.mix(seed) % SampleFirm.serialSpace
            var serial = (UInt64(truncatingIfNeeded: index) % SampleFirm.serialSpace * 387_420_489 + offset)
                % SampleFirm.serialSpace
            for k in stride(from: 16, through: 11, by: -1) {
                code[k] = charset[Int(serial % 31)]
                serial /= 31
            }
            code[17] = SampleFirm.checkByte(for: UnsafeRawBufferPointer(rebasing: code[0..<17]))
            return String(decoding: code, as: UTF8.self)
        }
    }

    private static let cityRegion = Array("440300".utf8)
    private static let districtRegion = Array("440306".utf8)

    static let codeCharset: [UInt8] = CreditCode.charset.map { $0.asciiValue ?? 0x30 }

    /// ASCII byte → value in the credit-code charset (0 for bytes outside it, never produced here).
    private static let codeValue: [Int] = {
        var table = [Int](repeating: 0, count: 128)
        for (value, byte) in codeCharset.enumerated() { table[Int(byte)] = value }
        return table
    }()

    /// `CreditCode.checkCharacter` on bytes: the same GB 32100-2015 weights, without building
    /// `Character`s, because the generator makes millions of codes. Tests check every code with
    /// `CreditCode.isValid`.
    static func checkByte(for first17: UnsafeRawBufferPointer) -> UInt8 {
        var sum = 0
        for (i, byte) in first17.prefix(17).enumerated() { sum += codeValue[Int(byte & 0x7F)] * CreditCode.weights[i] }
        return codeCharset[(31 - sum % 31) % 31]
    }

    // MARK: - Helpers

    static func pickWeighted(_ weights: [Int], _ rng: inout SplitMix64) -> Int {
        let total = weights.reduce(0, +)
        var target = rng.nextInt(below: max(total, 1))
        for (i, w) in weights.enumerated() {
            if target < w { return i }
            target -= w
        }
        return weights.count - 1
    }

    static func cents(_ value: Double) -> Double { (value * 100).rounded() / 100 }
    static func hundreds(_ value: Double) -> Double { (value / 100).rounded() * 100 }
}

extension SampleFirm {
    /// The fact a core field shows.
    func value(for role: SampleField.Role) -> SampleField.Value {
        switch role {
        case .creditCode: return .text(creditCode)
        case .name: return .text(name)
        case .subjectType: return .key(subjectType.rawValue)
        case .industryCode: return .text(industry.code)
        case .street: return .key(street)
        case .establishedOn: return .date(established)
        case .employees: return .int(employees)
        case .revenue: return .dec(revenue)
        case .totalAssets: return .dec(totalAssets)
        case .taxCreditRating: return .key(taxCreditRating)
        case .insuredEmployees: return .int(insuredEmployees)
        case .highTech: return .bool(highTech)
        case .specialized: return .bool(specialized)
        case .hasPartyOrg: return .bool(hasPartyOrg)
        case .stateOwnedPremises: return .bool(stateOwnedPremises)
        case .monthlyRent: return .dec(monthlyRent)
        case .hasBankLoan: return .bool(hasBankLoan)
        case .rdExpense: return .dec(rdExpense)
        case .newHires12m: return .int(newHires12m)
        case .unemploymentInsurancePaid: return .dec(unemploymentInsurancePaid)
        case .aboveScale: return .bool(aboveScale)
        case .dishonest: return .bool(dishonest)
        case .abnormalOperation: return .bool(abnormalOperation)
        case .tags: return .list(tags)
        }
    }
}
