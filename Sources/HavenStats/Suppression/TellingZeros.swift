/// Zeros that point at a hidden cell (METHOD.md, "Zeros beside a hidden count").
///
/// A line is the cells of one table that differ in one dimension only; its total is a cell
/// of the table without that dimension. When the total is hidden and exactly one cell of the
/// line is hidden, the shown cells say where the hidden count is: beside zeros, all of it is
/// in that one cell, and whoever it counts shares that cell's value (her perpetrator was a
/// teacher) though the count itself stays hidden. So one zero of such a line is hidden as
/// `<k` too, and the reader can no longer tell which of the two holds the count. The zero is
/// one whose other totals are not shown as 0 (a shown 0 there would prove it empty), else
/// the first; like every hidden cell it must then be protected by a move, or the granularity
/// is given up.
extension JointTables {
    /// Hides the telling zeros of every line whose total is hidden; the cells hidden.
    mutating func hideTellingZeros() -> [(table: Int, cell: Int)] {
        var hidden = [(table: Int, cell: Int)]()
        for p in periods.indices {
            for s in sets.indices {
                for d in tab.sizes.indices where sets[s] & (1 << d) != 0 {
                    let totals = setIndex(sets[s] & ~(1 << d))
                    let totalTable = table(p, totals)
                    for j in values[totalTable].indices where status[totalTable][j].isHidden {
                        if let zero = tellingZero(p, s, d, coordinates(totals, j)) {
                            status[table(p, s)][zero] = .zero
                            hidden.append((table(p, s), zero))
                        }
                    }
                }
            }
        }
        return hidden
    }

    /// The zero to hide in the line of (`p`, `s`) along axis `d` through `x`, if it needs one.
    private func tellingZero(_ p: Int, _ s: Int, _ d: Int, _ x: [Int]) -> Int? {
        let t = table(p, s)
        var u = x
        var hiddenCount = 0
        var zeros = [(cell: Int, u: [Int])]()
        for v in 0..<tab.sizes[d] {
            u[d] = v
            let i = index(s, u)
            if status[t][i].isHidden {
                hiddenCount += 1
                if hiddenCount > 1 { return nil }
            } else if values[t][i] == 0 {
                zeros.append((i, u))
            }
        }
        guard hiddenCount == 1, let first = zeros.first else { return nil }
        let open = zeros.first { zero in
            tab.sizes.indices.allSatisfy { e in
                guard e != d, sets[s] & (1 << e) != 0 else { return true }
                let margin = table(p, setIndex(sets[s] & ~(1 << e)))
                let i = index(setIndex(sets[s] & ~(1 << e)), zero.u)
                return status[margin][i].isHidden || values[margin][i] != 0
            }
        }
        return (open ?? first).cell
    }
}
