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
        let kib = ProcStat.statusKiB(pid)
        state.withLock {
            $0.peaks.anonymous = max($0.peaks.anonymous, kib["RssAnon"] ?? 0)
            $0.peaks.file = max($0.peaks.file, kib["RssFile"] ?? 0)
        }
    }
}
