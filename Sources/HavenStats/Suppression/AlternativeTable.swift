/// Whether a reader who knows the method can work out a hidden cell: it is safe when
/// another table, consistent with everything published, differs in that cell.
///
/// What the reader knows: every published value and total; that a `<k` cell holds 1 to
/// k−1; that an `x` cell holds k or more (it is not small, or it would say `<k`). The
/// other table is built by moving one unit around a cycle of hidden cells that alternates
/// rows and columns (+1, −1, +1, …), which keeps every row and column sum; a move is
/// possible only if each cell it touches stays within what the reader knows of it.
///
/// Totals enter with a sign: writing each margin as minus its value (and the grand total
/// as plus) turns the table into one whose every row and column sums to zero, so a total
/// is a cell like any other, moved in the opposite direction. The search is a path search
/// in a graph of row and column nodes with one arc per allowed move; a cycle through the
/// cell proves it is not determined. Sound (a witness is a real other table), not complete:
/// a cell with no such cycle may still be undetermined, and is then protected further.
struct AlternativeTable {
    let table: MarginalTable
    let threshold: Int
    let status: [Cell: CellStatus]

    /// The hidden cells for which no one-unit move was found.
    func unprotected() -> [Cell] {
        let arcs = self.arcs()
        return table.cells.filter { status[$0]?.isSuppressed == true && !isProtected($0, arcs: arcs) }
    }

    func isProtected(_ cell: Cell) -> Bool {
        isProtected(cell, arcs: arcs())
    }

    // Nodes: rows 0...R, then columns as R+1+c.
    private func rowNode(_ r: Int) -> Int { r }
    private func columnNode(_ c: Int) -> Int { table.rowCount + 1 + c }

    private struct Arc {
        let to: Int
        let cell: Cell
    }

    /// For each hidden cell: an arc row → column if its signed value may go up by one, and
    /// column → row if it may go down by one.
    private func arcs() -> [[Arc]] {
        var out = [[Arc]](repeating: [], count: table.rowCount + table.columnCount + 2)
        for (cell, s) in status where s.isSuppressed {
            let (up, down) = moves(cell, s)
            if up { out[rowNode(cell.row)].append(Arc(to: columnNode(cell.column), cell: cell)) }
            if down { out[columnNode(cell.column)].append(Arc(to: rowNode(cell.row), cell: cell)) }
        }
        return out
    }

    /// Whether the cell's signed value may go up, and down, by one.
    private func moves(_ cell: Cell, _ s: CellStatus) -> (up: Bool, down: Bool) {
        let v = table.value(cell.row, cell.column)
        // A margin is written negated; a count and the grand total as they are.
        let sign = (cell.row == table.rowCount) != (cell.column == table.columnCount) ? -1 : 1
        let (low, high) = s == .small ? (1, threshold - 1) : (threshold, Int.max - 1)
        let fits = { (x: Int) in x >= low && x <= high }
        return (fits(v + sign), fits(v - sign))
    }

    /// The published cells whose hiding (as `x`) puts `cell` on a cycle, at the least total
    /// value (the least information lost): a cheapest path back to the cell through hidden
    /// cells (free) and published non-zero ones (their value, plus one so that fewer cells
    /// win a tie). Nil when no set of cells would.
    func cheapestProtection(for cell: Cell) -> [Cell]? {
        let arcs = self.arcs()
        // Published non-zero cells, as they would move once hidden (k or more).
        var priced = [[(arc: Arc, price: Int)]](repeating: [], count: arcs.count)
        for (node, list) in arcs.enumerated() { priced[node] = list.map { ($0, 0) } }
        for candidate in table.cells where status[candidate] == .published {
            let v = table.value(candidate.row, candidate.column)
            guard v > 0 else { continue }
            let (up, down) = moves(candidate, .complementary)
            if up { priced[rowNode(candidate.row)].append((Arc(to: columnNode(candidate.column), cell: candidate), v + 1)) }
            if down { priced[columnNode(candidate.column)].append((Arc(to: rowNode(candidate.row), cell: candidate), v + 1)) }
        }
        let r = rowNode(cell.row), c = columnNode(cell.column)
        let (up, down) = moves(cell, status[cell]!)
        let routes = [up ? cheapestPath(from: c, to: r, avoiding: cell, priced: priced) : nil,
                      down ? cheapestPath(from: r, to: c, avoiding: cell, priced: priced) : nil].compactMap { $0 }
        guard let best = routes.min(by: { $0.cost < $1.cost }) else { return nil }
        return best.cells.filter { status[$0] == .published }
    }

    /// Dijkstra over the priced arcs; the cells of the cheapest path and its cost.
    private func cheapestPath(from: Int, to: Int, avoiding: Cell,
                              priced: [[(arc: Arc, price: Int)]]) -> (cells: [Cell], cost: Int)? {
        var best = [Int: Int](minimumCapacity: priced.count)
        var via = [Int: (node: Int, cell: Cell)]()
        best[from] = 0
        var done = Set<Int>()
        while let node = best.filter({ !done.contains($0.key) }).min(by: { $0.value < $1.value })?.key {
            if node == to { break }
            done.insert(node)
            for (arc, price) in priced[node] where arc.cell != avoiding && !done.contains(arc.to) {
                let d = best[node]! + price
                if d < best[arc.to] ?? Int.max {
                    best[arc.to] = d
                    via[arc.to] = (node, arc.cell)
                }
            }
        }
        guard let total = best[to] else { return nil }
        var cells = [Cell]()
        var node = to
        while node != from, let step = via[node] {
            cells.append(step.cell)
            node = step.node
        }
        return (cells, total)
    }

    private func isProtected(_ cell: Cell, arcs: [[Arc]]) -> Bool {
        let r = rowNode(cell.row), c = columnNode(cell.column)
        let (up, down) = moves(cell, status[cell]!)
        return (up && reaches(from: c, to: r, avoiding: cell, arcs: arcs))
            || (down && reaches(from: r, to: c, avoiding: cell, arcs: arcs))
    }

    /// A path from `from` to `to` that uses no move of `avoiding` (its own other move
    /// would undo the first).
    private func reaches(from: Int, to: Int, avoiding: Cell, arcs: [[Arc]]) -> Bool {
        var seen = Set([from])
        var queue = [from]
        while let node = queue.popLast() {
            for arc in arcs[node] where arc.cell != avoiding && !seen.contains(arc.to) {
                if arc.to == to { return true }
                seen.insert(arc.to)
                queue.append(arc.to)
            }
        }
        return false
    }
}
