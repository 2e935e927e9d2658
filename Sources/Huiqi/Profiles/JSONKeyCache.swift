#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Resolves JSON keys to schema fields without hashing a string per member.
///
/// Lines of one file almost always list their keys in the same order, so the key at position k
/// is compared (`memcmp`) with the key seen at position k on the previous line; only a miss
/// creates the key's `String` and looks it up in `FieldLookup`. Flat arrays, so a hit retains
/// nothing; unchecked exclusivity, as the cache is never re-entered.
final class JSONKeyCache {
    /// Per position: the key's bytes at `bytes[starts[k]..<starts[k] + lengths[k]]`.
    @exclusivity(unchecked) private var bytes: [UInt8] = []
    @exclusivity(unchecked) private var starts: [Int] = []
    @exclusivity(unchecked) private var lengths: [Int] = []
    @exclusivity(unchecked) private var keys: [String] = []
    /// Field index, or -1 for a key the schema does not know.
    @exclusivity(unchecked) private var indices: [Int] = []

    /// The key as text and its field index (nil for a key the schema does not know).
    func resolve(_ key: UnsafeBufferPointer<UInt8>, ordinal: Int, lookup: FieldLookup) -> (key: String, fieldIndex: Int?) {
        if ordinal < starts.count, lengths[ordinal] == key.count {
            let start = starts[ordinal]
            let same = bytes.withUnsafeBufferPointer { all in
                guard let base = all.baseAddress, let target = key.baseAddress else { return key.isEmpty }
                return memcmp(base + start, target, key.count) == 0
            }
            if same {
                let index = indices[ordinal]
                return (keys[ordinal], index < 0 ? nil : index)
            }
        }
        let text = String(decoding: key, as: UTF8.self)
        let index = lookup.fieldIndex(for: text)
        // Append the bytes; stale copies from replaced positions are harmless and rare.
        let start = bytes.count
        bytes.append(contentsOf: key)
        if bytes.count > 1 << 20 { reset() ; return (text, index) }
        if ordinal < starts.count {
            starts[ordinal] = start
            lengths[ordinal] = key.count
            keys[ordinal] = text
            indices[ordinal] = index ?? -1
        } else if ordinal == starts.count {
            starts.append(start)
            lengths.append(key.count)
            keys.append(text)
            indices.append(index ?? -1)
        }
        return (text, index)
    }

    /// Forgets everything (keeps memory bounded when key order never settles).
    private func reset() {
        bytes.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        lengths.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        indices.removeAll(keepingCapacity: true)
    }
}
