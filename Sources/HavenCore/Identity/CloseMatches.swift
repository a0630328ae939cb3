/// The names close to a typed one, closest first: a typo must be refused with the right
/// spelling beside it, never taken as a new name. Case is ignored when comparing (ids stay
/// exact: `OSSC-Vientiane` is refused, with `ossc-vientiane` suggested).
public enum CloseMatches {
    /// The names nearest to `typed` within a small edit distance; failing those, the names
    /// that begin with it or that it begins with: staff shorten an id to its first words
    /// ("lwu-shelter" for "lwu-shelter-vientiane") as often as they misspell it.
    public static func of(_ typed: String, among names: [String], limit: Int = 3) -> [String] {
        let t = Array(typed.lowercased().utf8)
        let bound = max(2, t.count / 4)
        var scored = [(name: String, distance: Int)]()
        for name in names {
            let n = Array(name.lowercased().utf8)
            let d = distance(t, n)
            if d <= bound {
                scored.append((name, d))
            } else if t.count >= 3, n.starts(with: t) || t.starts(with: n) {
                // After every close spelling, nearest in length first.
                scored.append((name, bound + 1 + abs(n.count - t.count)))
            }
        }
        // Only the nearest: "lst" is "list", and naming "get" beside it would only confuse.
        guard let best = scored.map(\.distance).min() else { return [] }
        return scored.filter { $0.distance == best }.map(\.name).sorted().prefix(limit).map { $0 }
    }

    /// "did you mean a or b? " when something is close, else nothing; for the start of a hint.
    public static func question(_ typed: String, among names: [String]) -> String {
        let close = of(typed, among: names)
        return close.isEmpty ? "" : "did you mean \(close.joined(separator: " or "))? "
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of
    /// two neighbouring letters ("vientaine" for "vientiane") each cost one.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1) }
            }
        }
        return d[a.count][b.count]
    }
}
