/// The declared fields a rule read and the profile lacked, by condition number (1-based; 0 for
/// `evaluate`, amount or score): `SlotResult.missing`. Fields are schema indices (`Schema.fields`).
///
/// The engine fills one for every slot that met missing data (about six per business), so it is
/// plain data: up to four entries packed into one integer, no allocation to build, copy, hash,
/// compare or free. Under callgrind, a sorted array of (condition, field name) cost about 420
/// instructions an entry to fill, a `Dictionary` about 780; both were freed on another thread.
public struct MissingFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public struct Entry: Sendable, Hashable {
        public var condition: Int
        public var field: Int
    }

    /// Up to four entries in condition order, 16 bits each from the low end: condition << 10 |
    /// (field + 1). An all-zero entry ends the list.
    private var packed: UInt64 = 0
    /// Every entry, when one does not fit `packed` (a fifth entry, a condition past 63, a field
    /// index past 1022); `packed` is then 0. Either form is the only one for its entries, so the
    /// synthesized `==` and hash compare entries.
    private var spilled: [Entry]?

    public init() {}

    /// Entries in any order; a condition given twice keeps its last field.
    public init(_ entries: [Entry]) {
        var sorted: [Entry] = []
        for e in entries {
            if let at = sorted.firstIndex(where: { $0.condition == e.condition }) { sorted[at] = e } else { sorted.append(e) }
        }
        sorted.sort { $0.condition < $1.condition }
        if sorted.count <= 4, sorted.allSatisfy(MissingFields.fitsInline) {
            for (n, e) in sorted.enumerated() { packed |= MissingFields.bits(e) << UInt64(16 * n) }
        } else {
            spilled = sorted
        }
    }

    public init(dictionaryLiteral elements: (Int, Int)...) {
        self.init(elements.map { Entry(condition: $0.0, field: $0.1) })
    }

    /// In condition order.
    public var entries: [Entry] {
        if let spilled { return spilled }
        var list: [Entry] = []
        var rest = packed
        while rest != 0 {
            let e = rest & 0xFFFF
            list.append(Entry(condition: Int(e >> 10), field: Int(e & 0x3FF) - 1))
            rest >>= 16
        }
        return list
    }

    public var isEmpty: Bool { packed == 0 && spilled == nil }

    /// The entries as one integer, equal for equal entries; nil when they do not fit one (four
    /// entries at most). For caches that want plain data.
    var inlineBits: UInt64? { spilled == nil ? packed : nil }
    public var count: Int { spilled?.count ?? (packed == 0 ? 0 : (64 - packed.leadingZeroBitCount + 15) / 16) }

    /// The field index missing for `condition`; setting nil removes it.
    public subscript(condition: Int) -> Int? {
        get {
            if let spilled { return spilled.first { $0.condition == condition }?.field }
            var rest = packed
            while rest != 0 {
                if Int((rest & 0xFFFF) >> 10) == condition { return Int(rest & 0x3FF) - 1 }
                rest >>= 16
            }
            return nil
        }
        set {
            // The engine records a slot's conditions in order: appending inline is the usual case.
            let n = count
            if let field = newValue, spilled == nil, n < 4, MissingFields.fitsInline(Entry(condition: condition, field: field)),
               n == 0 || Int((packed >> UInt64(16 * (n - 1)) & 0xFFFF) >> 10) < condition {
                packed |= MissingFields.bits(Entry(condition: condition, field: field)) << UInt64(16 * n)
                return
            }
            var list = entries.filter { $0.condition != condition }
            if let field = newValue { list.append(Entry(condition: condition, field: field)) }
            self = MissingFields(list)
        }
    }

    private static func fitsInline(_ e: Entry) -> Bool { (0...63).contains(e.condition) && (0...1022).contains(e.field) }
    private static func bits(_ e: Entry) -> UInt64 { UInt64(e.condition) << 10 | UInt64(e.field + 1) }
}
