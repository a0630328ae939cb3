/// The rows of an answer as they are written out, each cell shown as its status allows, with
/// how many were hidden of each kind (the counts an answer's `suppressed` reports).
struct ReportRows {
    let threshold: Int
    private(set) var rows = [StatisticsReport.Row]()
    private(set) var small = 0
    private(set) var complementary = 0

    init(threshold: Int) {
        self.threshold = threshold
    }

    /// One cell: its count when published, `<k` or `x` when hidden (never the count).
    mutating func append(_ groups: [String], _ status: CellStatus, count: Int) {
        switch status {
        case .published:
            rows.append(.init(groups: groups, count: count, shown: String(count), suppression: nil))
        case .small:
            small += 1
            rows.append(.init(groups: groups, count: nil, shown: "<\(threshold)", suppression: "small"))
        case .complementary:
            complementary += 1
            rows.append(.init(groups: groups, count: nil, shown: "x", suppression: "complementary"))
        }
    }
}
