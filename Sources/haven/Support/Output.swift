import Foundation

/// Writing to stdout and stderr; human tables and JSON.
enum Output {
    static func line(_ s: String = "") {
        FileHandle.standardOutput.write(Data((s + "\n").utf8))
    }

    static func error(_ s: String) {
        FileHandle.standardError.write(Data((s + "\n").utf8))
    }

    static func errorRaw(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }

    /// Pretty, key-sorted JSON of any answer (the daemon's JSON, re-encoded for humans and jq).
    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) {
            FileHandle.standardOutput.write(data + Data("\n".utf8))
        }
    }

    /// Columns padded to the widest cell (counted in characters, so Lao and Vietnamese align).
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], cell.count) } }
        for row in all {
            let cells = row.enumerated().map { i, c in i == row.count - 1 ? c : c.padding(toLength: widths[i], withPad: " ", startingAt: 0) }
            line(cells.joined(separator: "  "))
        }
    }
}
