/// One year's counts over the union of a release's dimensions, by month: the finest data
/// every published table is a sum of. Each record lands in exactly one cell of each month,
/// so every table of the release (any set of those dimensions, any period) adds up from here.
struct CrossTabulation {
    /// The union of the breakdowns' dimensions, canonical order.
    let dimensions: [StatisticsDimension]
    /// How many values each has.
    let sizes: [Int]
    /// For each month (0–11): the non-empty cells, as (value index per dimension, count).
    let months: [[(coordinates: [Int], count: Int)]]

    init(_ counts: IncidentCounts, dimensions: [StatisticsDimension], categories: [StatisticsDimension: [Category]]) {
        self.dimensions = dimensions
        let codes = dimensions.map { d in (categories[d] ?? []).map(\.code) }
        sizes = codes.map(\.count)
        var index = [[String: Int]]()
        for list in codes {
            var m = [String: Int]()
            for (i, c) in list.enumerated() { m[c] = i }
            index.append(m)
        }
        // Where a value the categories do not list is counted: not_recorded, or (age groups,
        // which have no such category) unknown; never dropped when either exists.
        let fallback = index.map { $0[StatisticsDimension.notRecorded] ?? $0["unknown"] }
        var months = [[(coordinates: [Int], count: Int)]]()
        for m in 0..<12 {
            var cells = [[Int]: Int]()
            for (values, n) in counts.byMonth[m] where n > 0 {
                var coordinates = [Int]()
                for (i, d) in dimensions.enumerated() {
                    guard let v = values[d].flatMap({ index[i][$0] }) ?? fallback[i] else { break }
                    coordinates.append(v)
                }
                guard coordinates.count == dimensions.count else { continue }
                cells[coordinates, default: 0] += n
            }
            // Sorted, so that every run visits cells in one order and gives one release.
            months.append(cells.map { ($0.key, $0.value) }.sorted { $0.coordinates.lexicographicallyPrecedes($1.coordinates) })
        }
        self.months = months
    }

    /// Position of each dimension of `set` in `dimensions`.
    func axes(_ set: [StatisticsDimension]) -> [Int] { set.map { dimensions.firstIndex(of: $0)! } }

    /// How many cells a table over `set` has.
    func cellCount(_ set: [StatisticsDimension]) -> Int { axes(set).reduce(1) { $0 * sizes[$1] } }

    /// The table over `set` (row-major, canonical order) summed over `monthsIn` (0–11).
    func table(_ set: [StatisticsDimension], months monthsIn: some Sequence<Int>) -> [Int] {
        let axes = axes(set)
        var out = [Int](repeating: 0, count: cellCount(set))
        for m in monthsIn {
            for (coordinates, n) in months[m] {
                var i = 0
                for a in axes { i = i * sizes[a] + coordinates[a] }
                out[i] += n
            }
        }
        return out
    }

    /// The months (0–11) period `p` (0–16: months, quarters, year) sums.
    static func months(of p: Int) -> Range<Int> {
        switch p {
        case 0..<12: return p..<(p + 1)
        case 12..<16: return (3 * (p - 12))..<(3 * (p - 12) + 3)
        default: return 0..<12
        }
    }
}
