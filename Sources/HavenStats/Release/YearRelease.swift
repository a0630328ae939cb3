/// Everything published for one year: every breakdown the policy allows and all their margins, by month, quarter and year, suppressed together.
///
/// A table is named by the SET of its dimensions (canonical order: `StatisticsDimension.allCases`),
/// never by the order a query asked them in, so that asking `province,age_group` and
/// `age_group,province` reads one table. It holds only what is published: a count where it is
/// shown, and only the status (`<k`, `x`) where it is hidden. Computed once for a year that
/// has ended, then frozen: every later query of that year is answered from it (METHOD.md).
public struct YearRelease: Sendable, Equatable {
    public let year: Int
    public let threshold: Int
    /// `month`, `quarter` or `year`: the finest granularity protected.
    public let publishedBy: String
    /// Each in canonical order, no `.month`, no two alike, sorted.
    public let breakdowns: [[StatisticsDimension]]
    /// The values each dimension of the breakdowns is counted by, in the order cells use.
    public let categories: [StatisticsDimension: [Category]]
    /// Every published table: each period the granularity allows, for each set of dimensions
    /// (every subset of every breakdown, down to the grand total), periods in calendar order
    /// then sets in `sets` order.
    public let tables: [Table]

    /// One published table: a period of the year and a set of dimensions.
    public struct Table: Sendable, Equatable {
        /// 0–11: the months, 12–15: the quarters, 16: the year.
        public let period: Int
        /// Canonical order; empty for the grand total.
        public let dimensions: [StatisticsDimension]
        /// Row-major over `dimensions`, each dimension's values in `categories` order.
        public let cells: [PublishedCell]
    }

    /// What one cell shows: its count, or that it is hidden.
    public struct PublishedCell: Sendable, Equatable {
        public let status: CellStatus
        /// Nil when hidden.
        public let count: Int?

        public init(status: CellStatus, count: Int?) {
            precondition((status == .published) == (count != nil))
            self.status = status
            self.count = count
        }
    }

    init(year: Int, threshold: Int, publishedBy: String, breakdowns: [[StatisticsDimension]],
         categories: [StatisticsDimension: [Category]], tables: [Table]) {
        self.year = year
        self.threshold = threshold
        self.publishedBy = publishedBy
        self.breakdowns = breakdowns
        self.categories = categories
        self.tables = tables
    }

    /// Every set of dimensions published: each breakdown and all its subsets, smallest first,
    /// then in canonical order.
    public var sets: [[StatisticsDimension]] { Self.sets(of: breakdowns) }

    static func sets(of breakdowns: [[StatisticsDimension]]) -> [[StatisticsDimension]] {
        var out = Set<[StatisticsDimension]>()
        for b in breakdowns {
            for mask in 0..<(1 << b.count) {
                out.insert(b.indices.filter { mask & (1 << $0) != 0 }.map { b[$0] })
            }
        }
        return out.sorted { a, b in
            a.count != b.count ? a.count < b.count : a.map(\.order).lexicographicallyPrecedes(b.map(\.order))
        }
    }

    /// The table of `period` (0–16) over `dimensions` (any order), if published.
    public func table(period: Int, dimensions: [StatisticsDimension]) -> Table? {
        let set = StatisticsDimension.canonical(dimensions)
        return tables.first { $0.period == period && $0.dimensions == set }
    }

    /// How many values each dimension has.
    func size(_ d: StatisticsDimension) -> Int { categories[d]?.count ?? 0 }
}

extension StatisticsDimension {
    /// Its place in the canonical order.
    var order: Int { Self.allCases.firstIndex(of: self)! }

    /// `dimensions` in canonical order.
    static func canonical(_ dimensions: [StatisticsDimension]) -> [StatisticsDimension] {
        dimensions.sorted { $0.order < $1.order }
    }
}
