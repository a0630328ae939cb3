import Foundation
import Synchronization

/// The daemon's memory as the kernel counts it, sampled every 20 ms from /proc/PID/status
/// on a thread of its own: its peak private (anonymous) memory — what the daemon itself
/// holds — and its peak file-backed resident memory (the pages of files it has mapped: its
/// binary and libraries, and a database file if SQLite mapped it), which the kernel may
/// drop at any time and VmHWM alone would blur into one figure with the first.
final class MemorySampler: Sendable {
    /// Peaks so far, in KiB.
    struct Peaks: Sendable {
        var anonymous = 0.0
        var file = 0.0
    }

    private let pid: Int32
    private let state = Mutex((peaks: Peaks(), running: true))

    init(pid: Int32) {
        self.pid = pid
        let thread = Thread { [self] in
            while state.withLock({ $0.running }) {
                sample()
                usleep(20_000)
            }
        }
        thread.name = "memory-sampler"
        thread.start()
    }

    var peaks: Peaks {
        sample()
        return state.withLock { $0.peaks }
    }

    func stop() {
        state.withLock { $0.running = false }
    }

    private func sample() {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return }
        var anonymous = 0.0, file = 0.0
        for line in status.split(separator: "\n") where line.hasPrefix("Rss") {
            let parts = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard parts.count >= 2, let kib = Double(parts[1]) else { continue }
            if parts[0] == "RssAnon:" { anonymous = kib }
            if parts[0] == "RssFile:" { file = kib }
        }
        state.withLock {
            $0.peaks.anonymous = max($0.peaks.anonymous, anonymous)
            $0.peaks.file = max($0.peaks.file, file)
        }
    }
}
