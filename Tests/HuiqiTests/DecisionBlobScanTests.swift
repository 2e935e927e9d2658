@testable import Huiqi
import Testing

/// `DecisionBlob.anyEntry` reads a blob in place to skip businesses no filter can select, and
/// `countEntries` to count what `log show` does not show; they must see each entry's slot and
/// outcome as `decode` does, and leave damaged blobs to `decode`.
@Suite struct DecisionBlobScanTests {
    static let entries = [
        LogEntry(outcome: 1, rule: 3, conditions: 0b0101, reason: 200, missing: nil, error: nil, amount: 1234.5, score: 7),
        LogEntry(outcome: 2, rule: 300_000, conditions: -1, reason: 1 << 40, missing: 9, error: nil, amount: nil, score: nil),
        LogEntry(outcome: 0),
        LogEntry(outcome: 4, rule: 1, conditions: 0, reason: nil, missing: nil, error: 77, amount: nil, score: 2.5),
        LogEntry(outcome: 3, rule: nil, conditions: 3, reason: 5, missing: 6, error: nil, amount: 0, score: nil),
    ]

    static func scan(_ bytes: [UInt8], _ accept: (Int, Int) -> Bool) -> Bool {
        bytes.withUnsafeBytes { DecisionBlob.anyEntry(in: $0, accept) }
    }

    @Test func seesEverySlotAndOutcomeAsDecodeDoes() throws {
        let blob = DecisionBlob.encode(Self.entries)
        let decoded = try DecisionBlob.decode(blob)
        var seen: [(Int, Int)] = []
        #expect(!Self.scan(blob) { slot, outcome in
            seen.append((slot, outcome))
            return false
        })
        #expect(seen.map(\.0) == Array(decoded.indices))
        #expect(seen.map(\.1) == decoded.map(\.outcome))
        for (slot, entry) in decoded.enumerated() {
            #expect(Self.scan(blob) { $0 == slot && $1 == entry.outcome })
        }
        #expect(!Self.scan(blob) { slot, _ in slot == decoded.count })
    }

    @Test func aDamagedBlobIsLeftToDecode() {
        let blob = DecisionBlob.encode(Self.entries)
        for cut in 2..<blob.count {
            let truncated = Array(blob.prefix(cut))
            if (try? DecisionBlob.decode(truncated)) == nil {
                #expect(Self.scan(truncated) { _, _ in false }, "cut at \(cut)")
            }
        }
        #expect(Self.scan([9, 1, 2]) { _, _ in false })  // unknown version
    }

    @Test func countsTheEntriesItAcceptsAsDecodeSeesThem() throws {
        let blob = DecisionBlob.encode(Self.entries)
        let decoded = try DecisionBlob.decode(blob)
        func count(_ bytes: [UInt8], _ accept: (Int, Int) -> Bool) -> Int? {
            bytes.withUnsafeBytes { DecisionBlob.countEntries(in: $0, accept) }
        }
        #expect(count(blob) { _, _ in true } == decoded.count)
        #expect(count(blob) { _, outcome in outcome != 0 } == decoded.filter { $0.outcome != 0 }.count)
        #expect(count(blob) { slot, _ in slot == 3 } == 1)
        #expect(count(blob) { _, outcome in outcome == 7 } == 0)
        for cut in 2..<blob.count where (try? DecisionBlob.decode(Array(blob.prefix(cut)))) == nil {
            #expect(count(Array(blob.prefix(cut))) { _, _ in true } == nil, "cut at \(cut)")
        }
        #expect(count(blob + [0x88]) { _, _ in true } == nil)  // an entry cut short at the end
    }
}
