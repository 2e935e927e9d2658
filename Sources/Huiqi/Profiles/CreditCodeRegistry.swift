import Foundation

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
/// Size: 1,000,000 codes occupy 2^21 slots = 32 MiB. The tables stop at 2^16 slots each (64 MiB
/// in all, about 2.9M codes): past that, the codes in memory are merged into the sorted run of
/// `SpilledCodes` (on disk; in memory a Bloom filter and an index, together at most 16.5 MiB) and
/// the tables start empty again. So the registry holds at most about 81 MiB (84 MiB while
/// merging), whatever the number of codes; before, 5M codes took 128 MiB and 10M 256 MiB
/// (PRODUCT.md §8: ≤ 300 MB whatever the input size). A code is looked for in the run, then in
/// memory, and only a new code is added, so each stays where it was first registered. If the spill
/// files cannot be made or written, the tables go on growing in memory, as before, and
/// `takeProblem()` says why.
///
/// Once it has spilled, a copy shares the spill files with the original: register through one
/// copy only (as `ProfileStream`, which owns one, is iterated through one copy).
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

        var capacity: Int { slots.count / 2 }
        /// Whether one more code needs a larger table (at most 70 % full).
        var isFull: Bool { (count + 1) * 10 > capacity * 7 }

        /// Finds the code, or adds it with its position.
        mutating func register(high: UInt64, low: UInt64, hash: UInt64, fileIndex: Int, line: Int) -> Registration {
            if isFull { grow() }
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

        func appendRecords(to records: inout [SpilledCodes.Record]) {
            for i in stride(from: 0, to: slots.count, by: 2) where slots[i] & CreditCodeRegistry.occupied != 0 {
                records.append(SpilledCodes.Record(high: slots[i], low: slots[i + 1]))
            }
        }

        private mutating func grow() {
            let old = slots
            let capacity = max(256, capacity * 2)
            slots = [UInt64](repeating: 0, count: 2 * capacity)
            mask = capacity - 1
            for i in stride(from: 0, to: old.count, by: 2) where old[i] & CreditCodeRegistry.occupied != 0 {
                place(old[i], old[i + 1])
            }
        }

        private mutating func place(_ high: UInt64, _ low: UInt64) {
            // The hash is stored nowhere: it is recomputed from the code.
            var slot = Int(truncatingIfNeeded: CreditCodeRegistry.rehash(high & CreditCodeRegistry.highCodeMask,
                                                                        low & CreditCodeRegistry.lowCodeMask)) & mask
            while slots[2 * slot] & CreditCodeRegistry.occupied != 0 { slot = (slot + 1) & mask }
            slots[2 * slot] = high
            slots[2 * slot + 1] = low
        }
    }

    private var shards = [Shard](repeating: Shard(), count: 1 << Int(CreditCodeRegistry.shardBits))
    /// Codes registered, in memory and spilled.
    private(set) var count = 0
    /// Past this many slots, a table that fills spills every table (a power of two, at least 256).
    private let maxShardCapacity: Int
    /// Where the spill files go; nil: never spill.
    private let spillDirectory: String?
    private let maxBloomBits: Int, maxBlocks: Int
    private var spilled: SpilledCodes?
    /// Set when a spill failed: the tables grow in memory from then on.
    private var spillDisabled = false
    /// Problems of the spill file not yet handed over by `takeProblem()`: a failed spill, and a
    /// failed read (each at most once).
    private var problems: [String] = []
    private var readFailureNoted = false

    /// `maxShardCapacity`: slots a table may reach before the codes in memory are spilled (64
    /// tables of 2^16 slots: 64 MiB, about 2.9M codes).
    /// `maxBloomBits` and `maxBlocks` cap the spilled run's filter and index (see `SpilledCodes`).
    init(maxShardCapacity: Int = 1 << 16, spillDirectory: String? = CreditCodeRegistry.defaultSpillDirectory(),
         maxBloomBits: Int = 1 << 27, maxBlocks: Int = 1 << 16) {
        precondition(maxShardCapacity >= 256 && maxShardCapacity.nonzeroBitCount == 1)
        self.maxShardCapacity = maxShardCapacity
        self.spillDirectory = spillDirectory
        self.maxBloomBits = maxBloomBits
        self.maxBlocks = maxBlocks
    }

    /// `TMPDIR` if it is a writable directory, else `/var/tmp`, else `/tmp`, in SQLite's manner:
    /// `/tmp` is often a tmpfs, held in memory, which would defeat the point (Debian 13 mounts it so).
    static func defaultSpillDirectory() -> String {
        let candidates = [ProcessInfo.processInfo.environment["TMPDIR"], "/var/tmp"].compactMap { $0 }
        for dir in candidates where !dir.isEmpty {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory), isDirectory.boolValue,
               access(dir, W_OK | X_OK) == 0 {
                return dir
            }
        }
        return "/tmp"
    }

    /// Spills so far, the slots the tables hold, and all the bytes the registry holds in memory
    /// (for tests and figures).
    var spillCount: Int { spilled?.merges ?? 0 }
    var slotsInMemory: Int { shards.reduce(0) { $0 + $1.capacity } }
    var bytesInMemory: Int { 16 * slotsInMemory + (spilled?.bytesInMemory ?? 0) }

    /// Records `code` as seen at `fileIndex`/`line`, unless it was seen before.
    /// Codes that are not 18 charset symbols cannot be packed and are never reported as duplicates
    /// (callers validate codes first).
    mutating func register(_ code: String, fileIndex: Int, line: Int) -> Registration {
        guard let packed = CreditCode.packed(code) else { return .new }
        let hash = CreditCodeRegistry.rehash(packed.high, packed.low)
        let s = Int(hash >> (64 - CreditCodeRegistry.shardBits))
        if shards[s].isFull, shards[s].capacity >= maxShardCapacity, spillDirectory != nil, !spillDisabled { spill() }
        // Each code is stored once, where it was first registered: a code in the run is a
        // duplicate, and any other is found or added by one probe of its table.
        if let spilled {
            if let record = spilled.find(high: packed.high, low: packed.low, hash: hash) {
                return CreditCodeRegistry.position(high: record.high, low: record.low)
            }
            if let failure = spilled.readFailure, !readFailureNoted {
                readFailureNoted = true
                problems.append("重复代码检查读临时文件失败, 其后的重复代码可能未被发现 (reading the spilled credit codes failed, "
                    + "later duplicates may be missed: \(failure))")
            }
        }
        let result = shards[s].register(high: packed.high, low: packed.low, hash: hash, fileIndex: fileIndex, line: line)
        if result == .new { count += 1 }
        return result
    }

    /// A problem of the spill file not yet handed over (each kind at most once per registry).
    mutating func takeProblem() -> String? {
        problems.isEmpty ? nil : problems.removeFirst()
    }

    /// Merges every code in memory into `spilled`'s run, then empties the tables. If that fails,
    /// the run and the tables are as they were, and the tables grow in memory from then on.
    private mutating func spill() {
        if spilled == nil, let spillDirectory {
            do {
                spilled = try SpilledCodes(directory: spillDirectory, highMask: CreditCodeRegistry.highCodeMask,
                                           lowMask: CreditCodeRegistry.lowCodeMask, hash: CreditCodeRegistry.rehash,
                                           maxBloomBits: maxBloomBits, maxBlocks: maxBlocks)
            } catch {
                spillDisabled = true
                problems.append("无法建立重复代码检查的临时文件, 改为全部放在内存 (cannot spill credit codes, kept in memory): \(error)")
                return
            }
        }
        guard let spilled else { return }
        do {
            // The tables in the order of the hash's top bits: the run's order.
            try spilled.merge(newCount: shards.reduce(0) { $0 + $1.count }, batches: shards.count) { s in
                var records: [SpilledCodes.Record] = []
                records.reserveCapacity(shards[s].count)
                shards[s].appendRecords(to: &records)
                return records
            }
            for s in shards.indices { shards[s] = Shard() }
        } catch {
            spillDisabled = true
            problems.append("重复代码检查的临时文件读写失败, 改为全部放在内存 (cannot spill credit codes, kept in memory): \(error)")
        }
    }

    /// The process's seed: random, so crafted codes cannot force collisions.
    private static let seed = UInt64.random(in: 0...UInt64.max)

    static func rehash(_ high: UInt64, _ low: UInt64) -> UInt64 {
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
