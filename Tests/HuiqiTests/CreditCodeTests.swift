@testable import Huiqi
import TestSupport
import Testing

@Suite struct CreditCodeTests {
    let field = SchemaField(name: "credit_code", type: .string, label: "统一社会信用代码", required: true)

    private func coerce(_ text: String) -> Result<FieldValue?, CoercionError> {
        FieldCoercer.coerce(text, as: field)
    }

    @Test(arguments: ["91350100M000100Y43", "11320000MB151840XJ"])
    func validCodes(code: String) throws {
        #expect(CreditCode.problem(with: code) == nil)
        #expect(CreditCode.fastProblem(with: code) == nil)
        #expect(try coerce(code).get() == .string(code))
    }

    @Test func invalidCodesAreExplained() {
        // Z is not one of the 31 symbols at all.
        guard case .failure(let symbol) = coerce("91350100M000100Y4Z") else {
            Issue.record("a code ending in Z was accepted")
            return
        }
        #expect(symbol.message == "统一社会信用代码(credit_code): '91350100M000100Y4Z' 统一社会信用代码第18位字符'Z'不合法(只允许数字和除I、O、Z、S、V外的大写字母)")
        #expect(symbol.field == "credit_code")
        // A valid symbol in the check position, but the wrong one.
        guard case .failure(let check) = coerce("91350100M000100Y44") else {
            Issue.record("a wrong check character was accepted")
            return
        }
        // It does not say which character would pass: changing a mistyped code's last character
        // until it validates gives a valid but wrong code (data-administrator review).
        #expect(check.message.hasSuffix("统一社会信用代码校验位错误, 代码有误: 请按营业执照核对 (可能录入有误)"), "\(check.message)")
        #expect(!check.message.contains("'3'"))
    }

    /// Data-administrator review: real exports carry what spreadsheets put around a code. A code
    /// that is valid once `'`, `="…"` (huiqi's own exports), spaces or hyphens are taken away is
    /// read; the causes that cannot be repaired are named.
    @Test func spreadsheetMarksAroundACodeAreTakenAwayAndCausesNamed() throws {
        for written in ["'91350100M000100Y43", "=\"91350100M000100Y43\"", "913501 00M000 100Y43", "91350100-M000100Y43", "'=\"91350100m000100y43\""] {
            #expect(try coerce(written).get() == .string("91350100M000100Y43"), "\(written)")
        }
        // Taking marks away never makes a wrong code pass.
        guard case .failure(let wrong) = coerce("'91350100M000100Y44") else { Issue.record("accepted"); return }
        #expect(wrong.message.contains("应为18位, 实为19位"), "\(wrong.message)")
        guard case .failure(let old) = coerce("440306000123456") else { Issue.record("accepted"); return }
        #expect(old.message.contains("15位的旧工商注册号"), "\(old.message)")
        guard case .failure(let number) = coerce("9.14403E+17") else { Issue.record("accepted"); return }
        #expect(number.message.contains("代码被 Excel 转成了数字"), "\(number.message)")
        guard case .failure(let cut) = coerce("914403001234567000") else { Issue.record("accepted"); return }
        #expect(cut.message.contains("被 Excel 当成数字截断"), "\(cut.message)")
    }

    @Test func lowerCaseAndPaddingAreNormalised() throws {
        #expect(try coerce(" 91350100m000100y43 ").get() == .string("91350100M000100Y43"))
        #expect(try coerce("11320000mb151840xj").get() == .string("11320000MB151840XJ"))
    }

    @Test func wrongLengthAndBadCharacters() {
        guard case .failure(let short) = coerce("91350100M000100Y4") else {
            Issue.record("a 17-character code was accepted")
            return
        }
        #expect(short.message.hasSuffix("统一社会信用代码应为18位, 实为17位"))
        guard case .failure(let letter) = coerce("91350100M000100I43") else {
            Issue.record("a code with I was accepted")
            return
        }
        #expect(letter.message.contains("第16位字符'I'不合法"))
    }

    /// The byte-level check must agree with the reference `problem(with:)` on every code,
    /// valid or not: mutate valid codes at every position with every symbol.
    @Test func fastCheckAgreesWithTheReference() {
        let symbols = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZa-")
        for seed in [0, 17, 4242, 999_999] {
            let code = Array(ProfileFixtures.creditCode(seed))
            #expect(CreditCode.problem(with: String(code)) == nil)
            for position in 0..<18 {
                for symbol in symbols {
                    var mutated = code
                    mutated[position] = symbol
                    let text = String(mutated)
                    #expect(CreditCode.fastProblem(with: text) == CreditCode.problem(with: text), "\(text)")
                }
            }
        }
        for text in ["", "9135", "91350100M000100Y43X", "９１３５０１００Ｍ０００１００Ｙ４３"] {
            #expect(CreditCode.fastProblem(with: text) == CreditCode.problem(with: text), "\(text)")
        }
    }

    @Test func packingDistinguishesCodes() {
        var seen: Set<[UInt64]> = []
        for seed in 0..<5000 {
            guard let packed = CreditCode.packed(ProfileFixtures.creditCode(seed * 7919)) else {
                Issue.record("a valid code did not pack")
                return
            }
            #expect(packed.high >> 60 == 0 && packed.low >> 25 == 0, "payload bits must stay free")
            seen.insert([packed.high, packed.low])
        }
        #expect(seen.count == 5000)
        #expect(CreditCode.packed("91350100M000100I43") == nil)
        #expect(CreditCode.packed("short") == nil)
    }

    @Test func registryFindsTheFirstOccurrence() {
        var registry = CreditCodeRegistry()
        for seed in 0..<100_000 {
            #expect(registry.register(ProfileFixtures.creditCode(seed), fileIndex: seed % 3, line: seed + 2) == .new)
        }
        #expect(registry.count == 100_000)
        #expect(registry.register(ProfileFixtures.creditCode(41_000), fileIndex: 9, line: 5) == .duplicate(fileIndex: 2, line: 41_002))
        #expect(registry.register(ProfileFixtures.creditCode(0), fileIndex: 1, line: 1) == .duplicate(fileIndex: 0, line: 2))
        // Positions that do not fit the packing are remembered as unknown, not wrong.
        #expect(registry.register("91350100M000100Y43", fileIndex: 5000, line: 3_000_000_000) == .new)
        #expect(registry.register("91350100M000100Y43", fileIndex: 0, line: 1) == .duplicate(fileIndex: nil, line: nil))
    }
}
