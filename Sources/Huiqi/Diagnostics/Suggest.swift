/// "Did you mean …?" for names users type: the closest candidate by edit distance, if close enough.
public enum Suggest {
    public static func closest(to name: String, in candidates: [String]) -> String? {
        var best: (name: String, distance: Int)?
        for c in candidates {
            let d = distance(Array(name.unicodeScalars), Array(c.unicodeScalars))
            if let b = best, d > b.distance || (d == b.distance && c >= b.name) { continue }
            best = (c, d)
        }
        guard let best, best.distance <= max(2, name.count / 3) else { return nil }
        return best.name
    }

    static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
