@testable import HavenStats
import Testing

/// Suppression across a month, its quarter and its year: named hierarchies where tables
/// protected one by one leak by subtraction, and many small ones, each release re-checked
/// by `DerivableAcrossTables` (brute force, independent of the method).
@Suite struct HierarchySuppressionTests {
    static func shown(_ s: SuppressedHierarchy, _ t: Int) -> [[String]] {
        let table = s.table(t)
        return (0...table.table.rowCount).map { r in (0...table.table.columnCount).map { table.shown(r, $0) } }
    }

    /// A 2 in one month, protected inside its own table; the quarter shows 12 where the
    /// other month shows 10, so the quarter minus the other month gives the 2 back.
    @Test func aMonthProtectedAloneIsRecoveredFromItsQuarterAndTheOtherMonth() {
        let m1 = MarginalTable([[2, 10], [10, 10]])
        let m2 = MarginalTable([[10, 10], [10, 10]])
        let quarter = TableHierarchy(leaves: [m1, m2], groups: [], top: true)

        // Each table suppressed on its own, as a release of three separate tables would be.
        let alone = (0..<3).map { CellSuppression.apply(quarter.tables[$0], threshold: 5) }
        #expect(alone[0].smallCount == 1 && alone[1].smallCount == 0 && alone[2].smallCount == 0)
        var statuses = [[CellStatus]]()
        for t in alone {
            statuses.append((0...2).flatMap { r in (0...2).map { t.status[Cell(row: r, column: $0)]! } })
        }
        let separately = SuppressedHierarchy(hierarchy: quarter, threshold: 5, status: statuses, columns: 3, unprotectable: [])
        let leaks = DerivableAcrossTables(published: separately).find()
        #expect(leaks.contains { $0.table == 0 && $0.cell == Cell(row: 0, column: 0) }, "\(leaks)")

        let together = HierarchySuppression.apply(quarter, threshold: 5)
        #expect(together.unprotectable.isEmpty)
        #expect(DerivableAcrossTables(published: together).find().isEmpty)
        // The quarter hides the four counts the month hides, so the month's cycle moves the
        // quarter too; the other month shows everything (nothing of it is small).
        #expect(Self.shown(together, 0) == [["<5", "x", "12"], ["x", "x", "20"], ["12", "20", "32"]])
        #expect(Self.shown(together, 2) == [["x", "x", "32"], ["x", "x", "40"], ["32", "40", "72"]])
        #expect(Self.shown(together, 1) == [["10", "10", "20"], ["10", "10", "20"], ["20", "20", "40"]])
    }

    /// Twelve months, four quarters and a year, every month a 2×2 table: the release from
    /// `calendarYear` is checked as a whole (a small brute force per quarter would miss a
    /// leak through the year, so the checker sees all 17 tables).
    @Test func aCalendarYearIsSafeAcrossMonthsQuartersAndTheYear() {
        let months = (0..<12).map { m in MarginalTable([[m == 0 || m == 9 ? 1 : 6, 7], [9, m == 4 ? 2 : 8]]) }
        let release = HierarchySuppression.apply(.calendarYear(months: months), threshold: 5)
        #expect(release.unprotectable.isEmpty)
        #expect(release.hierarchy.tables.count == 17)
        #expect(release.hierarchy.tables[16].value(2, 2) == months.reduce(0) { $0 + $1.value(2, 2) })
        #expect([0, 4, 9].allSatisfy { release.smallCount($0) > 0 })
        // A month with nothing small still hides nothing, though its quarter and year hide
        // the cells its neighbours' cycles pass through.
        #expect(release.smallCount(1) == 0 && release.complementaryCount(1) == 0)
        #expect(release.complementaryCount(12) > 0 && release.complementaryCount(16) > 0)
        #expect(DerivableAcrossTables(published: release).find().isEmpty)
    }

    /// Quarters of three 2×2 months over a fixed stride of small values (the same cases
    /// every run): each release is either safe by the brute-force check, or says it cannot
    /// be published.
    @Test func manyQuartersAreSafeByTheIndependentCheck() {
        let values = [0, 1, 3, 7]
        var checked = 0, publishable = 0
        for index in stride(from: 5, to: 1 << 24, by: 199_999) {
            var n = index
            let months = (0..<3).map { _ in
                MarginalTable((0..<2).map { _ in (0..<2).map { _ in defer { n /= 4 }; return values[n % 4] } })
            }
            let release = HierarchySuppression.apply(TableHierarchy(leaves: months, groups: [], top: true), threshold: 5)
            checked += 1
            guard release.unprotectable.isEmpty else { continue }
            publishable += 1
            let leaks = DerivableAcrossTables(published: release).find()
            #expect(leaks.isEmpty, "\(months.map(\.counts)): \(leaks)")
        }
        #expect(checked > 80 && publishable * 10 >= checked * 5, "\(publishable) of \(checked) publishable")
        print("quarters: \(publishable) of \(checked) publishable")
    }
}
