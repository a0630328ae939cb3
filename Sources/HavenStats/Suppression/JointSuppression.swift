/// Protects every table of a year's release together (METHOD.md): every set of dimensions
/// the release publishes, by every period of the granularity, as one system.
///
/// 1. Primary: each count or total from 1 to k−1 is hidden as `<k`.
/// 2. Telling zeros (`TellingZeros`): a zero that says where a hidden total's count lies is
///    hidden as `<k`.
/// 3. Complementary: a hidden cell is safe when a unit cube move in one leaf's union table
///    (`CubeMoves`) changes it and keeps every cell of every table within what a reader
///    knows. While some hidden cell has no such move, the published cells of the cheapest
///    move through it are hidden (`x`; a zero it raises, `<k`). Hiding only adds moves, so a
///    safe cell stays safe; hiding may hide a line's total, so 2 and 3 repeat until nothing
///    changes.
/// 4. A cell that no hiding protects gives up the granularity: nil, and the caller tries
///    a coarser one.
enum JointSuppression {
    /// The status of every cell of every (period, set) table, `periods` outer, `sets` inner;
    /// nil when some hidden cell cannot be protected at this granularity.
    static func apply(_ tab: CrossTabulation, sets: [[StatisticsDimension]], periods: [Int], threshold k: Int) -> [[CellStatus]]? {
        guard let work = protect(tab, sets: sets, periods: periods, threshold: k) else { return nil }
        return work.status.map { row in row.map { s in
            switch s {
            case .published: return CellStatus.published
            case .small, .zero: return .small
            case .complementary: return .complementary
            }
        } }
    }

    /// The protected tables, with hidden zeros told apart (for the tests' auditors).
    static func protect(_ tab: CrossTabulation, sets: [[StatisticsDimension]], periods: [Int], threshold k: Int) -> JointTables? {
        precondition(k >= 2, "a threshold below 2 suppresses nothing")
        var work = JointTables(tab, sets: sets, periods: periods, threshold: k)
        var pending = [(table: Int, cell: Int)]()
        for t in work.status.indices {
            for i in work.status[t].indices where work.status[t][i].isHidden { pending.append((t, i)) }
        }
        var next = 0
        while true {
            pending += work.hideTellingZeros()
            guard next < pending.count else { return work }
            while next < pending.count {
                let (t, i) = pending[next]
                next += 1
                let period = t / sets.count, set = t % sets.count
                if work.isProtected(period, set, i) { continue }
                guard let move = work.cheapest(period, set, i) else { return nil }
                for (table, cell, status) in move.hide {
                    work.status[table][cell] = status
                    pending.append((table, cell))
                }
                // The move just opened must now stand; if it does not, the granularity is given up
                // rather than hidden around again.
                guard work.isProtected(period, set, i) else { return nil }
            }
        }
    }
}
