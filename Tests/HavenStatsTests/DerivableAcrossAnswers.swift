@testable import HavenStats

/// An independent check of everything published for a year, by exhaustive search: the
/// reader's unknowns are the counts of every combination of the dimensions in every leaf
/// period (the months, or the quarters or the year when nothing finer was shown), whole
/// and not negative; every fact of `PublishedYear` (every cell of every answer, in every
/// order) bounds a sum of them. A hidden fact is derivable when no consistent set of counts
/// gives it another value than its true one. Bounds are narrowed fact by fact before each
/// choice, then every value of the narrowest unknown is tried. It shares nothing with the
/// method; only for small instances (a few dimensions of two or three values).
struct DerivableAcrossAnswers {
    let published: PublishedYear
    /// The true value of a fact.
    let truth: ([Int], [StatisticsDimension: String]) -> Int
    /// Search steps allowed per question; nil from `find` when spent.
    var budget = 2_000_000

    private struct Constraint {
        let variables: [Int]
        var low: Int
        var high: Int
    }

    /// The hidden facts that hold one value in every consistent set of counts; nil when the
    /// search ran out of steps before it could tell.
    func find() -> [PublishedYear.Fact]? {
        let dims = published.categories.keys.sorted { $0.rawValue < $1.rawValue }
        var combos: [[String]] = [[]]
        for d in dims { combos = combos.flatMap { c in published.categories[d]!.map { c + [$0] } } }
        let span = published.facts.map(\.months.count).min() ?? 12
        let leaves: [[Int]] = span == 1 ? (1...12).map { [$0] } : span == 3 ? (0..<4).map { q in [3 * q + 1, 3 * q + 2, 3 * q + 3] }
            : [Array(1...12)]
        var constraints = [Constraint]()
        var cap = published.threshold
        for f in published.facts {
            var vars = [Int]()
            for (l, months) in leaves.enumerated() where Set(months).isSubset(of: f.months) {
                for (c, combo) in combos.enumerated() where f.cells.allSatisfy({ combo[dims.firstIndex(of: $0.key)!] == $0.value }) {
                    vars.append(l * combos.count + c)
                }
            }
            cap = max(cap, f.high ?? 0)
            constraints.append(Constraint(variables: vars, low: f.low, high: f.high ?? Int.max / 4))
        }
        let n = leaves.count * combos.count
        var pinned = [PublishedYear.Fact]()
        for (i, f) in published.facts.enumerated() where f.low != f.high {
            let v = truth(f.months, f.cells)
            var other = false
            for range in [(f.low, v - 1), (v + 1, constraints[i].high)] where range.0 <= range.1 {
                var narrowed = constraints
                narrowed[i].low = range.0
                narrowed[i].high = range.1
                var steps = budget
                let found = Self.solve(narrowed, low: [Int](repeating: 0, count: n), high: [Int](repeating: cap, count: n), steps: &steps)
                guard steps > 0 else { return nil }
                if found { other = true; break }
            }
            if !other { pinned.append(f) }
        }
        return pinned
    }

    /// Whether some whole counts within `low`…`high` meet every constraint.
    private static func solve(_ cs: [Constraint], low: [Int], high: [Int], steps: inout Int) -> Bool {
        var low = low, high = high
        guard narrow(cs, &low, &high) else { return false }
        // Counts the narrowing fixed are constants from here on: only the open ones are searched.
        var reduced = [Constraint]()
        for c in cs {
            var fixed = 0
            let open = c.variables.filter { v in
                if low[v] == high[v] { fixed += low[v]; return false }
                return true
            }
            if !open.isEmpty { reduced.append(Constraint(variables: open, low: c.low - fixed, high: c.high - fixed)) }
        }
        return search(reduced, low: low, high: high, steps: &steps)
    }

    private static func search(_ cs: [Constraint], low: [Int], high: [Int], steps: inout Int) -> Bool {
        steps -= 1
        guard steps > 0 else { return false }
        var low = low, high = high
        guard narrow(cs, &low, &high) else { return false }
        guard let open = low.indices.filter({ low[$0] < high[$0] }).min(by: { high[$0] - low[$0] < high[$1] - low[$1] }) else {
            return true
        }
        for value in low[open]...high[open] {
            var l = low, h = high
            l[open] = value
            h[open] = value
            if search(cs, low: l, high: h, steps: &steps) { return true }
            if steps <= 0 { return false }
        }
        return false
    }

    /// Narrows every count's bounds by every constraint until nothing changes; false when
    /// some constraint cannot be met.
    private static func narrow(_ cs: [Constraint], _ low: inout [Int], _ high: inout [Int]) -> Bool {
        var changed = true
        while changed {
            changed = false
            for c in cs {
                var sumLow = 0, sumHigh = 0
                for v in c.variables { sumLow += low[v]; sumHigh += high[v] }
                if sumLow > c.high || sumHigh < c.low { return false }
                for v in c.variables {
                    let up = c.high - (sumLow - low[v]), down = c.low - (sumHigh - high[v])
                    if up < high[v] { high[v] = up; changed = true }
                    if down > low[v] { low[v] = down; changed = true }
                    if low[v] > high[v] { return false }
                }
            }
        }
        return true
    }
}
