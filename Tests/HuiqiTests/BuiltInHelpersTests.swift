import Foundation
@testable import Huiqi
import TestSupport
import Testing

@Suite struct BuiltInHelpersTests {
    /// The built-in SME table (for bundles without lib/sme_scale.lua) is the shipped one verbatim.
    @Test func builtInScaleTableMatchesTheShippedBundle() throws {
        let shipped = try String(contentsOf: PackagePaths.root.appendingPathComponent("Rules/lib/sme_scale.lua"), encoding: .utf8)
        #expect(DefaultSMEScale.source == shipped)
        let industry = try String(contentsOf: PackagePaths.root.appendingPathComponent("Rules/lib/industry.lua"), encoding: .utf8)
        #expect(DefaultIndustry.source == industry)
    }

    /// A bundle whose one rule answers `scale_of(p)`, with `files` added to it, on a retailer
    /// with 60 people and 800万 revenue (medium).
    private func scaleOf(with files: [String: String]) throws -> Decision {
        var all = files
        all["r.lua"] = "return { id = 'r', service = 'SVC-01', evaluate = function(p) return eligible(scale_of(p)) end }"
        let loaded = try BundleFixture(files: all).load()
        let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
        let profile = BundleFixture.profile(loaded.schema, ["industry_code": .string("F5261"), "employees": .integer(60), "revenue": .decimal(800)])
        return try #require(runtime.decisions(for: profile).first)
    }

    /// Found in review: the built-in table loaded `industry`, so a bundle's own lib/industry.lua
    /// (a list of key industries) stood in for it and scale_of failed for every business.
    @Test func aBundlesOwnIndustryModuleDoesNotReplaceTheBuiltInHelper() throws {
        let d = try scaleOf(with: ["lib/industry.lua": "return { KEY = { 'C39' }, is_key = function(code) return code:sub(1, 3) == 'C39' end }"])
        #expect(d.reasons == ["medium"], "\(d.errorMessage ?? "")")
    }

    /// Found in the second review: a bundle with its own (revised) sme_scale.lua and no
    /// industry.lua lost the built-in `industry` it loads.
    @Test func aBundlesOwnScaleTableStillFindsTheBuiltInIndustryHelper() throws {
        let shipped = try String(contentsOf: PackagePaths.root.appendingPathComponent("Rules/lib/sme_scale.lua"), encoding: .utf8)
        let d = try scaleOf(with: ["lib/sme_scale.lua": shipped])
        #expect(d.reasons == ["medium"], "\(d.errorMessage ?? "")")
    }

    @Test func bundleWithoutScaleLibraryStillHasScaleOf() throws {
        #expect(try scaleOf(with: [:]).reasons == ["medium"])
    }
}
