import Foundation
import Huiqi
import Testing

@Suite struct RunSummaryTests {
    /// The yearly update: a run a year on left out the services whose windows had closed (RENT-02,
    /// EMP-01…) without a word; the table had no row for them. They are named with their windows.
    @Test func servicesOutOfTheirWindowAreNamed() throws {
        let catalog = try Catalog.load(contents: Data("""
        version: "t"
        services:
          - { id: RENT-02, name: 租金减免, category: rent, mode: 申请即享, window: { from: "2025-01-01", to: "2026-12-31" } }
          - { id: SVC-01, name: 走访, category: service, mode: 免申即享, window: { from: "2023-02-01" } }
          - { id: RWD-09, name: 奖励, category: reward, mode: 申报审核, window: { from: "2027-06-01" } }
        """.utf8), path: "catalog.yaml")
        let later = RunSummary(plan: ServicePlan(catalog: catalog, rules: [], asOf: "2027-03-01"), rulesSHA256: "")
        #expect(later.table().hasSuffix("\n服务期外, 未评估 not in force on 2027-03-01: RENT-02 (2025-01-01 ~ 2026-12-31), RWD-09 (2027-06-01 起)"),
                "\(later.table())")
        let inForce = RunSummary(plan: ServicePlan(catalog: catalog, rules: [], asOf: "2026-03-01"), rulesSHA256: "")
        #expect(inForce.table().hasSuffix("\n服务期外, 未评估 not in force on 2026-03-01: RWD-09 (2027-06-01 起)"), "\(inForce.table())")
    }
}
