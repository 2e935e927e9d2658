import Foundation
@testable import Huiqi
import TestSupport
import Testing

/// The registry past its memory bound: codes spilled to sorted runs on disk must still be found,
/// each at the position where it was first registered, and memory must stop growing.
@Suite struct CreditCodeRegistrySpillTests {
    /// A seeded mix of new codes and repeats of codes from every era (first run, later runs,
    /// still in memory), checked against a dictionary.
    @Test func duplicatesAreFoundAtTheirFirstPositionAcrossSpills() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-spill")
        var registry = CreditCodeRegistry(maxShardCapacity: 256, spillDirectory: dir.url.path)
        var firstSeen: [String: (file: Int, line: Int)] = [:]
        var issued: [String] = []
        var state: UInt64 = 0x5EED
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var line = 1
        for i in 0..<60_000 {
            line += 1
            let file = i % 5
            // One row in four repeats a code issued earlier, from anywhere in the run so far.
            let code = !issued.isEmpty && next(4) == 0 ? issued[next(issued.count)] : ProfileFixtures.creditCode(i * 7919 + 13)
            let got = registry.register(code, fileIndex: file, line: line)
            if let first = firstSeen[code] {
                #expect(got == .duplicate(fileIndex: first.file, line: first.line), "\(code) at row \(i)")
            } else {
                #expect(got == .new, "\(code) at row \(i)")
                firstSeen[code] = (file, line)
                issued.append(code)
            }
        }
        #expect(registry.count == firstSeen.count)
        #expect(registry.spillCount >= 3, "the test should cross several spills")
        #expect(registry.slotsInMemory <= 64 * 256)
        #expect(registry.takeProblem() == nil)
        // The very first codes (first run) and the last (in memory) are still duplicates.
        for code in issued.prefix(50) + issued.suffix(50) {
            let first = try #require(firstSeen[code])
            #expect(registry.register(code, fileIndex: 9, line: 1) == .duplicate(fileIndex: first.file, line: first.line))
        }
    }

    /// Without a spill file the registry keeps every code in memory, as before, and says why once.
    @Test func aRegistryThatCannotSpillKeepsCodesInMemoryAndSaysWhy() {
        var registry = CreditCodeRegistry(maxShardCapacity: 256, spillDirectory: "/nonexistent/huiqi-spill")
        for i in 0..<30_000 {
            #expect(registry.register(ProfileFixtures.creditCode(i), fileIndex: 0, line: i + 2) == .new)
        }
        let problem = registry.takeProblem()
        #expect(problem?.contains("cannot spill credit codes") == true)
        #expect(problem?.contains("/nonexistent/huiqi-spill") == true)
        #expect(registry.takeProblem() == nil, "reported once")
        #expect(registry.spillCount == 0)
        #expect(registry.slotsInMemory > 64 * 256)
        #expect(registry.register(ProfileFixtures.creditCode(3), fileIndex: 1, line: 1) == .duplicate(fileIndex: 0, line: 5))
        #expect(registry.count == 30_000)
    }

    /// With the run's filter and index capped far below what the codes would want (a 4096-bit
    /// filter: one probe, many false positives; 8 blocks: large ones), every duplicate is still
    /// found, and memory stops growing once the tables are full.
    @Test func cappedFilterAndIndexStayExactAndBounded() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-spill")
        var registry = CreditCodeRegistry(maxShardCapacity: 256, spillDirectory: dir.url.path, maxBloomBits: 4096, maxBlocks: 8)
        var firstLine: [String: Int] = [:]
        var peak = 0
        for i in 0..<40_000 {
            let code = ProfileFixtures.creditCode(i % 3 == 2 ? (i / 3) * 7919 + 13 : i * 7919 + 13)
            let got = registry.register(code, fileIndex: 0, line: i + 2)
            if let line = firstLine[code] {
                #expect(got == .duplicate(fileIndex: 0, line: line), "row \(i)")
            } else {
                #expect(got == .new, "row \(i)")
                firstLine[code] = i + 2
            }
            peak = max(peak, registry.bytesInMemory)
        }
        #expect(registry.spillCount >= 2)
        #expect(registry.count == firstLine.count)
        #expect(peak <= 64 * 256 * 16 + 4096 / 8 + 8 * 8, "\(peak) bytes")
    }

    /// A spill that cannot be written (here `/dev/full`: no space) leaves the run as it was, its
    /// filter rebuilt from the file, and every code in it still found.
    @Test func aFailedMergeLeavesTheRunAsItWas() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-spill")
        let full = open("/dev/full", O_RDWR)
        try #require(full >= 0)
        let path = dir.file("run").path
        let file = open(path, O_RDWR | O_CREAT, 0o600)
        try #require(file >= 0)
        // The first merge writes to the second file, the next one to the first: /dev/full.
        let spilled = SpilledCodes(descriptors: [full, file], highMask: ~0, lowMask: ~0, hash: { h, l in h &* 31 &+ l })
        let first = (0..<3000).map { SpilledCodes.Record(high: UInt64($0), low: 5) }
        try spilled.merge(newCount: first.count, batches: 1) { _ in first }
        let more = (0..<10).map { SpilledCodes.Record(high: 100_000 + UInt64($0), low: 5) }
        #expect(throws: Diagnostic.self) { try spilled.merge(newCount: more.count, batches: 1) { _ in more } }
        #expect(spilled.count == 3000 && spilled.merges == 1)
        for r in first { #expect(spilled.find(high: r.high, low: 5, hash: r.high &* 31 &+ 5)?.high == r.high) }
        #expect(spilled.find(high: 100_001, low: 5, hash: 100_001 &* 31 &+ 5) == nil)
    }

    /// Distinct codes may share a hash, and their records may span blocks: a hash of three values
    /// puts about 667 records under each, across three 256-record blocks; the second merge
    /// interleaves new records with the run's.
    @Test func codesThatShareAHashAreAllFound() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-spill")
        let spilled = try SpilledCodes(directory: dir.url.path, highMask: ~0, lowMask: ~0, hash: { _, low in low % 3 })
        let records = (0..<2000).map { SpilledCodes.Record(high: UInt64($0) &* 7, low: UInt64($0)) }
        try spilled.merge(newCount: 1000, batches: 1) { _ in Array(records[..<1000]) }
        try spilled.merge(newCount: 1000, batches: 1) { _ in Array(records[1000...]) }
        #expect(spilled.merges == 2 && spilled.count == 2000)
        for r in records {
            #expect(spilled.find(high: r.high, low: r.low, hash: r.low % 3)?.high == r.high, "record \(r.low)")
        }
        #expect(spilled.find(high: 7, low: 2001, hash: 2001 % 3) == nil)
        #expect(spilled.find(high: 8, low: 1, hash: 1) == nil, "same low word and hash, another code")
    }

    /// Batches must come in hash order (the registry's tables do): one out of order would leave the
    /// run unsorted and its codes unfindable, so the merge is refused and the run stays as it was.
    @Test func batchesOutOfOrderAreRefused() throws {
        let dir = try TemporaryDirectory(prefix: "huiqi-spill")
        let spilled = try SpilledCodes(directory: dir.url.path, highMask: ~0, lowMask: ~0, hash: { h, _ in h })
        let low = (0..<100).map { SpilledCodes.Record(high: UInt64($0), low: 1) }
        let high = (1000..<1100).map { SpilledCodes.Record(high: UInt64($0), low: 1) }
        try spilled.merge(newCount: 100, batches: 1) { _ in low }
        #expect(throws: Diagnostic.self) {
            try spilled.merge(newCount: 200, batches: 2) { i in i == 0 ? high : (2000..<2100).map { SpilledCodes.Record(high: UInt64($0) - 1900, low: 1) } }
        }
        #expect(spilled.count == 100 && spilled.merges == 1)
        for r in low { #expect(spilled.find(high: r.high, low: 1, hash: r.high)?.high == r.high) }
    }
}
