/// Small-cell suppression with complementary suppression for one two-way table and its
/// margins: `HierarchySuppression` on a hierarchy of that table alone.
public enum CellSuppression {
    public static func apply(_ table: MarginalTable, threshold k: Int) -> SuppressedTable {
        HierarchySuppression.apply(TableHierarchy(single: table), threshold: k).table(0)
    }
}

/// A table ready to publish: what each cell shows, and how many were hidden and why.
public struct SuppressedTable: Sendable {
    public let table: MarginalTable
    public let threshold: Int
    public let status: [Cell: CellStatus]
    /// Hidden cells no further hiding could protect; the table must not be published.
    public let unprotectable: [Cell]

    public var smallCount: Int { status.values.filter { $0 == .small }.count }
    public var complementaryCount: Int { status.values.filter { $0 == .complementary }.count }

    /// What (`row`, `column`) of the extended table shows: its count, `<k` or `x`.
    public func shown(_ row: Int, _ column: Int) -> String {
        switch status[Cell(row: row, column: column)]! {
        case .published: return String(table.value(row, column))
        case .small: return "<\(threshold)"
        case .complementary: return "x"
        }
    }
}
