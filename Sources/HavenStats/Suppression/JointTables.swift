/// Every table of one granularity of a year's release, in one place: each (period, set of
/// dimensions) table's values and what each cell shows, and for each leaf period (the
/// finest published: months, quarters or the year) its counts over the union of the
/// dimensions, which a reader knows only to be whole numbers, none negative.
///
/// A table index is `period * sets.count + set`; a cell index is row-major over the set's
/// dimensions in canonical order, so a union cell `u` lies in cell Σ `stride[set][a] · u[a]`.
struct JointTables {
    /// What a cell shows, and so what a reader knows of it.
    enum Status: UInt8 {
        /// Its count.
        case published
        /// `<k`, holding 1 to k−1.
        case small
        /// `x`, holding k or more.
        case complementary
        /// `<k`, holding 0: hidden so that its line does not say where its hidden count is;
        /// the reader, who cannot tell it from a small count, knows only 0 to k−1.
        case zero

        var isHidden: Bool { self != .published }
    }

    let k: Int
    let tab: CrossTabulation
    /// Bit masks over `tab.dimensions`.
    let sets: [Int]
    private let setByMask: [Int: Int]
    let periods: [Int]
    var values: [[Int]]
    var status: [[Status]]
    /// `stride[set][axis]`: 0 for an axis the set does not have.
    let stride: [[Int]]
    /// The leaf periods (indices into `periods`) and, for each, it and every period above it.
    let leaves: [Int]
    let chains: [[Int]]
    /// For each leaf: its union cells and, by key, their counts.
    let leafCells: [[(coordinates: [Int], count: Int)]]
    let leafCounts: [[Int: Int]]
    /// For each leaf and set: the leaf's union cells (indices into `leafCells`) by the table cell they lie in.
    let cellsIn: [[[Int: [Int]]]]
    /// For a mask T of axes: the sets holding every axis of T (what a move on T changes).
    private(set) var containing: [Int: [Int]] = [:]

    init(_ tab: CrossTabulation, sets: [[StatisticsDimension]], periods: [Int], threshold k: Int) {
        self.k = k
        self.tab = tab
        self.periods = periods
        let masks = sets.map { s in tab.axes(s).reduce(0) { $0 | (1 << $1) } }
        self.sets = masks
        var byMask = [Int: Int]()
        for (i, m) in masks.enumerated() { byMask[m] = i }
        setByMask = byMask
        var stride = [[Int]]()
        for mask in masks {
            var row = [Int](repeating: 0, count: tab.dimensions.count)
            var step = 1
            for a in tab.dimensions.indices.reversed() where mask & (1 << a) != 0 {
                row[a] = step
                step *= tab.sizes[a]
            }
            stride.append(row)
        }
        self.stride = stride
        var values = [[Int]]()
        for p in periods {
            for s in sets { values.append(tab.table(s, months: CrossTabulation.months(of: p))) }
        }
        self.values = values
        status = values.map { v in v.map { $0 >= 1 && $0 < k ? Status.small : .published } }
        // Months under quarters under the year, as far down as this granularity goes.
        let leaves = periods.indices.filter { periods[$0] < 12 || periods.count == 5 && periods[$0] < 16 || periods.count == 1 }
        self.leaves = leaves
        chains = leaves.map { l in
            periods.indices.filter { p in
                CrossTabulation.months(of: periods[l]).allSatisfy { CrossTabulation.months(of: periods[p]).contains($0) }
            }
        }
        var leafCells = [[(coordinates: [Int], count: Int)]]()
        var leafCounts = [[Int: Int]]()
        var cellsIn = [[[Int: [Int]]]]()
        for l in leaves {
            var sum = [[Int]: Int]()
            for m in CrossTabulation.months(of: periods[l]) { for (u, n) in tab.months[m] { sum[u, default: 0] += n } }
            let cells = sum.map { ($0.key, $0.value) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            leafCells.append(cells)
            var byKey = [Int: Int]()
            for (u, n) in cells { byKey[Self.key(u, tab.sizes)] = n }
            leafCounts.append(byKey)
            cellsIn.append(stride.map { st in
                var index = [Int: [Int]]()
                for (i, (u, _)) in cells.enumerated() { index[zip(st, u).reduce(0) { $0 + $1.0 * $1.1 }, default: []].append(i) }
                return index
            })
        }
        self.leafCells = leafCells
        self.leafCounts = leafCounts
        self.cellsIn = cellsIn
    }

    static func key(_ u: [Int], _ sizes: [Int]) -> Int {
        var key = 0
        for (v, n) in zip(u, sizes) { key = key * n + v }
        return key
    }

    /// The set of a mask; every subset of a published set is published.
    func setIndex(_ mask: Int) -> Int { setByMask[mask]! }

    func table(_ period: Int, _ set: Int) -> Int { period * sets.count + set }

    func index(_ set: Int, _ u: [Int]) -> Int {
        var i = 0
        for (s, v) in zip(stride[set], u) { i += s * v }
        return i
    }

    /// The value of each axis of `set` at cell `index` (−1 for an axis it does not have).
    func coordinates(_ set: Int, _ index: Int) -> [Int] {
        var out = [Int](repeating: -1, count: tab.sizes.count)
        var rest = index
        for a in tab.sizes.indices.reversed() where sets[set] & (1 << a) != 0 {
            out[a] = rest % tab.sizes[a]
            rest /= tab.sizes[a]
        }
        return out
    }

    /// Whether a hidden cell holding `value` may hold `value + delta` by what the reader knows.
    func fits(_ s: Status, _ value: Int, _ delta: Int) -> Bool {
        let v = value + delta
        switch s {
        case .published: return false
        case .small: return v >= 1 && v < k
        case .complementary: return v >= k
        case .zero: return v >= 0 && v < k
        }
    }

    mutating func sets(containing t: Int) -> [Int] {
        if let known = containing[t] { return known }
        let out = sets.indices.filter { sets[$0] & t == t }
        containing[t] = out
        return out
    }
}
