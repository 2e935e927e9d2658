/// The facts behind the shipped bundle's optional fields — loans, layoffs, youth hires, 个转企, 四上
/// entry, tech designations, equity, taxes, violations — drawn from a firm's core facts so that
/// they agree with them.
///
/// Keyed by field name like the core roles (`SampleField.Role`): a schema that declares
/// `first_loan_on` gets a date only for firms with a bank-loan record, `above_scale_since` only for
/// 四上 firms, `tech_staff` never more than `employees`. A nil fact is a cell that must stay empty
/// (there is nothing to report), not a missing value. Dates never fall after
/// `SampleFirm.latestEstablished`, the day the sample register is drawn as of.
struct SampleExtras {
    /// The optional fields this type knows, by schema name.
    enum Field: String, CaseIterable {
        case firstLoanOn = "first_loan_on", firstLoanAmount = "first_loan_amount"
        case loanInterestPaid = "loan_interest_paid", guaranteeFeePaid = "guarantee_fee_paid"
        case layoffRate = "layoff_rate", unemploymentInsuranceMonths = "unemployment_insurance_months"
        case youthHires = "youth_hires", youthMinInsuredMonths = "youth_min_insured_months"
        case convertedFromIndividualOn = "converted_from_individual_on", aboveScaleSince = "above_scale_since"
        case strategicEmerging = "strategic_emerging", sciTechSME = "sci_tech_sme", hasCoreIP = "has_core_ip"
        case techStaff = "tech_staff", highTechIncomeRatio = "high_tech_income_ratio"
        case equityFinancing2y = "equity_financing_2y", taxPaidLastYear = "tax_paid_last_year"
        case seriousViolation = "serious_violation"
        case creditLoanInterestPaid = "credit_loan_interest_paid", industrySection = "industry_section"
    }

    /// Nil without a bank-loan record.
    var firstLoanOn: ISODate?
    /// 万元; nil without a bank-loan record.
    var firstLoanAmount: Double?
    /// 元, last calendar year.
    var loanInterestPaid: Double = 0
    /// 元, last calendar year.
    var guaranteeFeePaid: Double = 0
    /// 元, last calendar year: the part of `loanInterestPaid` paid on credit (unsecured) loans.
    var creditLoanInterestPaid: Double = 0
    /// GB/T 4754 section letter of the industry code (the register's 门类 column).
    var industrySection: String?
    /// Share of last year-end's insured staff laid off, 0…0.3.
    var layoffRate: Double = 0
    var unemploymentInsuranceMonths = 0
    var youthHires = 0
    /// Nil when no young people were hired (a minimum over nobody).
    var youthMinInsuredMonths: Int?
    /// Nil unless the enterprise was once a 个体工商户.
    var convertedFromIndividualOn: ISODate?
    /// Nil unless the business is 四上.
    var aboveScaleSince: ISODate?
    var strategicEmerging = false
    var sciTechSME = false
    var hasCoreIP = false
    var techStaff = 0
    /// 0…1.
    var highTechIncomeRatio: Double = 0
    /// 万元, last two years.
    var equityFinancing2y: Double = 0
    var taxPaidLastYear = false
    var seriousViolation = false

    /// Last day of the last full calendar year before the register date (2024-12-31): "上年度".
    static let lastYearEnd = 20_088
    /// 2022-01-01: 个转企 rewards (and most conversions) start with Shenzhen's 2022 measures.
    static let conversionsSince = 18_993
    /// 2011-01-01: the current 四上 thresholds date from 2011.
    static let aboveScaleStatisticsSince = 14_975
    /// 科技型中小企业 evaluation limits: ≤500 staff, sales and assets ≤ 2亿元 (20000 万元).
    static let sciTechMaxEmployees = 500
    static let sciTechMaxMoney = 20_000.0

    /// The fact a field shows, or nil when its cell stays empty.
    func value(for field: Field) -> SampleField.Value? {
        switch field {
        case .firstLoanOn: return firstLoanOn.map { .date($0) }
        case .firstLoanAmount: return firstLoanAmount.map { .dec($0) }
        case .loanInterestPaid: return .dec(loanInterestPaid)
        case .guaranteeFeePaid: return .dec(guaranteeFeePaid)
        case .layoffRate: return .ratio(layoffRate)
        case .unemploymentInsuranceMonths: return .int(unemploymentInsuranceMonths)
        case .youthHires: return .int(youthHires)
        case .youthMinInsuredMonths: return youthMinInsuredMonths.map { .int($0) }
        case .convertedFromIndividualOn: return convertedFromIndividualOn.map { .date($0) }
        case .aboveScaleSince: return aboveScaleSince.map { .date($0) }
        case .strategicEmerging: return .bool(strategicEmerging)
        case .sciTechSME: return .bool(sciTechSME)
        case .hasCoreIP: return .bool(hasCoreIP)
        case .techStaff: return .int(techStaff)
        case .highTechIncomeRatio: return .ratio(highTechIncomeRatio)
        case .equityFinancing2y: return .dec(equityFinancing2y)
        case .taxPaidLastYear: return .bool(taxPaidLastYear)
        case .seriousViolation: return .bool(seriousViolation)
        case .creditLoanInterestPaid: return .dec(creditLoanInterestPaid)
        case .industrySection: return industrySection.map { .key($0) }
        }
    }
}

extension SampleFirm {
    /// Draws `extras` from the core facts, and keeps the tags that say the same thing
    /// (科技型中小企业, 个转企, 区引导基金子基金投资) in step with them.
    mutating func drawExtras(_ rng: inout SplitMix64) {
        var extras = SampleExtras()
        drawTechnology(into: &extras, &rng)
        drawLoans(into: &extras, &rng)
        drawEmployment(into: &extras, &rng)
        drawGrowth(into: &extras, &rng)
        drawCompliance(into: &extras, &rng)
        // Drawn last, so that adding them left every other field of the samples as it was.
        drawCreditLoans(into: &extras, &rng)
        if let letter = industry.code.first, letter.isASCII, letter.isLetter { extras.industrySection = String(letter).uppercased() }
        self.extras = extras
    }

    /// A day uniformly in `low...high` (just `low` when the range is empty).
    private static func day(_ low: Int, _ high: Int, _ rng: inout SplitMix64) -> ISODate {
        ISODate(clampingDayNumber: high <= low ? low : rng.nextInt(in: low...high))
    }

    // MARK: - Technology and equity

    private mutating func drawTechnology(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        guard subjectType == .enterprise else { return }
        let rdRatio = revenue > 0 ? rdExpense / revenue : 0

        // 科技型中小企业: evaluated yearly; needs R&D spending and SME size. The generic tag drawn
        // with the core facts is kept only where the evaluation could have been passed.
        let couldBeSciTech = rdExpense > 0 && employees <= SampleExtras.sciTechMaxEmployees
            && revenue <= SampleExtras.sciTechMaxMoney && totalAssets <= SampleExtras.sciTechMaxMoney
        let tagged = tags.contains(SampleVocabulary.tagTechSME)
        extras.sciTechSME = couldBeSciTech
            && (tagged || rng.chance(highTech ? 0.5 : (industry.isTech ? 0.12 : 0.05)))
        setTag(SampleVocabulary.tagTechSME, extras.sciTechSME)

        // 高企 must own core IP; otherwise the more a firm spends on R&D, the likelier it has some.
        if highTech {
            extras.hasCoreIP = true
        } else if specialized {
            extras.hasCoreIP = rng.chance(0.9)
        } else if rdExpense > 0 {
            extras.hasCoreIP = rng.chance(min(0.85, 0.15 + 8 * rdRatio + (extras.sciTechSME ? 0.2 : 0)))
        } else {
            extras.hasCoreIP = rng.chance(0.02)
        }

        // 高企 need ≥10% technical staff, and 科技型中小企业 ≥10% too.
        let share: Double
        if highTech {
            share = rng.nextUnit(0.12, 0.45)
        } else if extras.sciTechSME {
            share = rng.nextUnit(0.10, 0.40)
        } else if rdExpense > 0 {
            share = rng.nextUnit(0.02, 0.30)
        } else {
            share = rng.chance(0.15) ? rng.nextUnit(0, 0.05) : 0
        }
        let staff = Double(employees) * share
        extras.techStaff = min(employees, Int(share >= 0.10 ? staff.rounded(.up) : staff.rounded()))

        // 高企 need ≥60% of income from high-tech products; R&D firms in tech industries often get there.
        if highTech {
            extras.highTechIncomeRatio = rng.nextUnit(0.62, 0.95)
        } else if rdExpense > 0 {
            let base = industry.isTech ? rng.nextUnit(0.2, 0.85) : rng.nextUnit(0, 0.4)
            extras.highTechIncomeRatio = min(0.98, base + (extras.hasCoreIP ? 0.1 : 0))
        } else {
            extras.highTechIncomeRatio = rng.chance(0.85) ? 0 : rng.nextUnit(0.01, 0.2)
        }
        extras.highTechIncomeRatio = SampleFirm.cents(extras.highTechIncomeRatio)

        let isManufacturer = industry.section == UInt8(ascii: "C")
        let strategicOdds = highTech ? 0.45 : (specialized ? 0.4
            : (industry.isTech ? (rdExpense > 0 ? 0.2 : 0.05) : (isManufacturer ? 0.03 : 0.01)))
        extras.strategicEmerging = rng.chance(strategicOdds)

        // Equity: mostly none; venture money goes to designated and R&D-heavy firms.
        let equityOdds = specialized ? 0.3 : (highTech || extras.strategicEmerging ? 0.2
            : (industry.isTech && rdExpense > 0 ? 0.08 : 0.01))
        if rng.chance(equityOdds) {
            let raised = SampleMath.logNormal(median: max(800, revenue * 0.5), sigma: 0.9, &rng)
            extras.equityFinancing2y = max(50, (raised / 10).rounded() * 10)
            // Some strategic-industry rounds come from the district guidance fund's sub-funds.
            if extras.strategicEmerging && rng.chance(0.5) { setTag(SampleVocabulary.tagGuidedFund, true) }
        }
    }

    // MARK: - Loans

    private func drawLoans(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        guard hasBankLoan else { return } // no credit record: no first loan, no interest, no fees
        let today = SampleFirm.latestEstablished
        let start = established.dayNumber
        // First loans lean recent (inclusive-finance drives since 2019), never before the firm existed.
        let u = rng.nextUnit()
        let first = max(start + min(30, today - start), today - Int(Double(today - start) * u * u.squareRoot()))
        extras.firstLoanOn = ISODate(clampingDayNumber: first)

        let amount: Double
        switch subjectType {
        case .enterprise: amount = min(3000, max(10, revenue * SampleMath.logNormal(median: 0.12, sigma: 0.7, &rng)))
        case .individual: amount = min(100, max(3, SampleMath.logNormal(median: 20, sigma: 0.6, &rng)))
        case .market: amount = min(3000, max(50, revenue * SampleMath.logNormal(median: 0.2, sigma: 0.6, &rng)))
        }
        // Banks lend round sums: whole 万 below 50万, multiples of 5万 above.
        extras.firstLoanAmount = amount < 50 ? amount.rounded() : (amount / 5).rounded() * 5

        // Last year's interest: none when the first loan came this year, or (some) when repaid.
        let lastYearEnd = SampleExtras.lastYearEnd
        guard first <= lastYearEnd, !rng.chance(0.15) else { return }
        let yearShare = min(1, Double(lastYearEnd - first + 1) / 365)
        let balance = (extras.firstLoanAmount ?? 10) * SampleMath.logNormal(median: 1.3, sigma: 0.5, &rng)
        extras.loanInterestPaid = SampleFirm.cents(balance * 10_000 * rng.nextUnit(0.03, 0.055) * yearShare)
        // Guaranteed loans (政银担, tech-firm schemes) pay a fee of 0.5–2% a year.
        let isSciTech = highTech || extras.sciTechSME
        if rng.chance(isSciTech ? 0.5 : 0.15) {
            extras.guaranteeFeePaid = SampleFirm.cents(balance * 10_000 * rng.nextUnit(0.005, 0.02) * yearShare)
        }
    }

    /// Of last year's interest, the part on credit loans (FIN-07): about a third of firms with
    /// interest borrowed partly unsecured; half of 个体工商户 borrow only on credit (经营贷).
    private func drawCreditLoans(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        guard extras.loanInterestPaid > 0 else { return }
        switch subjectType {
        case .individual:
            if rng.chance(0.5) { extras.creditLoanInterestPaid = extras.loanInterestPaid }
        case .enterprise, .market:
            if rng.chance(0.35) { extras.creditLoanInterestPaid = SampleFirm.cents(extras.loanInterestPaid * rng.nextUnit(0.3, 1.0)) }
        }
    }

    // MARK: - Employment

    private func drawEmployment(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        if insuredEmployees > 0 {
            // Continuous unemployment-insurance months: since the firm started, unless payments lapsed.
            let lived = max(0, (SampleFirm.latestEstablished - established.dayNumber) * 12 / 365 - rng.nextInt(in: 0...2))
            let full = min(lived, 120)
            extras.unemploymentInsuranceMonths = full > 0 && rng.chance(0.15) ? rng.nextInt(in: 1...full) : full

            // Most did not lay anyone off; the rest a few people, as a share of last year-end's insured.
            if !rng.chance(subjectType == .individual ? 0.85 : 0.72) {
                let laid = max(1, Int((Double(insuredEmployees) * SampleMath.logNormal(median: 0.04, sigma: 0.9, &rng)).rounded()))
                let rate = min(0.3, Double(laid) / Double(insuredEmployees + laid))
                extras.layoffRate = (rate * 10_000).rounded() / 10_000
            }
        }

        // Young graduates / registered unemployed youth are part of the last 12 months' hires.
        if newHires12m > 0 {
            let odds: Double
            switch subjectType {
            case .enterprise: odds = 0.45
            case .individual: odds = 0.2
            case .market: odds = 0.4
            }
            if rng.chance(odds) {
                extras.youthHires = rng.nextInt(in: 1...max(1, newHires12m / 3 + 1))
                extras.youthMinInsuredMonths = rng.nextInt(in: 1...11)
            }
        }
    }

    // MARK: - Growth

    private mutating func drawGrowth(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        let today = SampleFirm.latestEstablished
        let start = established.dayNumber

        // 个转企: small enterprises only. The company may keep the 个体户's 成立日期 (then converts
        // later) or register afresh (then converts on its 成立日期); never before it.
        if subjectType == .enterprise {
            let tagged = tags.contains(SampleVocabulary.tagIndividualToEnterprise)
            if tagged || (employees < 50 && established.year >= 2010 && rng.chance(0.05)) {
                let keptDate = start < today - 365 && rng.chance(0.6)
                extras.convertedFromIndividualOn = keptDate
                    ? SampleFirm.day(max(start + 365, SampleExtras.conversionsSince), today, &rng)
                    : established
                setTag(SampleVocabulary.tagIndividualToEnterprise, true)
            }
        }

        // 四上 entry: after a first full year of trading; a quarter of them newly entered.
        if aboveScale {
            let earliest = min(today, max(start + 365, SampleExtras.aboveScaleStatisticsSince))
            let since = rng.chance(0.25) ? max(earliest, today - rng.nextInt(in: 0...455))
                : rng.nextInt(in: earliest...today)
            extras.aboveScaleSince = ISODate(clampingDayNumber: since)
        }
    }

    // MARK: - Taxes and violations

    private func drawCompliance(into extras: inout SampleExtras, _ rng: inout SplitMix64) {
        // 上年度纳税: firms set up this year had no last year; idle (异常) ones often paid nothing;
        // small 个体户 below the VAT threshold often pay no tax at all.
        if established.dayNumber > SampleExtras.lastYearEnd {
            extras.taxPaidLastYear = false
        } else if abnormalOperation {
            extras.taxPaidLastYear = rng.chance(0.4)
        } else {
            switch subjectType {
            case .enterprise: extras.taxPaidLastYear = rng.chance(0.9)
            case .market: extras.taxPaidLastYear = rng.chance(0.97)
            case .individual: extras.taxPaidLastYear = rng.chance(revenue >= 120 ? 0.9 : 0.6)
            }
        }
        // Serious accidents or environmental violations are rare, likelier in manufacturing.
        let odds: Double
        switch subjectType {
        case .enterprise: odds = industry.section == UInt8(ascii: "C") ? 0.015 : 0.005
        case .individual: odds = 0.003
        case .market: odds = 0.01
        }
        extras.seriousViolation = rng.chance(odds)
    }

    /// Adds or removes a tag so that it says `present`.
    private mutating func setTag(_ tag: String, _ present: Bool) {
        if present {
            if !tags.contains(tag) { tags.append(tag) }
        } else {
            tags.removeAll { $0 == tag }
        }
    }
}
