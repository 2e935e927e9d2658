@testable import Huiqi
import Testing

/// `DecisionBlob.remapped`: a business's decisions copied into another log (`ShardMerge`) name that
/// log's text and error ids, and keep everything else.
@Suite struct DecisionBlobRemapTests {
    /// Every kind of entry: texts, an error, no decision, large ids.
    static let entries = DecisionBlobScanTests.entries

    @Test func textAndErrorIdsAreMappedAndNothingElse() throws {
        let texts: [Int64: Int64] = [200: 1, 1 << 40: 2, 9: 300_000, 5: 4, 6: 5]
        let errors: [Int64: Int64] = [77: 1]
        var asked: [Int64] = []
        let blob = try DecisionBlob.remapped(DecisionBlob.encode(Self.entries), text: { id in
            asked.append(id)
            guard let mapped = texts[id] else { throw DecisionBlob.Malformed(description: "no text \(id)") }
            return mapped
        }, error: { id in
            guard let mapped = errors[id] else { throw DecisionBlob.Malformed(description: "no error \(id)") }
            return mapped
        })
        let decoded = try DecisionBlob.decode(blob)
        #expect(decoded.count == Self.entries.count)
        for (got, original) in zip(decoded, Self.entries) {
            #expect(got.reason == original.reason.flatMap { texts[$0] })
            #expect(got.missing == original.missing.flatMap { texts[$0] })
            #expect(got.error == original.error.flatMap { errors[$0] })
            var rest = got
            (rest.reason, rest.missing, rest.error) = (original.reason, original.missing, original.error)
            #expect(rest == original)
        }
        #expect(asked == [200, 1 << 40, 9, 5, 6])
    }

    /// The one-pass rewrite writes the bytes that decoding, mapping and encoding again wrote.
    @Test func theBytesAreThoseOfTheEntriesMappedAndEncoded() throws {
        let map: (Int64) -> Int64 = { $0 * 3 + 1 }
        let mapped = Self.entries.map { e in
            var m = e
            (m.reason, m.missing, m.error) = (e.reason.map(map), e.missing.map(map), e.error.map { $0 + 1000 })
            return m
        }
        let blob = try DecisionBlob.remapped(DecisionBlob.encode(Self.entries), text: map, error: { $0 + 1000 })
        #expect(blob == DecisionBlob.encode(mapped))
    }

    @Test func idsThatStayTheSameKeepTheBytes() throws {
        let blob = DecisionBlob.encode(Self.entries)
        #expect(try DecisionBlob.remapped(blob, text: { $0 }, error: { $0 }) == blob)
    }

    @Test func aDamagedBlobIsAnError() {
        var blob = DecisionBlob.encode(Self.entries)
        blob.removeLast(3)
        #expect(throws: DecisionBlob.Malformed.self) { try DecisionBlob.remapped(blob, text: { $0 + 1 }, error: { $0 }) }
    }
}
