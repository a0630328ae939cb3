/// Small-cell suppression with complementary suppression for a two-way table and its
/// margins.
///
/// 1. Primary: every cell or total from 1 to k−1 is hidden as `<k`. Zero is shown.
/// 2. Complementary: while some hidden cell can be worked out (`AlternativeTable` finds no
///    other table that differs in it), the published non-zero cells that close the
///    cheapest cycle through it (least total value lost) are hidden as `x`. The hidden
///    set only grows, so this ends; a cell that no hiding can protect is reported, and
///    such a table must not be published.
public enum CellSuppression {
    public static func apply(_ table: MarginalTable, threshold k: Int) -> SuppressedTable {
        precondition(k >= 2, "a threshold below 2 suppresses nothing")
        var status = [Cell: CellStatus]()
        for cell in table.cells {
            let v = table.value(cell.row, cell.column)
            status[cell] = v >= 1 && v < k ? .small : .published
        }
        var unprotectable = [Cell]()
        while true {
            let check = AlternativeTable(table: table, threshold: k, status: status)
            guard let cell = check.unprotected().first(where: { !unprotectable.contains($0) }) else { break }
            if let cells = check.cheapestProtection(for: cell), !cells.isEmpty {
                for c in cells { status[c] = .complementary }
            } else {
                unprotectable.append(cell)
            }
        }
        return SuppressedTable(table: table, threshold: k, status: status, unprotectable: unprotectable)
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
