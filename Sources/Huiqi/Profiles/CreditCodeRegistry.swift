/// The credit codes seen so far in a run, each with where it was first seen, in 16 bytes a code.
///
/// A valid code is 17 symbols of a 31-symbol alphabet plus a check symbol that follows from
/// them, so 85 bits identify it. The other 43 bits of a slot's two words hold an "occupied"
/// flag, the file index (11 bits) and the line (31 bits) of the first occurrence. Slots live in
/// open-addressing tables (linear probing, at most 70 % full) of plain words: no per-entry
/// objects and no `Hasher`, which cost several times more per insert than the probe itself.
/// The hash is seeded per process so that crafted codes cannot force collisions.
///
/// The codes are spread over 64 tables by the hash's top bits, and each table doubles on its
/// own: growing one big table would hold the old and the new copy at once (192 MiB at 3M codes,
/// which alone broke the 300 MB budget of a 5M-row run); a shard's growth costs 1/64 of that.
///
/// Size: 1,000,000 codes occupy 2^21 slots = 32 MiB; 5,000,000 codes 128 MiB.
struct CreditCodeRegistry {
    enum Registration: Equatable {
        case new
        /// Already seen; where first (nil parts when the position did not fit in the packing).
        case duplicate(fileIndex: Int?, line: Int?)
    }

    private static let highCodeMask: UInt64 = (1 << 60) - 1
    private static let lowCodeMask: UInt64 = (1 << 25) - 1
    private static let occupied: UInt64 = 1 << 63
    private static let lineBits: UInt64 = 31
    private static let unknownFile = (1 << 11) - 1
    private static let shardBits: UInt64 = 6

    /// One open-addressing table. Two words per slot: `slots[2i]` = code head + payload top bits
    /// (bit 63: occupied), `slots[2i + 1]` = code tail + payload low bits.
    private struct Shard {
        var slots: [UInt64] = []
        var mask = 0
        var count = 0

        mutating func register(high: UInt64, low: UInt64, hash: UInt64, fileIndex: Int, line: Int) -> Registration {
            if (count + 1) * 10 > (mask + 1) * 7 { grow() }
            var slot = Int(truncatingIfNeeded: hash) & mask
            while true {
                let h = slots[2 * slot]
                if h & CreditCodeRegistry.occupied == 0 {
                    let (payloadHigh, payloadLow) = CreditCodeRegistry.payload(fileIndex: fileIndex, line: line)
                    slots[2 * slot] = high | payloadHigh
                    slots[2 * slot + 1] = low | payloadLow
                    count += 1
                    return .new
                }
                let l = slots[2 * slot + 1]
                if h & CreditCodeRegistry.highCodeMask == high && l & CreditCodeRegistry.lowCodeMask == low {
                    return CreditCodeRegistry.position(high: h, low: l)
                }
                slot = (slot + 1) & mask
            }
        }

        private mutating func grow() {
            let old = slots
            let capacity = max(256, (mask + 1) * 2)
            slots = [UInt64](repeating: 0, count: 2 * capacity)
            mask = capacity - 1
            for i in stride(from: 0, to: old.count, by: 2) where old[i] & CreditCodeRegistry.occupied != 0 {
                // The hash is stored nowhere: it is recomputed from the code.
                var slot = Int(truncatingIfNeeded: CreditCodeRegistry.rehash(old[i] & CreditCodeRegistry.highCodeMask,
                                                                            old[i + 1] & CreditCodeRegistry.lowCodeMask)) & mask
                while slots[2 * slot] & CreditCodeRegistry.occupied != 0 { slot = (slot + 1) & mask }
                slots[2 * slot] = old[i]
                slots[2 * slot + 1] = old[i + 1]
            }
        }
    }

    private var shards = [Shard](repeating: Shard(), count: 1 << Int(CreditCodeRegistry.shardBits))
    private(set) var count = 0

    /// Records `code` as seen at `fileIndex`/`line`, unless it was seen before.
    /// Codes that are not 18 charset symbols cannot be packed and are never reported as duplicates
    /// (callers validate codes first).
    mutating func register(_ code: String, fileIndex: Int, line: Int) -> Registration {
        guard let packed = CreditCode.packed(code) else { return .new }
        let hash = CreditCodeRegistry.rehash(packed.high, packed.low)
        let result = shards[Int(hash >> (64 - CreditCodeRegistry.shardBits))]
            .register(high: packed.high, low: packed.low, hash: hash, fileIndex: fileIndex, line: line)
        if result == .new { count += 1 }
        return result
    }

    /// The process's seed: random, so crafted codes cannot force collisions.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    private static func rehash(_ high: UInt64, _ low: UInt64) -> UInt64 {
        // splitmix64's finaliser: every input bit affects every output bit.
        var x = high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ seed
        x ^= x >> 30
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 27
        x &*= 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return x
    }

    /// The 43-bit payload (occupied, file, line) split over the two words' free bits.
    private static func payload(fileIndex: Int, line: Int) -> (high: UInt64, low: UInt64) {
        let file = UInt64(fileIndex >= 0 && fileIndex < unknownFile ? fileIndex : unknownFile)
        let line = UInt64(line > 0 && line < 1 << lineBits ? line : 0)
        let payload = 1 << 42 | file << lineBits | line
        return ((payload >> 39) << 60, (payload & ((1 << 39) - 1)) << 25)
    }

    private static func position(high: UInt64, low: UInt64) -> Registration {
        let payload = (high >> 60) << 39 | low >> 25
        let file = Int(payload >> lineBits) & unknownFile
        let line = Int(payload & ((1 << lineBits) - 1))
        return .duplicate(fileIndex: file == unknownFile ? nil : file, line: line == 0 ? nil : line)
    }
}
