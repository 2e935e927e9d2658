/// The declared fields a rule read and the profile lacked, by condition number (1-based; 0 for
/// `evaluate`, amount or score): `SlotResult.missing`.
///
/// A few entries at most, kept sorted by condition in a small array: the engine fills one for
/// every slot that met missing data (about six per business), where a `Dictionary` cost a hashed
/// storage allocation each (about 780 instructions an entry under callgrind, against about 420
/// here), and the log sink hashes it again.
public struct MissingFields: Sendable, Hashable, ExpressibleByDictionaryLiteral {
    public private(set) var entries: [(condition: Int, field: String)] = []

    public init() {}

    public init(dictionaryLiteral elements: (Int, String)...) {
        for (condition, field) in elements { self[condition] = field }
    }

    public var isEmpty: Bool { entries.isEmpty }
    public var count: Int { entries.count }

    /// The field missing for `condition`; setting nil removes it.
    public subscript(condition: Int) -> String? {
        get { entries.first { $0.condition == condition }?.field }
        set {
            // The engine records conditions in order: appending is the usual case.
            if let field = newValue, entries.last.map({ $0.condition < condition }) ?? true {
                entries.append((condition, field))
                return
            }
            let at = entries.firstIndex { $0.condition >= condition } ?? entries.endIndex
            let present = at < entries.endIndex && entries[at].condition == condition
            switch (newValue, present) {
            case (let field?, true): entries[at].field = field
            case (let field?, false): entries.insert((condition, field), at: at)
            case (nil, true): entries.remove(at: at)
            case (nil, false): break
            }
        }
    }

    public static func == (a: MissingFields, b: MissingFields) -> Bool {
        a.entries.count == b.entries.count && zip(a.entries, b.entries).allSatisfy { $0 == $1 }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(entries.count)
        for e in entries {
            hasher.combine(e.condition)
            hasher.combine(e.field)
        }
    }
}
