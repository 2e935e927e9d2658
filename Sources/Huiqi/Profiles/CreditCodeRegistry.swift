/// The credit codes seen so far in a run, each with where it was first seen, in 16 bytes a code.
///
/// A valid code is 17 symbols of a 31-symbol alphabet plus a check symbol that follows from
/// them, so 85 bits identify it. The remaining 43 bits of two words hold the file index (12 bits)
/// and line (31 bits) of its first occurrence. Equality and hashing look only at the code bits,
/// so `Set.insert` hands back the first occurrence of a duplicate. Measured: 1,000,000 codes
/// take about 33 MB (2^21 buckets × 16 bytes).
struct CreditCodeRegistry {
    enum Registration: Equatable {
        case new
        /// Already seen; where first (nil parts when the position did not fit in the packing).
        case duplicate(fileIndex: Int?, line: Int?)
    }

    private struct Entry: Hashable {
        static let highCodeMask: UInt64 = (1 << 60) - 1
        static let lowCodeMask: UInt64 = (1 << 25) - 1
        static let lineBits = 31
        static let unknownFile = (1 << 12) - 1

        var high: UInt64
        var low: UInt64

        static func == (a: Entry, b: Entry) -> Bool {
            a.high & highCodeMask == b.high & highCodeMask && a.low & lowCodeMask == b.low & lowCodeMask
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(high & Entry.highCodeMask)
            hasher.combine(low & Entry.lowCodeMask)
        }

        init(code: (high: UInt64, low: UInt64), fileIndex: Int, line: Int) {
            let file = UInt64(fileIndex >= 0 && fileIndex < Entry.unknownFile ? fileIndex : Entry.unknownFile)
            let line = UInt64(line > 0 && line < 1 << Entry.lineBits ? line : 0)
            let payload = file << UInt64(Entry.lineBits) | line  // 43 bits
            high = code.high | (payload >> 39) << 60
            low = code.low | (payload & ((1 << 39) - 1)) << 25
        }

        var fileIndex: Int? {
            let file = Int(payload >> UInt64(Entry.lineBits))
            return file == Entry.unknownFile ? nil : file
        }

        var line: Int? {
            let line = Int(payload & ((1 << UInt64(Entry.lineBits)) - 1))
            return line == 0 ? nil : line
        }

        private var payload: UInt64 { (high >> 60) << 39 | low >> 25 }
    }

    private var entries: Set<Entry> = []

    var count: Int { entries.count }

    /// Records `code` as seen at `fileIndex`/`line`, unless it was seen before.
    /// Codes that are not 18 charset symbols cannot be packed and are never reported as duplicates
    /// (callers validate codes first).
    mutating func register(_ code: String, fileIndex: Int, line: Int) -> Registration {
        guard let packed = CreditCode.packed(code) else { return .new }
        let (inserted, existing) = entries.insert(Entry(code: packed, fileIndex: fileIndex, line: line))
        return inserted ? .new : .duplicate(fileIndex: existing.fileIndex, line: existing.line)
    }
}
