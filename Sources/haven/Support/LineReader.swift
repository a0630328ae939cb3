import Glibc
import HavenCore
import HavenSystem

/// Reads a file line by line in 1 MiB chunks, so a multi-gigabyte export is never
/// held in memory at once.
final class LineReader {
    private let fd: Int32
    private var buffer = [UInt8]()
    private var start = 0
    private var eof = false

    init(path: String) throws {
        fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw HavenError(.ioError, "cannot open \(path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(fd) }

    /// Calls `body` with each line (without its newline), in order.
    func forEachLine(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            if let nl = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start..<nl])) }
                start = nl + 1
                continue
            }
            if eof {
                if start < buffer.count {
                    try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[start...])) }
                }
                return
            }
            buffer.removeFirst(start)
            start = 0
            let n: Int
            do {
                n = try systemCall("read") { chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress!, $0.count) } }
            } catch {
                throw HavenError(.ioError, "read failed: \(error.reason)")
            }
            if n == 0 { eof = true } else { buffer.append(contentsOf: chunk[0..<n]) }
        }
    }
}

/// Progress for long operations, on stderr and only when it is a terminal.
struct Progress {
    let label: String
    let total: UInt64
    private let enabled = isatty(2) == 1
    private var shown: UInt64 = 0

    init(label: String, total: UInt64) {
        self.label = label
        self.total = total
    }

    mutating func update(_ done: UInt64) {
        guard enabled, total > 0, done - shown >= max(total / 100, 1) || done == total else { return }
        shown = done
        Output.errorRaw("\r\(label): \(done)/\(total) (\(done * 100 / total)%)" + (done == total ? "\n" : ""))
    }
}
