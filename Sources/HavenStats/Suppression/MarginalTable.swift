/// A two-way table of counts as it is published: its cells, each row's total, each
/// column's total and the grand total. Every total is a sum anyone can check, which is
/// what lets a reader subtract their way to a cell that was hidden alone.
///
/// Cells are addressed in the extended table: rows `0..<rowCount` and columns
/// `0..<columnCount` are the counts, column `columnCount` holds the row totals, row
/// `rowCount` the column totals, and (`rowCount`, `columnCount`) the grand total.
public struct MarginalTable: Sendable, Equatable {
    public let counts: [[Int]]

    /// `counts`: rows of equal length, at least one row and one column, none negative.
    public init(_ counts: [[Int]]) {
        precondition(!counts.isEmpty && !counts[0].isEmpty, "a table has at least one cell")
        precondition(counts.allSatisfy { $0.count == counts[0].count }, "every row has as many cells")
        precondition(counts.allSatisfy { $0.allSatisfy { $0 >= 0 } }, "counts are not negative")
        self.counts = counts
    }

    /// The cell-by-cell sum of tables of one shape (a quarter from its months).
    public static func sum(_ tables: [MarginalTable]) -> MarginalTable {
        precondition(!tables.isEmpty)
        var counts = tables[0].counts
        for t in tables.dropFirst() {
            for r in counts.indices { for c in counts[r].indices { counts[r][c] += t.counts[r][c] } }
        }
        return MarginalTable(counts)
    }

    public var rowCount: Int { counts.count }
    public var columnCount: Int { counts[0].count }

    /// The value at (`row`, `column`) of the extended table.
    public func value(_ row: Int, _ column: Int) -> Int {
        switch (row == rowCount, column == columnCount) {
        case (false, false): return counts[row][column]
        case (false, true): return counts[row].reduce(0, +)
        case (true, false): return counts.reduce(0) { $0 + $1[column] }
        case (true, true): return counts.joined().reduce(0, +)
        }
    }

    /// Whether (`row`, `column`) is a total (a margin or the grand total), not a count.
    public func isTotal(_ row: Int, _ column: Int) -> Bool {
        row == rowCount || column == columnCount
    }

    /// Every cell of the extended table, counts first (row by row), then the totals.
    var cells: [Cell] {
        let all = (0...rowCount).flatMap { r in (0...columnCount).map { Cell(row: r, column: $0) } }
        return all.filter { !isTotal($0.row, $0.column) } + all.filter { isTotal($0.row, $0.column) }
    }
}

/// A position in the extended table.
public struct Cell: Sendable, Hashable {
    public let row: Int
    public let column: Int

    public init(row: Int, column: Int) {
        self.row = row
        self.column = column
    }
}
