/// The witnesses of joint suppression: unit cube moves in one leaf's union table.
///
/// A move on a nonempty set T of the hidden cell's axes takes two values for each axis of T
/// (the cell's own, `a`, and another, `b`) and one value for every other axis, and adds
/// ±1 at the 2^|T| corners, the sign flipping with each `b`. Summed over any axis of T the
/// corners cancel in pairs, so a table whose set lacks an axis of T does not change; a table
/// whose set holds T changes by ±1 at exactly the corners' cells, in the leaf and in every
/// period above it. It is a witness when every cell it changes is hidden and stays within
/// what the reader knows of it, and no union count goes below zero: then another set of
/// tables, consistent with everything published, holds a different value in the cell.
extension JointTables {
    /// A move through a hidden cell: what it would hide (nothing, for a witness), at what cost.
    struct Move {
        var cost = 0
        var hide: [(table: Int, cell: Int, as: Status)] = []
    }

    /// Whether some move changes the hidden cell `index` of (`period`, `set`) and is a witness.
    mutating func isProtected(_ period: Int, _ set: Int, _ index: Int) -> Bool {
        search(period, set, index, priced: false) != nil
    }

    /// The cheapest move through the cell if the published cells it changes were hidden (a
    /// zero it raises as `<k`, any other count as `x`); nil when there is none.
    mutating func cheapest(_ period: Int, _ set: Int, _ index: Int) -> Move? {
        search(period, set, index, priced: true)
    }

    private mutating func search(_ period: Int, _ set: Int, _ cell: Int, priced: Bool) -> Move? {
        let x = coordinates(set, cell)
        let axesOfSet = tab.sizes.indices.filter { sets[set] & (1 << $0) != 0 }
        var best: Move?
        for (l, chain) in chains.enumerated() where chain.contains(period) {
            for t in 1..<(1 << axesOfSet.count) {
                let tAxes = axesOfSet.indices.filter { t & (1 << $0) != 0 }.map { axesOfSet[$0] }
                let mask = tAxes.reduce(0) { $0 | (1 << $1) }
                let targets = sets(containing: mask)
                for delta in [1, -1] {
                    // Anchor on one corner the move lowers, which must hold a union count: the
                    // cell itself when it is lowered, else the corner with `b` on T's first axis.
                    let anchorSet = delta < 0 ? set : setIndex(sets[set] & ~(1 << tAxes[0]))
                    let anchors = cellsIn[l][anchorSet][index(anchorSet, x)] ?? []
                    for u in anchors where delta < 0 || leafCells[l][u].coordinates[tAxes[0]] != x[tAxes[0]] {
                        var base = leafCells[l][u].coordinates
                        var b = tAxes.map { _ in -1 }
                        if delta > 0 { b[0] = base[tAxes[0]] }
                        for a in tAxes { base[a] = x[a] }
                        if let move = each(l, base, tAxes, &b, from: delta > 0 ? 1 : 0, delta, targets, priced, best?.cost) {
                            if !priced { return move }
                            best = move
                        }
                    }
                }
            }
        }
        return best
    }

    /// Tries every choice of the `b` values from `from` on; the cheapest valid move.
    private func each(_ l: Int, _ base: [Int], _ tAxes: [Int], _ b: inout [Int], from: Int, _ delta: Int,
                      _ targets: [Int], _ priced: Bool, _ bound: Int?) -> Move? {
        guard from < tAxes.count else { return evaluate(l, base, tAxes, b, delta, targets, priced, bound) }
        var best: Move?
        for v in 0..<tab.sizes[tAxes[from]] where v != base[tAxes[from]] {
            b[from] = v
            if let move = each(l, base, tAxes, &b, from: from + 1, delta, targets, priced, best?.cost ?? bound) {
                if !priced { return move }
                best = move
            }
        }
        return best
    }

    /// The move, if every cell it changes fits (or, priced, could be hidden to fit) and costs
    /// less than `bound`.
    private func evaluate(_ l: Int, _ base: [Int], _ tAxes: [Int], _ b: [Int], _ delta: Int,
                          _ targets: [Int], _ priced: Bool, _ bound: Int?) -> Move? {
        var move = Move()
        var u = base
        for corner in 0..<(1 << tAxes.count) {
            var sign = delta
            for (j, a) in tAxes.enumerated() {
                if corner & (1 << j) != 0 {
                    u[a] = b[j]
                    sign = -sign
                } else {
                    u[a] = base[a]
                }
            }
            if sign < 0 && (leafCounts[l][Self.key(u, tab.sizes)] ?? 0) < 1 { return nil }
            for s in targets {
                let i = index(s, u)
                for p in chains[l] {
                    let t = table(p, s)
                    let v = values[t][i]
                    let st = status[t][i]
                    if st.isHidden {
                        guard fits(st, v, sign) else { return nil }
                        continue
                    }
                    guard priced else { return nil }
                    // A union count under a lowered corner is at least one, so a zero is only raised.
                    let hidden: Status = v == 0 ? .zero : .complementary
                    guard fits(hidden, v, sign) else { return nil }
                    move.cost += v + 1
                    if let bound, move.cost >= bound { return nil }
                    move.hide.append((t, i, hidden))
                }
            }
        }
        return move
    }
}
