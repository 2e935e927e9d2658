import Foundation
@testable import Huiqi
import Testing
import TestSupport

/// Checks a generated row against the schema on its own terms (not through the generator's code):
/// returns why the row would be rejected by ingestion, or nil when it is a valid profile.
private struct RowValidator {
    let schema: Schema
    var seenCodes: Set<String> = []

    static let booleans: Set<String> = ["是", "否", "true", "false", "1", "0", "y", "n"]

    init(schema: Schema) { self.schema = schema }

    mutating func problem(with row: [String: String]) -> String? {
        for field in schema.fields {
            let cell = row[field.name] ?? ""
            if cell.isEmpty {
                if field.required { return "missing \(field.name)" }
                continue
            }
            switch field.type {
            case .integer where Int64(cell) == nil: return "bad integer \(field.name)=\(cell)"
            case .decimal where Double(cell) == nil: return "bad decimal \(field.name)=\(cell)"
            case .boolean where !RowValidator.booleans.contains(cell.lowercased()): return "bad boolean \(field.name)=\(cell)"
            case .date where ISODate.normalize(cell) == nil: return "bad date \(field.name)=\(cell)"
            case .enum:
                let accepted = field.values.flatMap { [$0.value, $0.displayName] + $0.aliases }
                if !accepted.contains(cell) { return "unknown value \(field.name)=\(cell)" }
            default: break
            }
        }
        if let code = row["credit_code"] {
            if let problem = CreditCode.problem(with: code) { return problem }
            if !seenCodes.insert(code).inserted { return "duplicate credit code \(code)" }
        }
        return nil
    }
}

/// The canonical value of an enum cell (`个体户` → `individual`).
private func canonical(_ cell: String, _ field: String, in schema: Schema = TestSchemas.core) -> String? {
    schema.field(named: field)?.values.first { [$0.value, $0.displayName] + $0.aliases ~= cell }?.value
}

private func ~= (spellings: [String], cell: String) -> Bool { spellings.contains(cell) }

/// One JSON value as the sample writer may produce it.
private enum JSONCell: Decodable, Equatable {
    case boolean(Bool), number(Double), text(String), list([String])

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let flag = try? container.decode(Bool.self) { self = .boolean(flag) }
        else if let number = try? container.decode(Double.self) { self = .number(number) }
        else if let text = try? container.decode(String.self) { self = .text(text) }
        else { self = .list(try container.decode([String].self)) }
    }
}

private func temporaryFile(_ name: String) -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("huiqi-samples-\(UUID().uuidString)-\(name)")
}

private func rows(_ generator: SampleGenerator, _ count: Int) -> [[String: String]] {
    (0..<count).map(generator.profileRow)
}

@Suite struct SampleGeneratorTests {
    let schema = TestSchemas.core

    @Test func splitMixIsTheReferenceAlgorithm() {
        var rng = SplitMix64(seed: 42)
        #expect(rng.next() == 13_679_457_532_755_275_413)
        var a = SplitMix64(seed: 7), b = SplitMix64(seed: 7)
        for _ in 0..<100 {
            let x = a.nextUnit()
            #expect(x == b.nextUnit() && x >= 0 && x < 1)
        }
    }

    @Test func sameSeedGivesIdenticalBytesDifferentSeedDoesNot() throws {
        let urls = (0..<5).map { temporaryFile("same-\($0)") }
        defer { urls.forEach { try? FileManager.default.removeItem(at: $0) } }
        try SampleGenerator(schema: schema, seed: 42, invalidShare: 0.05).writeCSV(count: 400, to: urls[0])
        try SampleGenerator(schema: schema, seed: 42, invalidShare: 0.05).writeCSV(count: 400, to: urls[1])
        try SampleGenerator(schema: schema, seed: 43, invalidShare: 0.05).writeCSV(count: 400, to: urls[2])
        try SampleGenerator(schema: schema, seed: 42).writeJSONLines(count: 400, to: urls[3])
        try SampleGenerator(schema: schema, seed: 42).writeJSONLines(count: 400, to: urls[4])
        let first = try Data(contentsOf: urls[0])
        #expect(first.count > 20_000)
        #expect(first == (try Data(contentsOf: urls[1])))
        #expect(first != (try Data(contentsOf: urls[2])))
        #expect(try Data(contentsOf: urls[3]) == (try Data(contentsOf: urls[4])))
    }

    @Test func csvHasBOMLabelsAndTheRowsProfileRowReports() throws {
        let url = temporaryFile("rows.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        let generator = SampleGenerator(schema: schema, seed: 9, invalidShare: 0.1)
        try generator.writeCSV(count: 300, to: url)
        let data = try Data(contentsOf: url)
        #expect(Array(data.prefix(3)) == [0xEF, 0xBB, 0xBF])
        let text = try #require(String(data: data.dropFirst(3), encoding: .utf8))
        #expect(!text.contains("\""), "no cell should need quoting, so splitting on commas below is exact")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 302 && lines.last == "")
        #expect(lines[0] == schema.fields.map(\.label).joined(separator: ","))
        for i in 0..<300 {
            let cells = lines[i + 1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let expected = generator.profileRow(i)
            #expect(cells == schema.fields.map { expected[$0.name] ?? "<missing>" })
        }
    }

    @Test func validRowsPassValidationWithUniqueCodes() {
        let generator = SampleGenerator(schema: schema, seed: 2024)
        var validator = RowValidator(schema: schema)
        for i in 0..<3000 {
            let row = generator.profileRow(i)
            #expect(generator.defect(at: i) == nil)
            if let problem = validator.problem(with: row) {
                Issue.record("row \(i): \(problem) — \(row)")
                break
            }
            #expect(CreditCode.isValid(row["credit_code"] ?? ""))
        }
        #expect(validator.seenCodes.count == 3000)
    }

    /// RWD-01 needs a 首次进入省/市百强 tag: a share of the largest enterprises get one, nobody else.
    @Test func top100EntryTagsGoOnlyToTheLargestEnterprises() {
        var rng = SplitMix64(seed: 5)
        var large = 0, entered = 0
        for i in 0..<3000 {
            var firm = SampleFirm.draw(index: i, seed: 5, rng: &rng)
            guard firm.subjectType == .enterprise else { continue }
            firm.tags.removeAll { $0.hasPrefix("首次进入") }
            firm.revenue = i % 2 == 0 ? SampleFirm.top100Revenue + Double(i) * 37.5 : SampleFirm.top100Revenue - 0.01
            firm.drawTop100Entry()
            let tagged = firm.tags.contains { $0 == "首次进入省百强" || $0 == "首次进入市百强" }
            if firm.revenue < SampleFirm.top100Revenue {
                #expect(!tagged)
            } else {
                large += 1
                if tagged { entered += 1 }
            }
        }
        #expect(large > 500)
        #expect((0.08...0.22).contains(Double(entered) / Double(large)), "\(entered) of \(large)")
    }

    /// The shipped samples are `huiqi sample --count 240 --seed 2025` (CSV and JSON Lines): README's
    /// examples name their businesses, so generator changes must leave them as they are.
    @Test func shippedSamplesAreTheGeneratorsOutput() throws {
        let generator = SampleGenerator(schema: try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml")), seed: 2025)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("huiqi-samples-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try generator.writeCSV(count: 240, to: dir.appendingPathComponent("p.csv"))
        try generator.writeJSONLines(count: 240, to: dir.appendingPathComponent("p.jsonl"))
        for (made, shipped) in [("p.csv", "Samples/profiles.csv"), ("p.jsonl", "Samples/profiles.jsonl")] {
            let a = try Data(contentsOf: dir.appendingPathComponent(made))
            let b = try Data(contentsOf: PackagePaths.root.appendingPathComponent(shipped))
            #expect(a == b, "\(shipped)")
        }
    }

    @Test func allStreetsAndSubjectTypesAppearIn500Rows() {
        let sample = rows(SampleGenerator(schema: schema, seed: 1), 500)
        let streets = Set(sample.compactMap { canonical($0["street"] ?? "", "street") })
        #expect(streets == Set(TestSchemas.streets))
        let types = Set(sample.compactMap { canonical($0["subject_type"] ?? "", "subject_type") })
        #expect(types == ["enterprise", "individual", "market"])
    }

    @Test func subjectTypesCodesAndSizesLookLikeBaoan() throws {
        let sample = rows(SampleGenerator(schema: schema, seed: 77), 5000)
        var counts: [String: Int] = [:]
        var individualsInShopsEateriesServices = 0
        var cSmallOrMicro = 0, cMediumOrLarge = 0, cFirms = 0
        for row in sample {
            let type = try #require(canonical(row["subject_type"] ?? "", "subject_type"))
            counts[type, default: 0] += 1
            let code = try #require(row["credit_code"])
            #expect(code.hasPrefix(type == "individual" ? "92" : "91"))
            #expect(["440300", "440306"].contains(String(code.dropFirst(2).prefix(6))))
            let industry = row["industry_code"] ?? ""
            if !industry.isEmpty {
                #expect(industry.count == 5 && industry.first?.isUppercase == true && industry.dropFirst().allSatisfy(\.isNumber))
            }
            let employees = row["employees"].flatMap { Int($0) }
            let revenue = row["revenue"].flatMap { Double($0) }
            if type == "individual" {
                if "FHO".contains(industry.first ?? "-") { individualsInShopsEateriesServices += 1 }
                if let employees { #expect((1...8).contains(employees)) }
                if let revenue { #expect(revenue < 200) }
                #expect(row["name"]?.hasPrefix("宝安区") == true)
            } else if type == "enterprise" {
                #expect(row["name"]?.hasPrefix("深圳市") == true)
                #expect(row["name"]?.hasSuffix("有限公司") == true)
            } else {
                #expect(row["name"]?.hasSuffix("专业市场") == true)
            }
            // 工信部 2011 industrial thresholds: 小型 ≥20 people and ≥300万; 中型 ≥300 and ≥2000万.
            if type == "enterprise", industry.hasPrefix("C"), let employees, let revenue {
                cFirms += 1
                if employees >= 300 && revenue >= 2000 { cMediumOrLarge += 1 } else { cSmallOrMicro += 1 }
            }
        }
        let share = { (type: String) in Double(counts[type, default: 0]) / 5000 }
        #expect((0.50...0.60).contains(share("enterprise")))
        #expect((0.37...0.47).contains(share("individual")))
        #expect((0.015...0.05).contains(share("market")))
        #expect(Double(individualsInShopsEateriesServices) / Double(counts["individual", default: 1]) > 0.8)
        #expect(cFirms > 500)
        #expect(Double(cSmallOrMicro) / Double(cFirms) > 0.9)
        #expect(cMediumOrLarge >= 1)
    }

    @Test func fieldsAreConsistentWithEachOther() {
        let sample = rows(SampleGenerator(schema: schema, seed: 5), 5000)
        let yes: Set<String> = ["是", "true", "1"]
        var dishonest = 0, abnormal = 0, highTech = 0, aboveScale = 0, isoDates = 0, slashDates = 0, chineseDates = 0
        var booleanSpellings: Set<String> = []
        for row in sample {
            let employees = row["employees"].flatMap { Int($0) }
            let insured = row["insured_employees"].flatMap { Int($0) }
            if let employees, let insured { #expect(insured <= employees) }
            let revenue = row["revenue"].flatMap { Double($0) }
            let above = row["above_scale"].flatMap { $0.isEmpty ? nil : yes.contains($0) }
            let type = canonical(row["subject_type"] ?? "", "subject_type")
            if type == "enterprise", row["industry_code"]?.hasPrefix("C") == true, let revenue, let above {
                #expect(above == (revenue >= 2000), "规上工业 follows revenue ≥ 2000万")
            }
            if type == "individual", let above { #expect(!above) }
            if above == true { aboveScale += 1 }
            if let tech = row["high_tech"], yes.contains(tech) {
                highTech += 1
                if let rd = row["rd_expense"].flatMap({ Double($0) }) { #expect(rd > 0) }
                if let tags = row["tags"], !tags.isEmpty { #expect(tags.split(separator: ";").contains("高新技术")) }
            }
            if let special = row["specialized"], yes.contains(special), let rd = row["rd_expense"].flatMap({ Double($0) }) {
                #expect(rd >= 100)
            }
            if yes.contains(row["dishonest"] ?? "") { dishonest += 1 }
            if yes.contains(row["abnormal_operation"] ?? "") { abnormal += 1 }
            for name in ["high_tech", "dishonest", "has_bank_loan"] { booleanSpellings.insert(row[name] ?? "") }
            if let date = row["established_on"], !date.isEmpty {
                let iso = ISODate.normalize(date) ?? ""
                #expect(iso >= "1995-01-01" && iso <= "2025-06-30")
                if date.contains("年") { chineseDates += 1 } else if date.contains("/") { slashDates += 1 } else { isoDates += 1 }
            }
        }
        #expect((0.005...0.04).contains(Double(dishonest) / 5000))
        #expect((0.01...0.05).contains(Double(abnormal) / 5000))
        #expect(highTech > 5 && highTech < 500)
        #expect(aboveScale > 5 && aboveScale < 1000)
        #expect(booleanSpellings.isSuperset(of: ["是", "否", "true", "false", "1", "0", ""]))
        #expect(isoDates > slashDates && slashDates > chineseDates && chineseDates > 0)
    }

    @Test func optionalCellsAreSometimesEmptyRequiredNever() {
        let sample = rows(SampleGenerator(schema: schema, seed: 11), 2000)
        var empty = 0, optional = 0
        for row in sample {
            for field in schema.fields {
                let cell = row[field.name] ?? ""
                if field.required {
                    #expect(!cell.isEmpty)
                } else if field.name != "tags" { // an empty tag list is also a legitimate empty cell
                    optional += 1
                    if cell.isEmpty { empty += 1 }
                }
            }
        }
        #expect((0.05...0.11).contains(Double(empty) / Double(optional)))
    }

    @Test func noInvalidShareMeansNoDefects() {
        let generator = SampleGenerator(schema: schema, seed: 99, invalidShare: 0)
        #expect((0..<5000).allSatisfy { generator.defect(at: $0) == nil })
    }

    @Test func invalidRowsAreTheOnesValidationRejects() {
        let generator = SampleGenerator(schema: schema, seed: 31, invalidShare: 0.1)
        var validator = RowValidator(schema: schema)
        var bad = 0
        var kinds: Set<SampleDefect> = []
        for i in 0..<2000 {
            let problem = validator.problem(with: generator.profileRow(i))
            let defect = generator.defect(at: i)
            #expect((problem != nil) == (defect != nil), "row \(i): generator says \(String(describing: defect)), validation says \(String(describing: problem))")
            if problem != nil { bad += 1 }
            if let defect { kinds.insert(defect) }
        }
        #expect((150...250).contains(bad), "≈10% of 2000 rows should be bad, got \(bad)")
        #expect(kinds == Set(SampleDefect.allCases))
    }

    @Test func defectsLookTheWayTheyAreNamed() {
        let generator = SampleGenerator(schema: schema, seed: 8, invalidShare: 0.5)
        var seen: Set<String> = []
        for i in 0..<400 {
            let row = generator.profileRow(i)
            switch generator.defect(at: i) {
            case .badCheckDigit?:
                let code = row["credit_code"] ?? ""
                #expect(code.count == 18 && !CreditCode.isValid(code))
                #expect(CreditCode.problem(with: code)?.contains("校验位") == true)
            case .missingName?: #expect(row["name"] == "")
            case .badInteger?: #expect(Int(row["employees"] ?? "") == nil && row["employees"]?.isEmpty == false)
            case .badDate?:
                #expect(ISODate.normalize(row["established_on"] ?? "") == nil && row["established_on"]?.isEmpty == false)
            case .duplicateCreditCode?: #expect(seen.contains(row["credit_code"] ?? ""))
            case .unknownEnumValue?, nil: break
            }
            seen.insert(row["credit_code"] ?? "")
        }
    }

    @Test func jsonLinesCarryTypedValues() throws {
        let url = temporaryFile("rows.jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        let generator = SampleGenerator(schema: schema, seed: 3, invalidShare: 0.1)
        try generator.writeJSONLines(count: 300, to: url)
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 300)
        let names = Set(schema.fields.map(\.name))
        for (i, line) in lines.enumerated() {
            let object = try JSONDecoder().decode([String: JSONCell].self, from: Data(line.utf8))
            #expect(Set(object.keys).isSubset(of: names))
            let row = generator.profileRow(i)
            for (key, value) in object {
                let cell = row[key] ?? ""
                #expect(!cell.isEmpty)
                switch value {
                case .list(let list): #expect(list.joined(separator: ";") == cell)
                case .text(let text): #expect(text == cell)
                case .boolean(let flag): #expect((flag ? ["是", "true", "1"] : ["否", "false", "0"]).contains(cell))
                case .number(let number): #expect(Double(cell) == number)
                }
            }
            if generator.defect(at: i) == nil, let employees = object["employees"] {
                #expect(employees == .number(Double(row["employees"] ?? "") ?? -1), "employees is a JSON number")
            }
        }
    }

    @Test func shippedBundlesOptionalFieldsArePlausibleAndConsistent() throws {
        let shipped = try Schema.load(from: PackagePaths.root.appendingPathComponent("Rules/schema.yaml"))
        let generator = SampleGenerator(schema: shipped, seed: 12)
        var validator = RowValidator(schema: shipped)
        let yes: Set<String> = ["是", "true", "1"], no: Set<String> = ["否", "false", "0"]
        let number = { (row: [String: String], field: String) -> Double? in row[field].flatMap { Double($0) } }
        let date = { (row: [String: String], field: String) -> String? in row[field].flatMap { ISODate.normalize($0) } }
        var layoffs: [Double] = [], taxed = 0, taxKnown = 0, violations = 0, violationKnown = 0
        var empty = 0, filled = 0, highTechRatios = 0, conversions = 0, entries = 0, firstLoans = 0
        for i in 0..<3000 {
            let row = generator.profileRow(i)
            if let problem = validator.problem(with: row) { Issue.record("row \(i): \(problem)"); break }
            let type = canonical(row["subject_type"] ?? "", "subject_type", in: shipped)
            let established = date(row, "established_on")

            if let rate = number(row, "layoff_rate") { layoffs.append(rate) }
            if let ratio = number(row, "high_tech_income_ratio") {
                #expect((0...1).contains(ratio))
                if yes.contains(row["high_tech"] ?? "") { #expect(ratio >= 0.6, "高企 need ≥60%"); highTechRatios += 1 }
            }
            if let staff = number(row, "tech_staff"), let employees = number(row, "employees") {
                #expect(staff >= 0 && staff <= employees)
            }
            if let months = number(row, "unemployment_insurance_months") {
                #expect((0...120).contains(months))
                if row["insured_employees"] == "0" { #expect(months == 0) }
            }
            if let youth = number(row, "youth_hires") {
                if let hires = number(row, "new_hires_12m") { #expect(youth <= hires) }
                if youth == 0 { #expect(row["youth_min_insured_months"] == "") }
            }
            if let months = number(row, "youth_min_insured_months") { #expect((1...12).contains(months)) }

            // Loans: no credit record, no first loan and nothing paid on one.
            if no.contains(row["has_bank_loan"] ?? "") {
                #expect(row["first_loan_on"] == "" && row["first_loan_amount"] == "")
                #expect(["", "0"].contains(row["loan_interest_paid"]) && ["", "0"].contains(row["guarantee_fee_paid"]))
            }
            if let first = date(row, "first_loan_on") {
                firstLoans += 1
                #expect(!no.contains(row["has_bank_loan"] ?? ""))
                if let established { #expect(first >= established) }
                #expect(first <= "2025-06-30")
            }
            if let amount = number(row, "first_loan_amount") { #expect(amount >= 3 && amount <= 3000) }

            // 个转企 only for enterprises, never before they were set up; 四上 entry only for 四上 firms.
            if let converted = date(row, "converted_from_individual_on") {
                conversions += 1
                #expect(type == "enterprise")
                if let established { #expect(converted >= established) }
            }
            if date(row, "above_scale_since") != nil {
                entries += 1
                #expect(!no.contains(row["above_scale"] ?? ""))
                #expect(type != "individual")
            }
            if let tax = row["tax_paid_last_year"], !tax.isEmpty {
                taxKnown += 1
                if yes.contains(tax) { taxed += 1 }
            }
            if let violation = row["serious_violation"], !violation.isEmpty {
                violationKnown += 1
                if yes.contains(violation) { violations += 1 }
            }
            // Fields every business has a value for are left empty only as often as unreported data.
            for field in ["layoff_rate", "tax_paid_last_year", "strategic_emerging", "tech_staff"] {
                if row[field]?.isEmpty == true { empty += 1 } else { filled += 1 }
            }
        }
        #expect(layoffs.allSatisfy { (0...0.3).contains($0) })
        #expect(Double(layoffs.filter { $0 == 0 }.count) / Double(layoffs.count) > 0.6, "most firms laid nobody off")
        #expect(layoffs.contains { $0 > 0.055 } && layoffs.contains { $0 > 0 && $0 <= 0.055 })
        #expect(Double(taxed) / Double(taxKnown) > 0.6)
        #expect(violations > 0 && Double(violations) / Double(violationKnown) < 0.03)
        #expect((0.08...0.2).contains(Double(empty) / Double(empty + filled)))
        #expect(highTechRatios > 0 && conversions > 5 && entries > 5 && firstLoans > 100)
    }

    @Test func knownOptionalFieldsOfAnotherTypeOrRequiredStayValid() {
        let custom = Schema(fields: TestSchemas.coreFields + [
            SchemaField(name: "layoff_rate", type: .boolean, label: "裁员"),
            SchemaField(name: "first_loan_on", type: .date, label: "首贷日期", required: true),
            SchemaField(name: "tech_staff", type: .decimal, label: "科技人员"),
        ])
        let generator = SampleGenerator(schema: custom, seed: 6)
        var validator = RowValidator(schema: custom)
        for i in 0..<500 {
            let row = generator.profileRow(i)
            if let problem = validator.problem(with: row) { Issue.record("row \(i): \(problem)"); break }
            #expect(row["first_loan_on"]?.isEmpty == false)
        }
    }

    @Test func worksForAnySchemaWithTheCoreFields() throws {
        let custom = Schema(fields: [
            SchemaField(name: "name", type: .string, label: "名称", required: true),
            SchemaField(name: "credit_code", type: .string, label: "统一社会信用代码", required: true),
            SchemaField(name: "subject_type", type: .enum, label: "主体类型", required: true, values: [
                .init(value: "企业"), .init(value: "个体工商户"), .init(value: "专业市场"),
            ]),
            SchemaField(name: "street", type: .string, label: "街道"),
            SchemaField(name: "revenue", type: .integer, label: "营收"),
            SchemaField(name: "note", type: .string, label: "备注", required: true),
            SchemaField(name: "floor_area", type: .decimal, label: "面积"),
            SchemaField(name: "count", type: .integer, label: "数量"),
            SchemaField(name: "flag", type: .boolean, label: "标记"),
            SchemaField(name: "visited_on", type: .date, label: "走访日期"),
            SchemaField(name: "grade", type: .enum, label: "等级", values: [.init(value: "甲"), .init(value: "乙")]),
            SchemaField(name: "labels", type: .list, label: "分类", required: true),
        ])
        let generator = SampleGenerator(schema: custom, seed: 4, invalidShare: 0.1)
        var validator = RowValidator(schema: custom)
        var types: Set<String> = []
        for i in 0..<1000 {
            let row = generator.profileRow(i)
            #expect(Set(row.keys) == Set(custom.fields.map(\.name)))
            #expect((validator.problem(with: row) != nil) == (generator.defect(at: i) != nil), "row \(i): \(row)")
            types.insert(row["subject_type"] ?? "")
            if let street = row["street"], !street.isEmpty { #expect(TestSchemas.streets.contains(street)) }
        }
        // Chinese canonical values are matched to the generator's subject types.
        #expect(types.isSuperset(of: ["企业", "个体工商户", "专业市场"]))
        let url = temporaryFile("custom.csv")
        defer { try? FileManager.default.removeItem(at: url) }
        try generator.writeCSV(count: 10, to: url)
        let header = String(decoding: try Data(contentsOf: url), as: UTF8.self).split(separator: "\n").first.map(String.init)
        #expect(header == "\u{FEFF}" + custom.fields.map(\.label).joined(separator: ","))
    }
}
