@testable import HavenStats

/// An independent check of a published table, by brute force: every table a reader could
/// believe (published values as shown, `<k` cells 1 to k−1, `x` cells k up to the grand
/// total plus one, every row and column adding up to its total) is enumerated, and a
/// hidden cell is derivable when it has one value in all of them. It shares nothing with
/// `AlternativeTable` but the statuses it reads; only for small tables.
struct DerivableCells {
    let published: SuppressedTable

    /// The hidden cells that hold the same value in every table consistent with what is shown.
    func find() -> [Cell] {
        let t = published.table
        let k = published.threshold
        let hidden = t.cells.filter { published.status[$0]!.isSuppressed }
        let cap = t.value(t.rowCount, t.columnCount) + 1
        var bounds = [Cell: ClosedRange<Int>]()
        for cell in hidden { bounds[cell] = published.status[cell] == .small ? 1...(k - 1) : k...max(k, cap) }
        var known = [Cell: Int]()
        for cell in t.cells where !published.status[cell]!.isSuppressed { known[cell] = t.value(cell.row, cell.column) }
        // Each line: the cells that add up, and the total they add up to.
        var lines = [([Cell], Cell)]()
        for r in 0...t.rowCount { lines.append(((0..<t.columnCount).map { Cell(row: r, column: $0) }, Cell(row: r, column: t.columnCount))) }
        for c in 0...t.columnCount { lines.append(((0..<t.rowCount).map { Cell(row: $0, column: c) }, Cell(row: t.rowCount, column: c))) }

        var seen = [Cell: Set<Int>]()
        func settled() -> Bool { hidden.allSatisfy { (seen[$0]?.count ?? 0) >= 2 } }

        func search(_ values: [Cell: Int]) {
            guard !settled() else { return }
            var values = values
            // Propagate: a line with one unknown fixes it.
            var changed = true
            while changed {
                changed = false
                for (parts, total) in lines {
                    let unknown = (parts + [total]).filter { values[$0] == nil }
                    guard unknown.count == 1, let cell = unknown.first else { continue }
                    let sum = parts.compactMap { values[$0] }.reduce(0, +)
                    let v = cell == total ? sum : values[total]! - (sum)
                    guard bounds[cell]!.contains(v) else { return }
                    values[cell] = v
                    changed = true
                }
            }
            guard let open = hidden.first(where: { values[$0] == nil }) else {
                for (parts, total) in lines where parts.map({ values[$0]! }).reduce(0, +) != values[total]! { return }
                for cell in hidden { seen[cell, default: []].insert(values[cell]!) }
                return
            }
            for v in bounds[open]! {
                var next = values
                next[open] = v
                search(next)
                if settled() { return }
            }
        }
        search(known)
        return hidden.filter { (seen[$0]?.count ?? 0) < 2 }
    }

    /// Whether the true table is among the tables the reader could believe (the search's own check).
    func admitsTheTruth() -> Bool {
        let t = published.table
        return t.cells.allSatisfy { cell in
            let v = t.value(cell.row, cell.column)
            switch published.status[cell]! {
            case .published: return true
            case .small: return v >= 1 && v < published.threshold
            case .complementary: return v >= published.threshold
            }
        }
    }
}
