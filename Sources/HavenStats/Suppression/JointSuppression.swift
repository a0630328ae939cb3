/// Protects every table of a year's release together (METHOD.md).
///
/// This first form protects each set of dimensions on its own, as `HierarchySuppression`
/// does for one breakdown: correct for each table, not across sets.
enum JointSuppression {
    /// The status of every cell of every (period, set) table, `periods` outer, `sets` inner;
    /// nil when some hidden cell cannot be protected at this granularity.
    static func apply(_ tab: CrossTabulation, sets: [[StatisticsDimension]], periods: [Int], threshold k: Int) -> [[CellStatus]]? {
        var out = [[CellStatus]](repeating: [], count: periods.count * sets.count)
        for (si, set) in sets.enumerated() {
            let columns = set.last.map { tab.sizes[tab.axes([$0])[0]] } ?? 1
            guard columns > 0, tab.cellCount(set) > 0 else {
                for pi in periods.indices { out[pi * sets.count + si] = [] }
                continue
            }
            func table(_ months: Range<Int>) -> MarginalTable {
                let flat = tab.table(set, months: months)
                return MarginalTable(stride(from: 0, to: flat.count, by: columns).map { Array(flat[$0..<($0 + columns)]) })
            }
            let h: TableHierarchy
            switch periods.count {
            case 17: h = .calendarYear(months: (0..<12).map { table($0..<($0 + 1)) })
            case 5: h = TableHierarchy(leaves: (0..<4).map { table((3 * $0)..<(3 * $0 + 3)) }, groups: [], top: true)
            default: h = TableHierarchy(single: table(0..<12))
            }
            let s = HierarchySuppression.apply(h, threshold: k)
            guard s.unprotectable.isEmpty else { return nil }
            for pi in periods.indices {
                let t = h.tables[pi]
                out[pi * sets.count + si] = (0..<t.rowCount).flatMap { r in (0..<t.columnCount).map { s.status(pi, r, $0) } }
            }
        }
        return out
    }
}
