/// The counted records of one year, by month and by their values: what a query gathers
/// from the sealed statistics before anything is published. Never leaves the daemon.
public struct IncidentCounts: Sendable {
    public let year: Int
    /// For each month (index 0 to 11): how many counted records hold each set of values.
    private(set) var byMonth = [[[StatisticsDimension: String]: Int]](repeating: [:], count: 12)

    public init(year: Int) {
        self.year = year
    }

    /// `month` is 1 to 12.
    public mutating func add(month: Int, values: [StatisticsDimension: String], count: Int = 1) {
        byMonth[month - 1][values, default: 0] += count
    }

    public var total: Int { byMonth.reduce(0) { $0 + $1.values.reduce(0, +) } }
}
