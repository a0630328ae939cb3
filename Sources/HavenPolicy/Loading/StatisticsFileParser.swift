import HavenStats
import Yams

/// Parses `policy/statistics.yaml` (format in policy/README.md).
struct StatisticsFileParser {
    let reader: YAMLReader

    func parse(_ text: String) throws(PolicyError) -> StatisticsSettings {
        let root = try reader.parse(text)
        var threshold = StatisticsSettings.defaultThreshold
        var breakdowns = [[StatisticsDimension]]()
        for (key, _, value) in try reader.mapping(root, what: "statistics.yaml", allowed: ["small_cell_threshold", "breakdowns"]) {
            if key == "breakdowns" {
                breakdowns = try parseBreakdowns(value)
                continue
            }
            let k = try reader.integer(value, what: "small_cell_threshold")
            // Below 3 a count of 1 stands alone; above 100 nothing of a small centre is left.
            guard (3...100).contains(k) else { throw reader.fail(value, "small_cell_threshold must be from 3 to 100") }
            threshold = Int(k)
        }
        return StatisticsSettings(threshold: threshold, breakdowns: breakdowns)
    }

    /// A list of breakdowns, each a list of dimensions: known, without `month`, none twice,
    /// at most as many as a query may name, and no set listed twice in another order.
    private func parseBreakdowns(_ node: Node) throws(PolicyError) -> [[StatisticsDimension]] {
        guard case .sequence(let items) = node else {
            throw reader.fail(node, "breakdowns must be a list of lists of dimensions, e.g. - [province, incident_type]")
        }
        let known = StatisticsDimension.allCases.filter { $0 != .month }.map(\.rawValue).joined(separator: ", ")
        var out = [[StatisticsDimension]]()
        for item in items {
            var dimensions = [StatisticsDimension]()
            for (word, node) in try reader.list(item, what: "a breakdown") {
                guard let d = StatisticsDimension(rawValue: word) else {
                    throw reader.fail(node, "unknown dimension '\(word)' in a breakdown (expected one of: \(known))")
                }
                // Months are the tables of every breakdown's release, not a dimension of one.
                guard d != .month else {
                    throw reader.fail(node, "'month' is not a breakdown's dimension: every breakdown may be asked for by month")
                }
                dimensions.append(d)
            }
            guard !dimensions.isEmpty else { throw reader.fail(item, "a breakdown names no dimension") }
            guard dimensions.count <= IncidentRelease.maximumDimensions else {
                throw reader.fail(item, "a breakdown has at most \(IncidentRelease.maximumDimensions) dimensions")
            }
            let canonical = StatisticsSettings.canonical(dimensions)
            guard !out.contains(canonical) else {
                throw reader.fail(item, "breakdown [\(dimensions.map(\.rawValue).joined(separator: ", "))] is listed twice"
                                  + " (the order of its dimensions does not matter)")
            }
            out.append(canonical)
        }
        return out
    }
}
