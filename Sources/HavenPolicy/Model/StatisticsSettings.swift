import HavenStats

/// `policy/statistics.yaml`: how statistics are published.
public struct StatisticsSettings: Sendable, Equatable {
    /// Counts from 1 to threshold − 1 are shown as `<threshold`.
    public let threshold: Int
    /// The sets of dimensions an analyst may count by, each in `StatisticsDimension`'s order
    /// and without `month` (which chooses tables of a release, it is not one of its
    /// dimensions). A year's release protects all of them together, so each one listed
    /// costs suppression in the others: deny by default, none without the file.
    public let breakdowns: [[StatisticsDimension]]

    public static let defaultThreshold = 5

    public init(threshold: Int = Self.defaultThreshold, breakdowns: [[StatisticsDimension]] = []) {
        self.threshold = threshold
        self.breakdowns = breakdowns.map(Self.canonical)
    }

    /// `dimensions` in the one order a breakdown is kept in, `month` left out.
    public static func canonical(_ dimensions: [StatisticsDimension]) -> [StatisticsDimension] {
        StatisticsDimension.allCases.filter { $0 != .month && dimensions.contains($0) }
    }

    /// The listed breakdown a query by `dimensions` (any order, `month` aside) is a table of:
    /// the first that holds every one of them; nil when none does.
    public func breakdown(for dimensions: [StatisticsDimension]) -> [StatisticsDimension]? {
        let asked = Set(dimensions).subtracting([.month])
        return breakdowns.first { asked.isSubset(of: $0) }
    }

    /// The breakdowns as an analyst types them (`province,incident_type; sex`).
    public var described: String {
        breakdowns.isEmpty ? "none" : breakdowns.map { $0.map(\.rawValue).joined(separator: ",") }.joined(separator: "; ")
    }
}
