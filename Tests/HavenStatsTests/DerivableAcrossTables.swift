@testable import HavenStats

/// An independent check of a published hierarchy, by brute force: every set of leaf tables
/// a reader could believe — each leaf count a whole number, and every cell and total of
/// every table (leaves, and the sums above them) equal to what is shown, within 1 to k−1
/// for `<k`, at least k for `x` — is enumerated, and a hidden cell is derivable when it has
/// one value in all of them. It shares nothing with the method but the statuses it reads.
/// Only for small hierarchies.
struct DerivableAcrossTables {
    let published: SuppressedHierarchy

    /// One linear fact a reader knows: the sum of some leaf counts (plus a constant) lies in a range.
    private struct Fact {
        var variables: [Int]
        var constant: Int
        let low: Int
        let high: Int
    }

    /// (table, cell) of every hidden cell that holds one value in every consistent set of leaves.
    func find() -> [(table: Int, cell: Cell)] {
        let h = published.hierarchy
        let k = published.threshold
        let shape = h.tables[0]
        let R = shape.rowCount, C = shape.columnCount
        let leaves = h.leaves
        let cap = h.tables.map { $0.value(R, C) }.max()! + 1
        // Which leaves each table sums.
        func leavesUnder(_ t: Int) -> [Int] { leaves.filter { h.chain(of: $0).contains(t) } }
        // Variables: the hidden counts of the leaves; shown leaf counts are constants.
        var variable = [[Int?]](repeating: [Int?](repeating: nil, count: R * C), count: h.tables.count)
        var ranges = [ClosedRange<Int>]()
        for leaf in leaves {
            for r in 0..<R {
                for c in 0..<C {
                    switch published.status(leaf, r, c) {
                    case .published: continue
                    case .small: ranges.append(1...(k - 1))
                    case .complementary: ranges.append(k...max(k, cap))
                    }
                    variable[leaf][r * C + c] = ranges.count - 1
                }
            }
        }
        var facts = [Fact]()
        for t in h.tables.indices {
            let under = leavesUnder(t)
            for r in 0...R {
                for c in 0...C {
                    var fact = Fact(variables: [], constant: 0, low: 0, high: 0)
                    for leaf in under {
                        for rr in (r == R ? Array(0..<R) : [r]) {
                            for cc in (c == C ? Array(0..<C) : [c]) {
                                if let v = variable[leaf][rr * C + cc] { fact.variables.append(v) } else {
                                    fact.constant += h.tables[leaf].value(rr, cc)
                                }
                            }
                        }
                    }
                    let truth = h.tables[t].value(r, c)
                    switch published.status(t, r, c) {
                    case .published: facts.append(Fact(variables: fact.variables, constant: fact.constant, low: truth, high: truth))
                    case .small: facts.append(Fact(variables: fact.variables, constant: fact.constant, low: 1, high: k - 1))
                    case .complementary: facts.append(Fact(variables: fact.variables, constant: fact.constant, low: k, high: Int.max))
                    }
                }
            }
        }
        var seen = [Set<Int>](repeating: [], count: ranges.count)
        var values = [Int?](repeating: nil, count: ranges.count)
        // For each hidden (table, cell): the variables and constant it sums, to read its value off a solution.
        var hidden = [(table: Int, cell: Cell, variables: [Int], constant: Int)]()
        for t in h.tables.indices {
            for r in 0...R {
                for c in 0...C where published.status(t, r, c).isSuppressed {
                    var vars = [Int](), constant = 0
                    for leaf in leavesUnder(t) {
                        for rr in (r == R ? Array(0..<R) : [r]) {
                            for cc in (c == C ? Array(0..<C) : [c]) {
                                if let v = variable[leaf][rr * C + cc] { vars.append(v) } else { constant += h.tables[leaf].value(rr, cc) }
                            }
                        }
                    }
                    hidden.append((t, Cell(row: r, column: c), vars, constant))
                }
            }
        }
        var hiddenSeen = [Set<Int>](repeating: [], count: hidden.count)
        func settled() -> Bool { hiddenSeen.allSatisfy { $0.count >= 2 } }
        func possible() -> Bool {
            for f in facts {
                var low = f.constant, high = f.constant
                for v in f.variables {
                    if let x = values[v] { low += x; high += x } else {
                        low += ranges[v].lowerBound
                        high = ranges[v].upperBound == Int.max || high == Int.max ? Int.max : high + ranges[v].upperBound
                    }
                }
                if high < f.low || low > f.high { return false }
            }
            return true
        }
        func search(_ next: Int) {
            guard !settled(), possible() else { return }
            guard next < ranges.count else {
                for (i, v) in values.enumerated() { seen[i].insert(v!) }
                for (i, cell) in hidden.enumerated() {
                    hiddenSeen[i].insert(cell.constant + cell.variables.reduce(0) { $0 + values[$1]! })
                }
                return
            }
            for x in ranges[next] {
                values[next] = x
                search(next + 1)
                if settled() { break }
            }
            values[next] = nil
        }
        search(0)
        return hidden.indices.filter { hiddenSeen[$0].count < 2 }.map { (hidden[$0].table, hidden[$0].cell) }
    }
}
