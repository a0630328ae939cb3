/// A published answer to `haven stats incidents`: every cell and total the query reaches,
/// each either its count or hidden (`<k`, `x`), with the labels to show them by. It holds
/// no id, no date finer than a month and no free text: only codes the policy lists, counts
/// and the method's own words. The JSON the daemon sends and every format renders this.
public struct StatisticsReport: Codable, Sendable, Equatable {
    /// `2026-03`, `2026-Q1` or `2026`.
    public let period: String
    public let from: String
    public let to: String
    /// As asked for, in order.
    public let dimensions: [String]
    /// Counts from 1 to threshold − 1 are shown as `<threshold`.
    public let threshold: Int
    /// The finest period this breakdown is published at for the year (`month`, `quarter`
    /// or `year`): coarser when months could not be protected.
    public let publishedBy: String
    public let rows: [Row]
    public let suppressed: Suppressed
    public var labels: [DimensionLabels]
    public let method: String
    /// Records that could not be counted, said by the daemon (the audit entry names them).
    public var warnings: [String] = []
    /// The query's audit entry, set by the daemon.
    public var auditSeq: UInt64?

    /// One cell: a value per dimension (a code, a month, or `all` in a total) and its count.
    public struct Row: Codable, Sendable, Equatable {
        public let groups: [String]
        /// Nil when hidden.
        public let count: Int?
        /// The count, `<k` or `x`.
        public let shown: String
        /// `small` (1 to k−1), `complementary` (hidden so that no small cell can be worked
        /// out), or nil.
        public let suppression: String?

        public init(groups: [String], count: Int?, shown: String, suppression: String?) {
            self.groups = groups
            self.count = count
            self.shown = shown
            self.suppression = suppression
        }
    }

    /// How many of the rows are hidden, and why.
    public struct Suppressed: Codable, Sendable, Equatable {
        public let small: Int
        public let complementary: Int
        public let why: [String]
    }

    /// A dimension's label and its values' labels (English, and Lao and Vietnamese where
    /// the policy gives them).
    public struct DimensionLabels: Codable, Sendable, Equatable {
        public let dimension: String
        public let label: String
        public let values: [Category]
    }

    public init(period: String, from: String, to: String, dimensions: [String], threshold: Int, publishedBy: String,
                rows: [Row], suppressed: Suppressed, labels: [DimensionLabels], method: String, auditSeq: UInt64? = nil) {
        self.period = period
        self.from = from
        self.to = to
        self.dimensions = dimensions
        self.threshold = threshold
        self.publishedBy = publishedBy
        self.rows = rows
        self.suppressed = suppressed
        self.labels = labels
        self.method = method
        self.auditSeq = auditSeq
    }

    enum CodingKeys: String, CodingKey {
        case period, from, to, dimensions, threshold, rows, suppressed, labels, method, warnings
        case publishedBy = "published_by"
        case auditSeq = "audit_seq"
    }

    /// The labels of `categories` in place of the frozen ones, code by code: a release keeps
    /// the labels of the policy it was published under, and a translation added since is
    /// wording, not a count. A code the policy no longer lists keeps its frozen label.
    public mutating func relabel(_ categories: [StatisticsDimension: [Category]]) {
        labels = labels.map { d in
            guard let dimension = StatisticsDimension(rawValue: d.dimension), let current = categories[dimension] else { return d }
            let byCode = Dictionary(current.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
            return DimensionLabels(dimension: d.dimension, label: d.label, values: d.values.map { byCode[$0.code] ?? $0 })
        }
    }

    /// The label of `code` in `dimension`, in `language` (`en`, `lo`, `vi`), else English, else the code.
    public func label(_ dimension: String, _ code: String, language: String = "en") -> String {
        guard let category = labels.first(where: { $0.dimension == dimension })?.values.first(where: { $0.code == code }) else {
            return code == StatisticsDimension.all ? StatisticsWords(language).all : code
        }
        return category.label(language)
    }
}

/// One value of a dimension and how people read it.
public struct Category: Codable, Sendable, Equatable {
    public let code: String
    public let en: String
    public let lo: String?
    public let vi: String?

    public init(code: String, en: String, lo: String? = nil, vi: String? = nil) {
        self.code = code
        self.en = en
        self.lo = lo
        self.vi = vi
    }

    public func label(_ language: String) -> String {
        switch language {
        case "lo": return lo ?? en
        case "vi": return vi ?? en
        default: return en
        }
    }
}
