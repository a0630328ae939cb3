import Foundation
import Glibc

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

    static func errorRaw(_ s: String) {
        write(Array(s.utf8), to: STDERR_FILENO)
    }

    static func raw(_ bytes: [UInt8]) {
        write(bytes, to: STDOUT_FILENO)
    }

    /// Pretty, key-sorted JSON of any answer (the daemon's JSON, re-encoded for humans and jq).
    static func json<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        if let data = try? encoder.encode(value) {
            write(Array(data) + [0x0A], to: STDOUT_FILENO)
        }
    }

    /// Writes everything, retrying short writes. A reader that went away (EPIPE) ends the
    /// command at once with the closed-pipe status; another failure of stdout (a full disk)
    /// is one line on stderr and exit status 1. Nothing is written to a failing stderr.
    static func write(_ bytes: [UInt8], to fd: Int32) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n >= 0 {
                offset += n
                continue
            }
            let failure = errno
            if failure == EINTR { continue }
            if failure == EPIPE { Glibc.exit(closedPipeStatus) }
            if fd == STDOUT_FILENO {
                error("haven: io_error: cannot write the output: \(String(cString: strerror(failure)))")
                Glibc.exit(ExitStatus.error.rawValue)
            }
            return
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
