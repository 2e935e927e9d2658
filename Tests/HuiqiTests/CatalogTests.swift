import Foundation
import Huiqi
import Testing

/// Writes `text` to a fresh temporary file and returns its URL, named relative to its folder so
/// diagnostics carry the short name.
private func catalogFile(_ text: String, name: String = "catalog.yaml") throws -> URL {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("huiqi-catalog-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    let url = URL(fileURLWithPath: name, relativeTo: dir)
    try Data(text.utf8).write(to: url)
    return url
}

private func load(_ text: String) throws -> Catalog {
    let url = try catalogFile(text)
    defer { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
    return try Catalog.load(from: url)
}

/// The diagnostics a catalog fails with (fails the test if it loads).
private func problems(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [Diagnostic] {
    do {
        _ = try load(text)
        Issue.record("expected the catalog to be rejected", sourceLocation: sourceLocation)
        return []
    } catch let list as DiagnosticList {
        return list.diagnostics
    } catch {
        Issue.record("unexpected error \(error)", sourceLocation: sourceLocation)
        return []
    }
}

@Suite struct CatalogTests {
    let goodCatalog = """
    version: "2024.3"
    services:
      - id: FIN-01
        name: 创业担保贷款贴息
        category: financing
        mode: 免申即享
        provider: 市人力资源和社会保障局
        source: 《深圳市创业担保贷款管理办法》(2024)
        window: { from: 2024-09-30, to: 2029-09-29 }
        description: 个人最高30万元, 小微企业最高400万元, 贴息50%。
        params:
          loan_cap: 4000000
          subsidy_rate: 0.5
          individual_cap: 4_000
          enabled: true
          label: 贴息
          streets: [新安, 西乡, 3, false]
          cap: { 2024-07-01: 80000, 2023-01-01: 50000 }
          tiers:
            small: 10
            micro: { "2024-01-01": 5, "2025-01-01": 6 }
            large: 1.25
      - id: RENT-01
        name: 国有物业租金减免
        category: rent
        mode: apply-and-receive
        window: { from: "2022-04-01" }
      - id: GRO-01
        name: 专精特新中小企业认定
        category: growth
        mode: assessed
    """

    @Test func loadsServicesWithTheirFields() throws {
        let catalog = try load(goodCatalog)
        #expect(catalog.version == "2024.3")
        #expect(catalog.services.map(\.id) == ["FIN-01", "RENT-01", "GRO-01"])
        #expect(catalog.services.map(\.index) == [0, 1, 2])
        #expect(catalog.warnings.isEmpty)
        #expect(catalog.path == "catalog.yaml")

        let fin = try #require(catalog.service(id: "FIN-01"))
        #expect(fin.name == "创业担保贷款贴息")
        #expect(fin.category == "financing")
        #expect(fin.categoryDisplayName == "融资")
        #expect(fin.mode == .noApplication)
        #expect(fin.provider == "市人力资源和社会保障局")
        #expect(fin.source == "《深圳市创业担保贷款管理办法》(2024)")
        #expect(fin.description == "个人最高30万元, 小微企业最高400万元, 贴息50%。")
        #expect(fin.window == DateWindow(from: "2024-09-30", to: "2029-09-29"))

        let rent = try #require(catalog.service(id: "RENT-01"))
        #expect(rent.mode == .applyAndReceive)
        #expect(rent.window == DateWindow(from: "2022-04-01", to: nil))
        #expect(rent.provider == nil && rent.params.isEmpty)
        #expect(catalog.service(id: "GRO-01")?.mode == .assessed)
        #expect(catalog.service(id: "GRO-01")?.window == .always)
        #expect(catalog.service(id: "NOPE-1") == nil)
    }

    @Test func paramsKeepTheirTypes() throws {
        let fin = try #require(load(goodCatalog).service(id: "FIN-01"))
        #expect(fin.params["loan_cap"] == .integer(4_000_000))
        #expect(fin.params["subsidy_rate"] == .decimal(0.5))
        #expect(fin.params["individual_cap"] == .integer(4000))
        #expect(fin.params["enabled"] == .boolean(true))
        #expect(fin.params["label"] == .string("贴息"))
        #expect(fin.params["streets"] == .list([.string("新安"), .string("西乡"), .integer(3), .boolean(false)]))
        // Written out of order: stored sorted by date, keys kept as ISO strings (never a Date).
        #expect(fin.params["cap"] == .dated([(from: "2023-01-01", value: .integer(50000)),
                                             (from: "2024-07-01", value: .integer(80000))]))
        // Nested maps keep file order; a quoted-date map inside is dated too.
        #expect(fin.params["tiers"] == .map([
            (key: "small", value: .integer(10)),
            (key: "micro", value: .dated([(from: "2024-01-01", value: .integer(5)), (from: "2025-01-01", value: .integer(6))])),
            (key: "large", value: .decimal(1.25)),
        ]))
        #expect(fin.params["cap"]?.isDated == true)
        #expect(fin.params["tiers"]?.isDated == true)
        #expect(fin.params["loan_cap"]?.isDated == false)
    }

    @Test func datedParamsResolveToTheValueInForce() throws {
        let fin = try #require(load(goodCatalog).service(id: "FIN-01"))
        // Before every date: the param does not exist yet.
        #expect(fin.resolvedParams(on: "2022-12-31")["cap"] == nil)
        #expect(fin.resolvedParams(on: "2022-12-31")["loan_cap"] == .integer(4_000_000))
        #expect(fin.resolvedParams(on: "2023-01-01")["cap"] == .integer(50000))
        #expect(fin.resolvedParams(on: "2024-06-30")["cap"] == .integer(50000))
        #expect(fin.resolvedParams(on: "2024-07-01")["cap"] == .integer(80000))
        #expect(fin.resolvedParams(on: "2030-01-01")["cap"] == .integer(80000))
        // Dated values nested in a map resolve too; an entry not yet in force is left out of the map.
        #expect(fin.resolvedParams(on: "2023-06-01")["tiers"] == .map([(key: "small", value: .integer(10)),
                                                                      (key: "large", value: .decimal(1.25))]))
        #expect(fin.resolvedParams(on: "2025-03-01")["tiers"]?["micro"] == .integer(6))
        // The raw params are untouched.
        #expect(fin.params["cap"]?.isDated == true)
    }

    @Test func windowsAreInclusiveAndDecideActivity() throws {
        let catalog = try load(goodCatalog)
        let fin = try #require(catalog.service(id: "FIN-01"))
        #expect(!fin.isActive(on: "2024-09-29"))
        #expect(fin.isActive(on: "2024-09-30"))
        #expect(fin.isActive(on: "2027-01-01"))
        #expect(fin.isActive(on: "2029-09-29"))
        #expect(!fin.isActive(on: "2029-09-30"))
        #expect(catalog.activeServices(on: "2023-01-01").map(\.id) == ["RENT-01", "GRO-01"])
        #expect(DateWindow(to: "2024-01-01").contains("1990-05-05"))
        #expect(!DateWindow(to: "2024-01-01").contains("2024-01-02"))
        #expect(DateWindow.always.contains("2024-01-02"))
        #expect(DateWindow(from: "2024-09-30", to: "2029-09-29").displayText == "2024-09-30 ~ 2029-09-29")
    }

    @Test func hashIsTheSHA256OfTheFileBytes() throws {
        // Expected value from `printf 'version: "1"\nservices: []\n' | sha256sum`.
        let catalog = try load("version: \"1\"\nservices: []\n")
        #expect(catalog.sha256 == "6910b02a70fb60ca3e198d730a4ae565eca75bb26a8ea551823937afbf56d8e4")
        let again = try load("version: \"1\"\nservices: []\n")
        let other = try load("version: \"2\"\nservices: []\n")
        #expect(catalog.sha256 == again.sha256)
        #expect(catalog.sha256 != other.sha256)
        #expect(catalog.sha256.allSatisfy { "0123456789abcdef".contains($0) })
    }

    @Test func reportsEveryProblemWithFileLineAndPath() {
        let text = """
        version: "2024.3"
        services:
          - id: FIN-01
            name: 贴息
            category: financing
            mode: xx
          - name: 无编号
            category: rent
            mode: 免申即享
          - id: FIN-01
            name: 重复
            category: financing
            mode: 免申即享
          - id: EMP-01
            name: 稳岗返还
            category: employment
            mode: 免申即享
            params:
              cap: ~
              rates: [0.3, [0.6]]
              mixed: { 2024-01-01: 1, later: 2 }
              bad_day: { 2023-02-30: 1 }
          - id: RENT-02
            name: 减租
            category: rent
            mode: 申请即享
            window: { from: 2025-01-01, to: 2024-01-01 }
          - id: RENT-03
            name: 减租
            category: rent
            mode: 申请即享
            window: { from: 2024-13-01, until: 2025-01-01 }
          - id: RENT-04
            name: 减租
            category: rent
            mode: 申请即享
            windows: { from: 2025-01-01, to: 2025-12-31 }
          - id: bad id
            name: ""
            category: party
            mode: 申报审核
        """
        let found = problems(text)
        let byPath = Dictionary(grouping: found, by: { $0.path ?? "" })
        func has(_ path: String, _ fragment: String) -> Bool {
            byPath[path]?.contains { $0.message.contains(fragment) && $0.severity == .error } ?? false
        }
        #expect(has("services[0].mode", "unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)"))
        #expect(has("services[1]", "missing required key 'id'"))
        #expect(has("services[2].id", "duplicate id 'FIN-01' (first at services[0], line "))
        #expect(has("services[3].params.cap", "expected a number, string, boolean, list or dated map"))
        #expect(has("services[3].params.rates[1]", "expected a number, string or boolean in a list"))
        #expect(has("services[3].params.mixed", "mixes date keys"))
        #expect(has("services[3].params.bad_day.2023-02-30", "invalid date '2023-02-30'"))
        #expect(has("services[4].window", "from 2025-01-01 is after to 2024-01-01"))
        #expect(has("services[5].window.from", "invalid date '2024-13-01'"))
        #expect(has("services[5].window.until", "unknown key 'until'"))
        // An error, not an ignored key (analyst review: the service stayed active for ever).
        #expect(has("services[6].windows", "unknown key 'windows' on a service (did you mean 'window'?)"))
        #expect(has("services[7].id", "should look like FIN-01"))
        #expect(has("services[7].name", "must not be empty"))
        #expect(found.allSatisfy { $0.file == "catalog.yaml" })
        // Lines point into the file: the duplicate id is on line 10, the bad mode on line 6.
        #expect(byPath["services[2].id"]?.first?.line == 10)
        #expect(byPath["services[0].mode"]?.first?.line == 6)
        #expect(found.first { $0.path == "services[0].mode" }?.description
            == "catalog.yaml:6: FIN-01 贴息 (services[0].mode): unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)")
    }

    /// Analyst review: "services[3], line 57" meant counting entries to find the service; an
    /// analyst thinks in ids. A problem names the service by its id and name, before its position
    /// and line; when the id is missing or malformed, by its position alone.
    @Test func problemsNameTheServiceByItsIdAndName() {
        let found = problems("""
        version: "2026.1"
        services:
          - id: FIN-01
            name: 创业担保贷款贴息
            category: financing
            mode: xx
          - name: 无编号
            category: rent
            mode: xx
          - id: bad id
            name: 编号有误
            category: rent
            mode: xx
          - id: RENT-05
            category: rent
            mode: 申请即享
            window: { from: "2026/1/1" }
          - id: RENT-06
            name: |
              国有物业租金减免
              (第二行)
            category: rent
            mode: 申请即享
            params: { cap: ~ }
          - id: RENT-07
            name: \(String(repeating: "长", count: 45))
            category: rent
            mode: xx
        """)
        let lines = found.map(\.description)
        #expect(lines.contains("catalog.yaml:6: FIN-01 创业担保贷款贴息 (services[0].mode): unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)"), "\(lines)")
        #expect(lines.contains("catalog.yaml:7: services[1]: missing required key 'id'"), "no id: the position")
        #expect(lines.contains("catalog.yaml:9: services[1].mode: unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("catalog.yaml:10: services[2].id: id 'bad id' should look like FIN-01") }, "a malformed id: the position")
        #expect(lines.contains("catalog.yaml:13: services[2].mode: unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)"), "\(lines)")
        #expect(lines.contains("catalog.yaml:14: RENT-05 (services[3]): missing required key 'name'"), "no name: the id alone")
        #expect(lines.contains { $0.hasPrefix("catalog.yaml:17: RENT-05 (services[3].window.from): invalid date '2026/1/1'") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("catalog.yaml:24: RENT-06 国有物业租金减免 (第二行) (services[4].params.cap): ") }, "a name on two lines is shown on one: \(lines)")
        #expect(lines.contains("catalog.yaml:28: RENT-07 \(String(repeating: "长", count: 40))… (services[5].mode): unknown mode 'xx' (expected 免申即享, 申请即享 or 申报审核)"),
                "a long name is cut: \(lines)")
        // The position is still the diagnostic's path, for whatever matches on it.
        #expect(found.contains { $0.path == "services[0].mode" && $0.subject == "FIN-01 创业担保贷款贴息" })
        #expect(found.contains { $0.path == "services[1]" && $0.subject == nil })
    }

    /// The yearly update: last year's entry copied with the new year's window and amounts. The
    /// error said only "duplicate id"; it points at the first entry's line and says how one
    /// service keeps both years (dated params, `effective` rules) or that a new policy takes a new id.
    @Test func aServiceCopiedForANewYearSaysHowToKeepBothYears() {
        let found = problems("""
        version: "2026.1"
        services:
          - id: RENT-02
            name: 国有物业租金减免
            category: rent
            mode: 申请即享
            window: { from: "2025-01-01", to: "2025-12-31" }
            params: { relief_months: 3, cap: 100000 }
          - id: RENT-02
            name: 国有物业租金减免(2026)
            category: rent
            mode: 申请即享
            window: { from: "2026-01-01", to: "2026-12-31" }
            params: { relief_months: 2, cap: 80000 }
        """)
        let duplicate = found.first { $0.path == "services[1].id" }
        #expect(duplicate?.line == 9)
        let message = duplicate?.message ?? ""
        #expect(message.hasPrefix("duplicate id 'RENT-02' (first at services[0], line 3)"))
        #expect(message.contains("date the params that change"))
        #expect(message.contains("`effective` dates"))
        #expect(message.contains("a new policy takes a new id"))
    }

    /// Dates written as rows and test cases may write them. A dated param keyed `"2026/1/1"` was
    /// taken as a nested map: the catalog loaded clean and every rule reading it failed with
    /// "attempt to compare table with number". A window bound says what to write, and a date that
    /// is not a real day says so rather than asking for the YYYY-MM-DD it already has.
    @Test func datesWrittenAnotherWaySayWhatToWrite() {
        let found = problems("""
        version: "2026.1"
        services:
          - id: RENT-02
            name: 国有物业租金减免
            category: rent
            mode: 申请即享
            window: { from: "2026/1/1", to: "2026-02-30" }
            params:
              cap: { "2025/1/1": 100000, "2026年1月1日": 80000 }
              relief_months: { "2025-01-01": 3, "2026/01/01": 2 }
        """)
        func message(_ path: String) -> String? { found.first { $0.path == path && $0.severity == .error }?.message }
        #expect(message("services[0].window.from") == "invalid date '2026/1/1' (expected YYYY-MM-DD): write \"2026-01-01\"")
        #expect(message("services[0].window.to") == "invalid date '2026-02-30': not a real day (expected a real YYYY-MM-DD day)")
        #expect(message("services[0].params.cap.2025/1/1")?.contains("write \"2025-01-01\"") == true)
        #expect(message("services[0].params.cap.2026年1月1日")?.contains("write \"2026-01-01\"") == true)
        #expect(message("services[0].params.relief_months.2026/01/01")?.contains("write \"2026-01-01\"") == true)
        #expect(found.first { $0.path == "services[0].params.cap.2025/1/1" }?.line == 9)
    }

    /// The yearly update: the new year's value quoted (`"80000"`) or of another kind. The catalog
    /// loaded clean (a plain number in quotes is not warned about: codes are written so), and the
    /// rule failed for every business from that date on ("attempt to compare string with number").
    @Test func aDatedValueOfAnotherKindIsAWarning() throws {
        let catalog = try load("""
        version: "2026.1"
        services:
          - id: RENT-02
            name: 国有物业租金减免
            category: rent
            mode: 申请即享
            params:
              cap: { "2025-01-01": 100000, "2026-01-01": "80000" }
              rate: { "2025-01-01": 1, "2026-01-01": 0.5 }
              code: { "2025-01-01": "5211", "2026-01-01": "5212" }
        """)
        let warnings = catalog.warnings.map(\.description)
        #expect(warnings == ["catalog.yaml:8: RENT-02 国有物业租金减免 (services[0].params.cap.2026-01-01): warning: from 2026-01-01 the value is text ('80000'), "
            + "but from 2025-01-01 it is a number ('100000'): rules read one param one way; write each date's value as the same kind of value (同一参数各日期的值类型应一致)"],
            "\(warnings)")
    }

    @Test func missingRequiredKeysAreEachReported() {
        let found = problems("""
        services:
          - params: { a: 1 }
        """)
        let messages = Set(found.map(\.message))
        for key in ["id", "name", "category", "mode"] {
            #expect(messages.contains("missing required key '\(key)'"))
        }
        #expect(messages.contains("missing required key 'version'"))
    }

    /// An unknown category and an unknown top-level key are harmless: warnings. An unknown key on
    /// a service is an error (see `anUnknownKeyOnAServiceIsAnError`).
    @Test func unknownCategoryAndUnknownTopLevelKeysAreWarnings() throws {
        let catalog = try load("""
        version: 1
        owner: 区企业服务中心
        services:
          - id: TAL-01
            name: 人才住房
            category: housing
            mode: 申请即享
        """)
        #expect(catalog.version == "1")
        #expect(catalog.services.count == 1)
        #expect(catalog.services[0].category == "housing")
        #expect(catalog.services[0].categoryDisplayName == "housing")
        #expect(catalog.services[0].provider == nil)
        #expect(catalog.warnings.allSatisfy { $0.severity == .warning })
        #expect(catalog.warnings.contains { $0.path == "services[0].category" && $0.message.contains("unknown category 'housing'") })
        #expect(catalog.warnings.contains { $0.path == "owner" })
    }

    /// Found in the analyst review: `windows:` for `window:` was a warning and the key was ignored,
    /// so the service stayed active for ever and runs exited 0.
    @Test func aKeyMeantAsTheWindowOrParamsIsAnErrorAndOtherKeysWarnings() throws {
        let loaded = try load("""
        version: 1
        services:
          - id: TAL-01
            name: 人才住房
            category: rent
            mode: 申请即享
            provder: 区住建局
        """)
        #expect(loaded.warnings.contains { $0.path == "services[0].provder" && $0.message.contains("did you mean 'provider'?") }, "\(loaded.warnings)")
        let windows = problems("""
        version: 1
        services:
          - { id: TAL-01, name: 人才住房, category: rent, mode: 申请即享, windows: { from: 2025-01-01 } }
        """)
        #expect(windows.contains { $0.severity == .error && $0.path == "services[0].windows" && $0.message.contains("did you mean 'window'?") }, "\(windows)")
        // Meant as the window or the params: errors (second review: `effective:` was ignored).
        let meant = problems("""
        version: 1
        services:
          - id: TAL-01
            name: 人才住房
            category: rent
            mode: 申请即享
            effective: { from: 2025-01-01, to: 2025-12-31 }
            parms: { cap: 1 }
            code: 440306-FIN-01
        """)
        #expect(meant.contains { $0.severity == .error && $0.path == "services[0].effective" && $0.message.contains("window") }, "\(meant)")
        #expect(meant.contains { $0.severity == .error && $0.path == "services[0].parms" && $0.message.contains("did you mean 'params'?") }, "\(meant)")
        #expect(meant.contains { $0.severity == .warning && $0.path == "services[0].code" }, "\(meant)")
        // A key that is no near miss is extra information: a warning, and the catalog loads (review).
        let catalog = try load("""
        version: 1
        services:
          - id: TAL-01
            name: 人才住房
            category: rent
            mode: 申请即享
            contact: 0755-12345678
        """)
        #expect(catalog.warnings.contains { $0.path == "services[0].contact" && $0.message.contains("ignored") })
    }

    /// `min_ratio: 70%` loads as the text "70%"; a rule comparing it with a number then failed for
    /// every business at run time with nothing from `check`. It is now a warning with its line and
    /// the number to write; codes, lists, versions and dates written as text are left alone.
    @Test func numbersWrittenWithAUnitAreWarningsThatSayWhatToWrite() throws {
        let catalog = try load("""
        version: 1
        services:
          - id: RWD-09
            name: 测试奖励
            category: reward
            mode: 申请即享
            params:
              min_ratio: 70%
              cap: 1.12万
              total: "1,200,000元"
              rent: ￥5000
              wide: ３０％
              min_employees: 100人
              dated: { "2024-01-01": "12.5%" }
              first_loan_from: "2022-06-01"
              industry: "5211"
              industry_wide: "５２１１"
              ratings: "C,D"
              codes: "651,652,653"
              version: "2024.06"
              rate: "0.5"
              note: 补贴比例 70%
        """)
        let byPath = Dictionary(catalog.warnings.map { ($0.path ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        let expected = ["min_ratio": ("70%", "0.7", 8), "cap": ("1.12万", "11200", 9), "total": ("1,200,000元", "1200000", 10),
                        "rent": ("￥5000", "5000", 11), "wide": ("３０％", "0.3", 12), "min_employees": ("100人", "100", 13)]
        for (name, (text, number, line)) in expected {
            let warning = try #require(byPath["services[0].params.\(name)"], "no warning for \(name)")
            #expect(warning.severity == .warning)
            #expect(warning.line == line)
            #expect(warning.message.contains("'\(text)' is text, not a number") && warning.message.contains("write \(number) "), "\(warning.message)")
        }
        #expect(catalog.warnings.contains { $0.path?.hasPrefix("services[0].params.dated") == true && $0.message.contains("write 0.125 ") })
        #expect(catalog.warnings.count == expected.count + 1, "\(catalog.warnings.map(\.message))")
        #expect(catalog.services[0].params["min_ratio"] == .string("70%"), "the value itself is kept as written")
    }

    /// The suggestion is the decimal the analyst wrote, scaled exactly (found in review: binary
    /// floating point gave 11200.000000000002 for 1.12万); only text with a unit is a number.
    @Test func numericParamTextReadsOnlyNumbersWithAUnit() {
        let cases = ["1.12万": "11200", "0.57万": "5700", "1.005万": "10050", "1.12亿": "112000000", "0.07亿": "7000000",
                     " 1.5亿 ": "150000000", "3000元": "3000", "５千元": "5000", "８０％": "0.8", "－５％": "-0.05",
                     "12.5%": "0.125", "6个月": "6", "3年": "3", "¥ 2,500.50": "2500.5"]
        for (text, number) in cases { #expect(NumericParamText.number(in: text) == number, "\(text)") }
        for text in ["5211", "440306", "５２１１", "C,D", "1,2", "651,652,653", "010,020", "2024.06", "0.5", "-0.25",
                     "2025-01-01", "", "%", "万", "abc", "七成", "1.2.3万", "12,34万", "补贴比例 70%"] {
            #expect(NumericParamText.number(in: text) == nil, "\(text)")
        }
    }

    @Test func warningsTravelWithErrors() {
        let found = problems("""
        version: 1
        services:
          - id: X-1
            name: a
            category: nothing
            mode: maybe
        """)
        #expect(found.contains { $0.severity == .warning && $0.path == "services[0].category" })
        #expect(found.contains { $0.severity == .error && $0.path == "services[0].mode" })
    }

    @Test func yamlSyntaxErrorsNameTheLine() {
        let found = problems("""
        version: 1
        services:
          - id: FIN-01
            name: [unclosed
            category: financing
        """)
        #expect(found.count == 1)
        #expect(found.first?.file == "catalog.yaml")
        #expect((found.first?.line ?? 0) >= 4)
        #expect(found.first?.message.contains("YAML") == true)
    }

    @Test func duplicateYAMLKeysAreReported() {
        let found = problems("""
        version: 1
        services:
          - id: FIN-01
            id: FIN-02
            name: a
            category: financing
            mode: 免申即享
        """)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("'id'") == true)
    }

    @Test func unreadableOrEmptyFilesAreDiagnosed() throws {
        #expect(throws: DiagnosticList.self) {
            try Catalog.load(from: URL(fileURLWithPath: "/nonexistent/huiqi/catalog.yaml"))
        }
        #expect(!problems("").isEmpty)
        #expect(problems("- a\n- b\n").first?.message.contains("top level") == true)
        let notUTF8 = Data([0x76, 0x3A, 0x20, 0xC4, 0xE3]) // "v: " then GBK bytes
        #expect(throws: DiagnosticList.self) { try Catalog.load(contents: notUTF8, path: "gbk.yaml") }
    }

    @Test func byteOrderMarkIsAccepted() throws {
        var data = Data([0xEF, 0xBB, 0xBF])
        data.append(Data("version: v1\nservices: []\n".utf8))
        let catalog = try Catalog.load(contents: data, path: "bom.yaml")
        #expect(catalog.version == "v1")
        #expect(catalog.services.isEmpty)
    }

    @Test func categoryAndModeNames() {
        let expected: [String: String] = [
            "financing": "融资", "rent": "租金减免", "employment": "稳岗就业", "growth": "升级培育", "talent": "人才",
            "party": "党建", "compliance": "合规服务", "qualification": "资质认定", "reward": "奖励", "service": "企业服务",
        ]
        for (raw, name) in expected { #expect(ServiceCategory.displayName(for: raw) == name) }
        #expect(ServiceCategory.allCases.count == expected.count)
        #expect(ServiceCategory.displayName(for: "other") == "other")
        #expect(ServiceMode(text: "免申即享") == .noApplication)
        #expect(ServiceMode(text: "no-application") == .noApplication)
        #expect(ServiceMode(text: "申请即享") == .applyAndReceive)
        #expect(ServiceMode(text: "assessed") == .assessed)
        #expect(ServiceMode(text: "assess") == nil)
    }

    @Test func paramValueHelpers() {
        let dated = ParamValue.dated([(from: "2023-01-01", value: .integer(1)), (from: "2024-01-01", value: .decimal(2.5))])
        #expect(dated.resolved(on: "2022-01-01") == nil)
        #expect(dated.resolved(on: "2024-01-01")?.doubleValue == 2.5)
        #expect(ParamValue.integer(7).doubleValue == 7)
        #expect(ParamValue.decimal(3).int64Value == 3)
        #expect(ParamValue.decimal(3.5).int64Value == nil)
        #expect(ParamValue.string("a").stringValue == "a")
        #expect(ParamValue.boolean(true).boolValue == true)
        #expect(dated.description == "{2023-01-01: 1, 2024-01-01: 2.5}")
        #expect(ParamValue.map([(key: "a", value: .integer(1)), (key: "b", value: .integer(2))])
            != ParamValue.map([(key: "b", value: .integer(2)), (key: "a", value: .integer(1))]))
    }
}
