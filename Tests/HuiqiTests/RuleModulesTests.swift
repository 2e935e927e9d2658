import Foundation
import Huiqi
import Testing
import TestSupport

/// Which `lib/` modules a rule's decisions depend on (log v9): what keeps a review from carrying
/// over to a rule whose file is unchanged but whose module changed.
@Suite struct RuleModulesTests {
    @Test func requireWithALiteralInAnyOfItsFormsIsRead() {
        let source = """
        local baoan = require("baoan")
        local scale = require "sme_scale"
        local x = require 'x.y'
        local again = require ( "baoan" )
        local s = "require('not_code')"  -- require("in_a_comment")
        local t = obj.require("field") or obj:require("method")
        """
        #expect(LuaSourceScanner.requiredModules(in: source) == ["baoan", "sme_scale", "x.y"])
        // Comments between require and its name, holding quotes (code review: `Bao'an` read the
        // module 'an', a comment naming another module that one).
        #expect(LuaSourceScanner.requiredModules(in: "local b = require( -- Bao'an's shared conditions\n  \"baoan\")") == ["baoan"])
        #expect(LuaSourceScanner.requiredModules(in: "local b = require( -- was \"industry\"\n \"baoan\")") == ["baoan"])
        #expect(LuaSourceScanner.requiredModules(in: "local b = require --[==[ 'x' ]==] ( --[[\"y\"]] 'baoan' )") == ["baoan"])
        // After a concatenation, a name is not a field (code review: `..scale_of(p)` was missed).
        #expect(LuaSourceScanner.requiredModules(in: "return '规模 '..scale_of(p)..require'x'", builtins: ["scale_of": "sme_scale"])
                == ["sme_scale", "x"])
        #expect(LuaSourceScanner.requiredModules(in: "return t.scale_of, t:require('z')", builtins: ["scale_of": "sme_scale"]) == [])
    }

    /// Code that calls `require` with a computed name, or keeps the function, could load any
    /// module: the scan says it cannot tell, and the bundle takes every module as required.
    @Test func requireWithAnythingButALiteralCannotBeRead() throws {
        #expect(LuaSourceScanner.requiredModules(in: "local name = 'baoan'\nlocal m = require(name)") == nil)
        #expect(LuaSourceScanner.requiredModules(in: "local r = require\nreturn r('baoan')") == nil)
        #expect(LuaSourceScanner.requiredModules(in: "local required_by = 1\nlocal prerequire = 2") == [])

        let fixture = try BundleFixture(files: [
            "lib/a.lua": "return {}",
            "lib/b.lua": "local m = require(('a'):upper():lower())\nreturn m",
            "lib/c.lua": "return {}",
            "svc/one.lua": "local b = require('b')\nreturn { id = 'one', service = 'SVC-01', conditions = {} }",
        ])
        let bundle = try RuleBundle(directory: fixture.rulesDirectory)
        let rule = try #require(bundle.ruleFiles.first)
        #expect(bundle.modulesRequired(by: [rule])[rule.displayPath] == ["a", "b", "c"])
    }

    /// Through other modules, and through the engine's `scale_of`, which runs `lib/sme_scale.lua`;
    /// a module the rule does not reach is not among them.
    @Test func modulesAreFollowedThroughOtherModulesAndScaleOf() throws {
        let fixture = try BundleFixture(files: [
            "lib/baoan.lua": "local industry = require('industry')\nreturn { is_sme = function(p) return scale_of(p) ~= 'large' end }",
            "lib/industry.lua": "return {}",
            "lib/sme_scale.lua": "local industry = require('industry')\nreturn function(p) return 'small' end",
            "lib/unused.lua": "return {}",
            "lib/nested/deep.lua": "return {}",
            "svc/one.lua": "local baoan = require('baoan')\nreturn { id = 'one', service = 'SVC-01', conditions = {} }",
            "svc/two.lua": "return { id = 'two', service = 'SVC-01', conditions = { { 'x', function(p) return scale_of(p) == 'small' end } } }",
            "svc/three.lua": "local d = require('nested.deep')\nlocal gone = require('not_in_lib')\nreturn { id = 'three', service = 'SVC-01', conditions = {} }",
        ])
        let bundle = try RuleBundle(directory: fixture.rulesDirectory)
        let required = bundle.modulesRequired(by: bundle.ruleFiles)
        func modules(_ file: String) throws -> [String] {
            let rule = try #require(bundle.ruleFiles.first { $0.relativePath == file })
            return try #require(required[rule.displayPath])
        }
        #expect(try modules("svc/one.lua") == ["baoan", "industry", "sme_scale"])
        #expect(try modules("svc/two.lua") == ["industry", "sme_scale"])
        #expect(try modules("svc/three.lua") == ["nested.deep"])

        let two = try #require(bundle.ruleFiles.first { $0.relativePath == "svc/two.lua" })
        let logged = try #require(LoggedRule.modules(in: bundle)[two.displayPath])
        let lines = logged.split(separator: "\n")
        #expect(lines.count == 2 && lines[0].hasPrefix("industry ") && lines[1].hasPrefix("sme_scale "), "\(logged)")
        #expect(lines.allSatisfy { $0.split(separator: " ").last?.count == 64 })
    }

    @Test func changedModulesAreNamedAsFiles() {
        let before = "baoan 1111\nindustry 2222\nnested.deep 3333"
        let after = "baoan 1111\nindustry 9999\nsme_scale 4444"
        #expect(LoggedRule.changedModules(before, after) == ["lib/industry.lua", "lib/nested/deep.lua", "lib/sme_scale.lua"])
        #expect(LoggedRule.changedModules(before, before).isEmpty)
        #expect(LoggedRule.changedModules("", "").isEmpty)
    }

    /// The same rule needs the same modules (log v9). Two runs logged before v9 recorded none, and
    /// between them the file alone tells; against one of them, the same bundle.
    @Test func aRuleVersionComparesModulesWhereBothRunsRecordedThem() {
        let v1 = RuleVersion(id: "rent", sourceSHA256: "aa", modules: "baoan 11", bundleSHA256: "b1")
        #expect(v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: "baoan 11", bundleSHA256: "b2")))
        #expect(!v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: "baoan 22", bundleSHA256: "b2")))
        #expect(!v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: "", bundleSHA256: "b2")))
        // Against a run logged before v9: the same bundle, or a rule that requires no module.
        #expect(!v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: nil, bundleSHA256: "b2")))
        #expect(v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: nil, bundleSHA256: "b1")))
        let plain = RuleVersion(id: "rent", sourceSHA256: "aa", modules: "", bundleSHA256: "b1")
        #expect(plain.isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: nil, bundleSHA256: "b2")))
        #expect(RuleVersion(id: "rent", sourceSHA256: "aa", modules: nil, bundleSHA256: "b2")
            .isSame(as: RuleVersion(id: "rent", sourceSHA256: "aa", modules: nil, bundleSHA256: "b3")))
        #expect(!v1.isSame(as: RuleVersion(id: "rent", sourceSHA256: "ab", modules: "baoan 11", bundleSHA256: "b2")))
        let later = RuleVersion(id: "rent", sourceSHA256: "aa", modules: "baoan 22", bundleSHA256: "b2")
        #expect(later.changedModules(since: v1) == ["lib/baoan.lua"])
    }
}
