import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// `max: as_of` on a date field (the shipped 成立日期): a firm established after the day it is
/// judged on did not exist then. It used to be evaluated anyway: the shipped samples, run at
/// README's as-of date, gave five such firms rent relief and the tiering rule "经营-1年".
@Suite struct AsOfDateBoundTests {
    private let schema = BundleFixture.schemaYAML.replacingOccurrences(
        of: "- { name: established_on, type: date, label: 成立日期 }",
        with: "- { name: established_on, type: date, label: 成立日期, max: as_of }\n  - { name: first_loan_on, type: date, label: 首次贷款日期 }")

    private let header = "统一社会信用代码,企业名称,主体类型,成立日期,首次贷款日期\n"

    @Test func theSchemaMarksTheFieldAndRefusesOtherDateBounds() throws {
        #expect(schema != BundleFixture.schemaYAML)
        let dir = try TemporaryDirectory()
        let loaded = try Schema.load(from: dir.write("schema.yaml", schema))
        #expect(loaded.field(named: "established_on")?.notAfterAsOf == true)
        #expect(loaded.field(named: "first_loan_on")?.notAfterAsOf == false)

        for (bound, fragment) in [("max: 2025-01-01", "a date field's max can only be as_of"),
                                  ("min: as_of", "a date field has no 'min'")] {
            let yaml = schema.replacingOccurrences(of: "max: as_of", with: bound)
            let error = #expect(throws: DiagnosticList.self) { try Schema.load(from: dir.write("bad.yaml", yaml)) }
            #expect(error?.diagnostics.contains { $0.message.contains(fragment) } == true, "\(error?.diagnostics.map(\.description) ?? [])")
        }
        let onANumber = schema.replacingOccurrences(of: "label: 从业人数 }", with: "label: 从业人数, max: as_of }")
        let error = #expect(throws: DiagnosticList.self) { try Schema.load(from: dir.write("number.yaml", onANumber)) }
        #expect(error?.diagnostics.contains { $0.message.contains("expected a number") } == true)
    }

    /// Rows dated after the as-of date are rejects with the field, the two dates and why; the as-of
    /// day itself and other date fields are not; one warning per file counts them.
    @Test func aFirmEstablishedAfterTheAsOfDateIsARejectAndCounted() throws {
        let dir = try TemporaryDirectory()
        let file = try dir.write("p.csv", header + """
            91350100M000100Y43,早,企业,2025-05-31,
            92440300MA5H00001C,当天,个体工商户,2025-06-01,2026-01-01
            91440300MA54TBRQ2G,晚,企业,2025/6/2,
            91440300758EDULYEH,坏,企业,2025-13-01,
            91440300MA5UYC91J1,也晚,企业,2030-01-01,

            """)
        let loaded = try Schema.load(from: dir.write("schema.yaml", schema))
        var stream = try ProfileStream(files: [file], schema: loaded, asOf: "2025-06-01")
        let (profiles, rejects) = try stream.readAll()
        #expect(profiles.map(\.line) == [2, 3])
        #expect(rejects.map(\.line) == [4, 5, 6])
        #expect(rejects[0].field == "established_on")
        #expect(rejects[0].reason == "成立日期(established_on): 2025-06-02 晚于评估日期 2025-06-01, 按评估日期尚不存在, 本行未评估 (after the as-of date)")
        #expect(!rejects[1].reason.contains("晚于评估日期"), "a date that does not parse is not counted as late")
        let warnings = stream.warnings.filter { $0.message.contains("晚于评估日期") }
        #expect(warnings.map(\.description) == [
            "\(file.relativePath):4: warning: 2行的成立日期晚于评估日期 2025-06-01, 已拒收, 第一行在此 (rows dated after the as-of date are rejects): 按评估日期这些企业尚不存在; 评估过去的日期时, 此后成立的企业不在其中",
        ])

        // Without an evaluation date (reading for other purposes) nothing is checked.
        var unjudged = try ProfileStream(files: [file], schema: loaded)
        #expect(try unjudged.readAll().profiles.count == 4)
    }

    /// A test case about a firm not yet founded on its `as_of` tests nothing a run does.
    @Test func aTestCaseWithAFirmEstablishedAfterItsAsOfFails() throws {
        let fixture = try BundleFixture(files: [
            "svc/rule.lua": "return { id = 'r', service = 'SVC-01', conditions = { { '总是', function(p) return true end } } }",
            "svc/rule_test.lua": """
            return {
              { name = 'late', as_of = '2025-06-01', profile = { subject_type = 'enterprise', established_on = '2025-07-01' },
                expect = { ['SVC-01'] = 'eligible' } },
              { name = 'same day', as_of = '2025-06-01', profile = { subject_type = 'enterprise', established_on = '2025-06-01' },
                expect = { ['SVC-01'] = 'eligible' } },
            }
            """,
        ], schema: schema)
        let r = try RuleTestRunner(loaded: fixture.load()).run()
        #expect(r.map(\.passed) == [false, true], "\(r.map(\.failures))")
        #expect(r[0].failures == ["profile.established_on: 成立日期(established_on): 2025-07-01 晚于评估日期 2025-06-01, 按评估日期尚不存在, 本行未评估 (after the as-of date); huiqi run rejects such a row: move the date or the case's as_of"])
    }

    /// The shipped bundle end to end: README's run of the samples rejects nothing (the generator
    /// draws its register as of README's date), while a past as-of date rejects the firms set up
    /// since, says so once, and `explain` names the reason.
    @Test func theShippedSamplesAtAPastDate() throws {
        let dir = try TemporaryDirectory()
        let readme = try HuiqiBinary.run(["run", "Samples/profiles.csv", "--as-of", "2025-06-01", "--db", dir.url.appendingPathComponent("a.db").path],
                                         cwd: HuiqiBinary.packageRoot)
        #expect(readme.status == 0, "\(readme.stderr)")
        #expect(readme.stdout.contains("读取 read: 240   评估 evaluated: 240   拒收 rejected: 0"), "\(readme.stdout)")

        let past = try HuiqiBinary.run(["run", "Samples/profiles.csv", "--as-of", "2021-01-01", "--db", dir.url.appendingPathComponent("b.db").path,
                                        "--rejects", dir.url.appendingPathComponent("r.csv").path],
                                       cwd: HuiqiBinary.packageRoot)
        #expect(past.status == 1)
        let late = try String(contentsOf: dir.url.appendingPathComponent("r.csv"), encoding: .utf8)
            .split(whereSeparator: \.isNewline).dropFirst().filter { $0.contains("晚于评估日期 2021-01-01") }
        #expect(!late.isEmpty && past.stdout.contains("拒收 rejected: \(late.count)"), "\(past.stdout)")
        #expect(past.stderr.contains("Samples/profiles.csv:") && past.stderr.contains("\(late.count)行的成立日期晚于评估日期 2021-01-01, 已拒收"), "\(past.stderr)")

        let code = try #require(late.first.map { $0.split(separator: ",")[2] }.map(String.init))
        let explain = try HuiqiBinary.run(["explain", code, "--profiles", "Samples/profiles.csv", "--as-of", "2021-01-01"], cwd: HuiqiBinary.packageRoot)
        #expect(explain.stdout.contains("rejected at Samples/profiles.csv:") && explain.stdout.contains("晚于评估日期 2021-01-01"), "\(explain.stdout)\(explain.stderr)")
    }
}
