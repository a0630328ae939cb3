import Foundation
import Glibc
import HavenCore
import HavenSystem

/// Writing to stdout and stderr; human tables and JSON.
///
/// Written with write(2), not FileHandle, whose write traps on any error: output piped into
/// `head` must end the command quietly, as it ends `cat`, not with a backtrace.
enum Output {
    /// The status a shell reports for a command stopped by a closed pipe (128 + SIGPIPE).
    static let closedPipeStatus: Int32 = 128 + SIGPIPE

    static func line(_ s: String = "") {
        write(Array((s + "\n").utf8), to: STDOUT_FILENO)
    }

    static func error(_ s: String) {
        write(Array((s + "\n").utf8), to: STDERR_FILENO)
    }

    static func errorBytes(_ bytes: [UInt8]) {
        write(bytes, to: STDERR_FILENO)
    }

    static func errorRaw(_ s: String) {
        write(Array(s.utf8), to: STDERR_FILENO)
    }

    static func raw(_ bytes: [UInt8]) {
        write(bytes, to: STDOUT_FILENO)
    }

    /// Pretty, key-sorted JSON of any answer (the daemon's JSON, re-encoded for humans and jq).
    static func json<T: Encodable>(_ value: T) {
        write(jsonBytes(value), to: STDOUT_FILENO)
    }

    /// The same JSON as bytes, with its final line break (for a file).
    static func jsonBytes<T: Encodable>(_ value: T) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return [] }
        return Array(data) + [0x0A]
    }

    /// The last line of a page that has more after it: how many (the daemon counts up to
    /// 10,000) and the option that shows the next page.
    static func more(_ remaining: some BinaryInteger, option: String, cursor: String) {
        let count = remaining >= 10_000 ? "10,000+" : Int(remaining).formatted()
        line("… \(count) more: \(option) \(cursor) (or --all)")
    }

    /// A value for one table cell: line breaks and tabs shown as \n, \r, \t, and every other
    /// control or direction-changing character as "?", so a typed value can neither add a row
    /// nor move the cursor, recolour the terminal or reorder what follows it.
    static func cell(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\n": out.append(contentsOf: "\\n".unicodeScalars)
            case "\r": out.append(contentsOf: "\\r".unicodeScalars)
            case "\t": out.append(contentsOf: "\\t".unicodeScalars)
            default:
                let bidi = (0x202A...0x202E).contains(scalar.value) || (0x2066...0x2069).contains(scalar.value)
                out.append(scalar.properties.generalCategory == .control || bidi ? "?" : scalar)
            }
        }
        return String(out)
    }

    /// Writes everything, retrying short writes. A reader that went away (EPIPE) ends the
    /// command at once with the closed-pipe status; another failure of stdout (a full disk)
    /// is one line on stderr and exit status 1. Nothing is written to a failing stderr.
    static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            do {
                offset += try systemCall("write") { bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) } }
            } catch {
                if error.code == EPIPE { Glibc.exit(closedPipeStatus) }
                if fd == STDOUT_FILENO {
                    Self.error("haven: io_error: cannot write the output: \(error.reason)")
                    Glibc.exit(ExitStatus.error.rawValue)
                }
                return
            }
        }
    }

    /// Columns padded to the widest cell, in display columns (DisplayWidth), so Lao and
    /// Vietnamese align.
    /// Cells hold what users typed (purposes, reasons), so each is made inert first.
    static func table(_ header: [String], _ rows: [[String]]) {
        let all = [header] + rows.map { $0.map(cell) }
        var widths = [Int](repeating: 0, count: header.count)
        for row in all { for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell)) } }
        for row in all {
            let cells = row.enumerated().map { i, c in i == row.count - 1 ? c : DisplayWidth.pad(c, to: widths[i]) }
            line(cells.joined(separator: "  "))
        }
    }
}
