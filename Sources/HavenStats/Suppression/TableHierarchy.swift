/// Tables published from the same records that add up: each month's table, each quarter's
/// (the sum of its months) and the year's (the sum of its quarters). A reader holds all of
/// them at once, so a hidden cell must stay hidden against every sum between them, not only
/// against its own table's margins.
///
/// Leaves are the finest tables (months); every other table is the sum of its children.
/// A table with no parent is a top (the year). One table alone is a hierarchy of one leaf.
public struct TableHierarchy: Sendable, Equatable {
    /// Leaves first, then their parents, then theirs.
    public let tables: [MarginalTable]
    /// `parent[i]`: the table that table `i` adds into; nil for a top.
    public let parent: [Int?]

    /// One table on its own.
    public init(single table: MarginalTable) {
        tables = [table]
        parent = [nil]
    }

    /// `groups[g]` lists the leaves that make up parent `g`, and `top` (if true) adds every
    /// parent into one table above them: months → quarters → year.
    public init(leaves: [MarginalTable], groups: [[Int]], top: Bool) {
        precondition(!leaves.isEmpty)
        precondition(leaves.allSatisfy { $0.rowCount == leaves[0].rowCount && $0.columnCount == leaves[0].columnCount },
                     "tables that add up have one shape")
        var tables = leaves
        var parent = [Int?](repeating: nil, count: leaves.count)
        for group in groups {
            let index = tables.count
            tables.append(MarginalTable.sum(group.map { leaves[$0] }))
            parent.append(nil)
            for leaf in group {
                precondition(parent[leaf] == nil, "a leaf belongs to one group")
                parent[leaf] = index
            }
        }
        if top {
            let index = tables.count
            let middle = groups.isEmpty ? Array(0..<leaves.count) : Array(leaves.count..<tables.count)
            tables.append(MarginalTable.sum(middle.map { tables[$0] }))
            parent.append(nil)
            for i in middle { parent[i] = index }
        }
        self.tables = tables
        self.parent = parent
    }

    /// Twelve months, their four quarters and the year.
    public static func calendarYear(months: [MarginalTable]) -> TableHierarchy {
        precondition(months.count == 12)
        return TableHierarchy(leaves: months, groups: (0..<4).map { q in [3 * q, 3 * q + 1, 3 * q + 2] }, top: true)
    }

    public var leaves: [Int] { (0..<tables.count).filter { i in !parent.contains(i) } }

    /// A leaf and every table above it: what one move inside the leaf changes.
    public func chain(of leaf: Int) -> [Int] {
        var out = [leaf]
        while let p = parent[out.last!] { out.append(p) }
        return out
    }
}
