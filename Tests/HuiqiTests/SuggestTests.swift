import Foundation
@testable import Huiqi
import Testing

/// "Did you mean": a swap of two neighbouring letters is one edit. It counted as two, past the
/// limit for short words: `category: rnet` got no hint.
@Suite struct SuggestTests {
    @Test func aSwapOfNeighboursIsOneEdit() {
        #expect(Suggest.distance("rnet", "rent") == 1)
        #expect(Suggest.distance("emplyoees", "employees") == 1)
        #expect(Suggest.distance("rent", "rent") == 0)
        #expect(Suggest.distance("", "rent") == 4)
        #expect(Suggest.distance("kitten", "sitting") == 3)
        #expect(Suggest.distance("街道名", "街名道") == 1)
    }

    @Test func shortWordsWithASwapGetAHint() {
        #expect(NameSuggestion.closest(to: "tgas", among: ["tags", "name", "street"]) == "tags")
        #expect(NameSuggestion.closest(to: "xyzw", among: ["tags", "name"]) == nil)
    }

    /// Analyst review: a rule's `service = "gro-05"` got no hint: three letters in the other case
    /// were three edits, past the limit, though the id differs only in case.
    @Test func aNameDifferingOnlyInCaseGetsAHint() {
        #expect(Suggest.closest(to: "gro-05", in: ["GRO-01", "GRO-05", "FIN-05"]) == "GRO-05")
        #expect(Suggest.closest(to: "Employees", in: ["employees", "employs"]) == "employees")
    }

    @Test func aCategoryWithTwoLettersSwappedGetsAHint() throws {
        let yaml = """
        version: 1
        services:
          - id: TAL-01
            name: 人才住房
            category: rnet
            mode: 申请即享
        """
        var loader = CatalogLoader(path: "catalog.yaml")
        let catalog = try loader.load(Data(yaml.utf8))
        #expect(catalog.warnings.contains { $0.message.contains("unknown category 'rnet' (did you mean 'rent'?)") }, "\(catalog.warnings.map(\.message))")
    }
}
