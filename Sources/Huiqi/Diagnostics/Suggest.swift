/// "Did you mean …?" for names users type: the closest candidate by edit distance, if close enough.
public enum Suggest {
    public static func closest(to name: String, in candidates: [String]) -> String? {
        // Only the case differs (`gro-05` for GRO-05): that one, however many letters it is
        // (analyst review: three letters were three edits, past the limit, and no hint).
        if let same = candidates.first(where: { $0 != name && $0.lowercased() == name.lowercased() }) { return same }
        let typed = Array(name.unicodeScalars)
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(typed, Array(c.unicodeScalars))
            if let b = best, d > b.distance || (d == b.distance && c >= b.name) { continue }
            best = (c, d)
        }
        guard let best, best.distance <= max(2, name.count / 3) else { return nil }
        return best.name
    }

    /// Edit distance counting an insertion, a deletion, a substitution or a swap of two
    /// neighbours as one edit each (optimal string alignment). A swap is the commonest typo
    /// (`rnet` for `rent`, `emplyoees`); plain Levenshtein counted it as two, past the limit of a
    /// short word. Every "did you mean" of the host uses this one function.
    static func distance<T: Equatable>(_ a: [T], _ b: [T]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var beforePrevious = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                var d = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d = min(d, beforePrevious[j - 2] + 1) }
                current[j] = d
            }
            (beforePrevious, previous, current) = (previous, current, beforePrevious)
        }
        return previous[b.count]
    }

    static func distance(_ a: String, _ b: String) -> Int {
        distance(Array(a.unicodeScalars), Array(b.unicodeScalars))
    }
}
