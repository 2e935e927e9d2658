/// The credit codes seen so far in a run, each with where it was first seen, in 16 bytes a code.
///
/// A valid code is 17 symbols of a 31-symbol alphabet plus a check symbol that follows from
/// them, so 85 bits identify it. The other 43 bits of a slot's two words hold an "occupied"
/// flag, the file index (11 bits) and the line (31 bits) of the first occurrence. Slots live in
/// one open-addressing table (linear probing, at most 70 % full) of plain words: no per-entry
/// objects and no `Hasher`, which cost several times more per insert than the probe itself.
/// The hash is seeded per process so that crafted codes cannot force collisions.
///
/// Size: 1,000,000 codes occupy 2^21 slots = 32 MiB (the 1M-row benchmark's peak RSS is 49 MB
/// above the same read without the registry, the extra 16 MiB being the old table while growing).
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

    /// Two words per slot: `slots[2i]` = code head + payload top bits (bit 63: occupied),
    /// `slots[2i + 1]` = code tail + payload low bits.
    private var slots: [UInt64] = []
    private var mask = 0
    private(set) var count = 0
    private let seed = UInt64.random(in: 0...UInt64.max)

    /// Records `code` as seen at `fileIndex`/`line`, unless it was seen before.
    /// Codes that are not 18 charset symbols cannot be packed and are never reported as duplicates
    /// (callers validate codes first).
    mutating func register(_ code: String, fileIndex: Int, line: Int) -> Registration {
        guard let packed = CreditCode.packed(code) else { return .new }
        if (count + 1) * 10 > (mask + 1) * 7 { grow() }
        var slot = index(high: packed.high, low: packed.low)
        while true {
            let high = slots[2 * slot]
            if high & CreditCodeRegistry.occupied == 0 {
                let (payloadHigh, payloadLow) = CreditCodeRegistry.payload(fileIndex: fileIndex, line: line)
                slots[2 * slot] = packed.high | payloadHigh
                slots[2 * slot + 1] = packed.low | payloadLow
                count += 1
                return .new
            }
            let low = slots[2 * slot + 1]
            if high & CreditCodeRegistry.highCodeMask == packed.high && low & CreditCodeRegistry.lowCodeMask == packed.low {
                return CreditCodeRegistry.position(high: high, low: low)
            }
            slot = (slot + 1) & mask
        }
    }

    private func index(high: UInt64, low: UInt64) -> Int {
        // splitmix64's finaliser: every input bit affects every output bit.
        var x = high ^ (low &* 0x9E37_79B9_7F4A_7C15) ^ seed
        x ^= x >> 30
        x &*= 0xBF58_476D_1CE4_E5B9
        x ^= x >> 27
        x &*= 0x94D0_49BB_1331_11EB
        x ^= x >> 31
        return Int(truncatingIfNeeded: x) & mask
    }

    private mutating func grow() {
        let old = slots
        let capacity = max(1024, (mask + 1) * 2)
        slots = [UInt64](repeating: 0, count: 2 * capacity)
        mask = capacity - 1
        for i in stride(from: 0, to: old.count, by: 2) where old[i] & CreditCodeRegistry.occupied != 0 {
            var slot = index(high: old[i] & CreditCodeRegistry.highCodeMask, low: old[i + 1] & CreditCodeRegistry.lowCodeMask)
            while slots[2 * slot] & CreditCodeRegistry.occupied != 0 { slot = (slot + 1) & mask }
            slots[2 * slot] = old[i]
            slots[2 * slot + 1] = old[i + 1]
        }
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
