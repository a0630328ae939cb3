import HavenStats

/// `POST /v1/stats/incidents` body: the period (whole months, `YYYY-MM`) and dimensions.
public struct IncidentStatisticsRequest: Codable, Sendable {
    public let from: String
    public let to: String
    public let by: [String]

    public init(from: String, to: String, by: [String]) {
        self.from = from
        self.to = to
        self.by = by
    }

    enum CodingKeys: String, CodingKey { case from, to, by }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["from", "to", "by"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        from = try c.decode(String.self, forKey: .from)
        to = try c.decode(String.self, forKey: .to)
        by = try c.decode([String].self, forKey: .by)
    }
}

/// The answer: HavenStats' report, as every format renders it.
public typealias IncidentStatisticsResponse = StatisticsReport
