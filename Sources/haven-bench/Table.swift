import Foundation

/// A plain text table for benchmark results.
struct ResultTable {
    let columns: [String]
    var rows: [[String]] = []

    mutating func add(_ row: [String]) { rows.append(row) }

    func print() {
        var widths = columns.map(\.count)
        for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], c.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }.joined(separator: " | ")
        }
        Swift.print(line(columns))
        Swift.print(widths.map { String(repeating: "-", count: $0) }.joined(separator: "-|-"))
        for r in rows { Swift.print(line(r)) }
    }
}

func format(_ v: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", v) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}
