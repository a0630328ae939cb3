/// Small-cell and complementary suppression across tables that add up (`TableHierarchy`):
/// a month, its quarter and its year are protected together, so that no hidden cell of
/// any of them can be worked out from what all of them show (METHOD.md).
///
/// 1. Primary: in every table, each count or total from 1 to k−1 is hidden as `<k`.
/// 2. Complementary: a hidden cell is safe when a one-unit move around a cycle of hidden
///    cells (alternating rows and columns, totals negated) inside one leaf changes it, and
///    the same move, carried up into every table the leaf adds into, keeps every cell of
///    each of them within what a reader knows (`<k`: 1 to k−1; `x`: k or more; a shown
///    value: itself). While some hidden cell has no such move, the published cells that
///    close the cheapest one (least total value hidden, over every table it passes through)
///    are hidden as `x`. Hiding only adds moves, so a safe cell stays safe and this ends.
/// 3. A cell no hiding can protect is reported; such a release must not be published.
public enum HierarchySuppression {
    public static func apply(_ hierarchy: TableHierarchy, threshold k: Int) -> SuppressedHierarchy {
        precondition(k >= 2, "a threshold below 2 suppresses nothing")
        var work = SuppressionWork(hierarchy, threshold: k)
        var pending = [(table: Int, position: Int)]()
        for t in hierarchy.tables.indices {
            for p in 0..<work.positions where work.status[t][p].isSuppressed { pending.append((t, p)) }
        }
        var unprotectable = [(table: Int, cell: Cell)]()
        var i = 0
        while i < pending.count {
            let (t, p) = pending[i]
            i += 1
            if work.isProtected(t, p) { continue }
            guard let hidden = work.cheapestProtection(t, p), !hidden.isEmpty else {
                unprotectable.append((t, work.cell(p)))
                continue
            }
            for (table, position) in hidden {
                work.status[table][position] = .complementary
                pending.append((table, position))
            }
            work.invalidate(hidden.map(\.table))
            // The cycle just closed must now stand; if it does not, the cell is reported
            // rather than hidden around again.
            if !work.isProtected(t, p) { unprotectable.append((t, work.cell(p))) }
        }
        return SuppressedHierarchy(hierarchy: hierarchy, threshold: k, status: work.status, columns: work.columns,
                                   unprotectable: unprotectable)
    }
}

/// A published hierarchy: what every cell of every table shows.
public struct SuppressedHierarchy: Sendable {
    public let hierarchy: TableHierarchy
    public let threshold: Int
    /// `status[table][row * (columnCount + 1) + column]` over the extended tables.
    let status: [[CellStatus]]
    let columns: Int
    /// Hidden cells no further hiding could protect: nothing of the release may be published.
    public let unprotectable: [(table: Int, cell: Cell)]

    public func status(_ table: Int, _ row: Int, _ column: Int) -> CellStatus {
        status[table][row * columns + column]
    }

    public func smallCount(_ table: Int) -> Int { status[table].filter { $0 == .small }.count }
    public func complementaryCount(_ table: Int) -> Int { status[table].filter { $0 == .complementary }.count }

    /// One table of the release on its own.
    public func table(_ index: Int) -> SuppressedTable {
        let t = hierarchy.tables[index]
        var out = [Cell: CellStatus]()
        for cell in t.cells { out[cell] = status(index, cell.row, cell.column) }
        return SuppressedTable(table: t, threshold: threshold,
                               status: out, unprotectable: unprotectable.filter { $0.table == index }.map(\.cell))
    }
}

/// The state of one run: statuses, and for each leaf the moves its hidden cells allow.
struct SuppressionWork {
    let hierarchy: TableHierarchy
    let k: Int
    /// Extended table: (rows + 1) × (columns) positions, `columns` counting the totals column.
    let rows: Int
    let columns: Int
    var positions: Int { rows * columns }
    let values: [[Int]]
    let sign: [Int]
    var status: [[CellStatus]]
    let chains: [[Int]]
    /// For each table, the leaves whose moves change it.
    let leavesOf: [[Int]]
    private var arcs: [[[Arc]]?]

    struct Arc {
        let to: Int
        let position: Int
    }

    init(_ hierarchy: TableHierarchy, threshold k: Int) {
        self.hierarchy = hierarchy
        self.k = k
        let shape = hierarchy.tables[0]
        rows = shape.rowCount + 1
        columns = shape.columnCount + 1
        var values = [[Int]]()
        for t in hierarchy.tables {
            var v = [Int](repeating: 0, count: rows * columns)
            for r in 0..<rows { for c in 0..<columns { v[r * columns + c] = t.value(r, c) } }
            values.append(v)
        }
        self.values = values
        var sign = [Int](repeating: 1, count: rows * columns)
        for r in 0..<rows {
            for c in 0..<columns where (r == rows - 1) != (c == columns - 1) { sign[r * columns + c] = -1 }
        }
        self.sign = sign
        status = values.map { v in v.map { $0 >= 1 && $0 < k ? CellStatus.small : .published } }
        let leaves = hierarchy.leaves
        var chains = [[Int]](repeating: [], count: hierarchy.tables.count)
        var leavesOf = [[Int]](repeating: [], count: hierarchy.tables.count)
        for leaf in leaves {
            chains[leaf] = hierarchy.chain(of: leaf)
            for t in chains[leaf] { leavesOf[t].append(leaf) }
        }
        self.chains = chains
        self.leavesOf = leavesOf
        arcs = [[[Arc]]?](repeating: nil, count: hierarchy.tables.count)
    }

    func cell(_ p: Int) -> Cell { Cell(row: p / columns, column: p % columns) }
    private func rowNode(_ p: Int) -> Int { p / columns }
    private func columnNode(_ p: Int) -> Int { rows + p % columns }
    private var nodeCount: Int { rows + columns }

    /// Whether the signed value at (t, p) may move by `delta` while hidden as `s`.
    private func fits(_ t: Int, _ p: Int, _ s: CellStatus, _ delta: Int) -> Bool {
        let v = values[t][p] + sign[p] * delta
        switch s {
        case .published: return false
        case .small: return v >= 1 && v < k
        case .complementary: return v >= k
        }
    }

    /// The moves (up, down) a position allows in a leaf: hidden, and within bounds, in the
    /// leaf and every table above it.
    private func moves(leaf: Int, _ p: Int) -> (up: Bool, down: Bool) {
        var up = true, down = true
        for t in chains[leaf] {
            let s = status[t][p]
            up = up && fits(t, p, s, 1)
            down = down && fits(t, p, s, -1)
        }
        return (up, down)
    }

    /// The same, if the position were hidden as `x` wherever it is shown; with the value so
    /// hidden (nil: some table shows a zero there, which cannot be hidden as `x`).
    private func pricedMoves(leaf: Int, _ p: Int) -> (up: Bool, down: Bool, price: Int)? {
        var up = true, down = true, price = 0
        for t in chains[leaf] {
            var s = status[t][p]
            if s == .published {
                guard values[t][p] > 0 else { return nil }
                s = .complementary
                price += values[t][p] + 1
            }
            up = up && fits(t, p, s, 1)
            down = down && fits(t, p, s, -1)
        }
        return (up, down, price)
    }

    mutating func invalidate(_ tables: [Int]) {
        for t in Set(tables) { for leaf in leavesOf[t] { arcs[leaf] = nil } }
    }

    private mutating func graph(_ leaf: Int) -> [[Arc]] {
        if let g = arcs[leaf] { return g }
        var g = [[Arc]](repeating: [], count: nodeCount)
        for p in 0..<positions where status[leaf][p].isSuppressed {
            let (up, down) = moves(leaf: leaf, p)
            if up { g[rowNode(p)].append(Arc(to: columnNode(p), position: p)) }
            if down { g[columnNode(p)].append(Arc(to: rowNode(p), position: p)) }
        }
        arcs[leaf] = g
        return g
    }

    mutating func isProtected(_ t: Int, _ p: Int) -> Bool {
        for leaf in leavesOf[t] where status[leaf][p].isSuppressed {
            let (up, down) = moves(leaf: leaf, p)
            guard up || down else { continue }
            let g = graph(leaf)
            if up && reaches(g, from: columnNode(p), to: rowNode(p), avoiding: p) { return true }
            if down && reaches(g, from: rowNode(p), to: columnNode(p), avoiding: p) { return true }
        }
        return false
    }

    /// A path that uses no move of `avoiding` (its other move would undo the first).
    private func reaches(_ g: [[Arc]], from: Int, to: Int, avoiding: Int) -> Bool {
        var seen = [Bool](repeating: false, count: g.count)
        seen[from] = true
        var stack = [from]
        while let node = stack.popLast() {
            for arc in g[node] where arc.position != avoiding && !seen[arc.to] {
                if arc.to == to { return true }
                seen[arc.to] = true
                stack.append(arc.to)
            }
        }
        return false
    }

    /// The (table, position) pairs to hide as `x` that close the cheapest cycle through
    /// (t, p) in some leaf under it; nil when none would.
    func cheapestProtection(_ t: Int, _ p: Int) -> [(table: Int, position: Int)]? {
        var best: (cost: Int, leaf: Int, path: [Int])?
        for leaf in leavesOf[t] {
            guard let own = pricedMoves(leaf: leaf, p) else { continue }
            var priced = [[(arc: Arc, price: Int)]](repeating: [], count: nodeCount)
            for q in 0..<positions where q != p {
                guard let m = pricedMoves(leaf: leaf, q) else { continue }
                if m.up { priced[rowNode(q)].append((Arc(to: columnNode(q), position: q), m.price)) }
                if m.down { priced[columnNode(q)].append((Arc(to: rowNode(q), position: q), m.price)) }
            }
            let routes = [own.up ? cheapestPath(priced, from: columnNode(p), to: rowNode(p)) : nil,
                          own.down ? cheapestPath(priced, from: rowNode(p), to: columnNode(p)) : nil]
            for case let route? in routes where best == nil || route.cost + own.price < best!.cost {
                best = (route.cost + own.price, leaf, route.positions + [p])
            }
        }
        guard let best else { return nil }
        var out = [(table: Int, position: Int)]()
        for q in best.path {
            for table in chains[best.leaf] where status[table][q] == .published { out.append((table, q)) }
        }
        return out
    }

    /// Dijkstra with a binary heap: the positions of the cheapest path and its cost.
    private func cheapestPath(_ priced: [[(arc: Arc, price: Int)]], from: Int, to: Int) -> (positions: [Int], cost: Int)? {
        var dist = [Int](repeating: Int.max, count: priced.count)
        var via = [(node: Int, position: Int)?](repeating: nil, count: priced.count)
        var heap = MinHeap()
        dist[from] = 0
        heap.push(0, from)
        while let (d, node) = heap.pop() {
            guard d == dist[node] else { continue }
            if node == to { break }
            for (arc, price) in priced[node] where d + price < dist[arc.to] {
                dist[arc.to] = d + price
                via[arc.to] = (node, arc.position)
                heap.push(d + price, arc.to)
            }
        }
        guard dist[to] != Int.max else { return nil }
        var positions = [Int]()
        var node = to
        while node != from, let step = via[node] {
            positions.append(step.position)
            node = step.node
        }
        return (positions, dist[to])
    }
}

/// A binary min-heap of (cost, node), ties broken by node so that runs are repeatable.
private struct MinHeap {
    private var items: [(Int, Int)] = []

    private static func less(_ a: (Int, Int), _ b: (Int, Int)) -> Bool { a.0 != b.0 ? a.0 < b.0 : a.1 < b.1 }

    mutating func push(_ cost: Int, _ node: Int) {
        items.append((cost, node))
        var i = items.count - 1
        while i > 0, Self.less(items[i], items[(i - 1) / 2]) {
            items.swapAt(i, (i - 1) / 2)
            i = (i - 1) / 2
        }
    }

    mutating func pop() -> (Int, Int)? {
        guard !items.isEmpty else { return nil }
        let top = items[0]
        items[0] = items[items.count - 1]
        items.removeLast()
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var m = i
            if l < items.count, Self.less(items[l], items[m]) { m = l }
            if r < items.count, Self.less(items[r], items[m]) { m = r }
            guard m != i else { return top }
            items.swapAt(i, m)
            i = m
        }
    }
}
