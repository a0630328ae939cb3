import Dispatch
import HavenPolicy
import Synchronization

/// The users the `find` workload searches as, one connection each, and the finds each has
/// left under `find_limit`: havend holds each user to a token bucket, so a load of thousands
/// of finds a second is spread over enough users that none of them is ever refused, and the
/// rows measure what a find costs the daemon rather than how it refuses a script.
///
/// The ledger mirrors the daemon's bucket from below: a find is counted from when it was
/// sent (the daemon takes its token later), and the refill of a user's bucket restarts only
/// when the answer has arrived, less a margin for the daemon's whole milliseconds. So the
/// bench never believes a user has a find the daemon would refuse. When no idle user has
/// one left, the run ends early (`spent`) rather than wait for a refill, which would measure
/// the throttle again.
final class FinderPool: Sendable {
    private struct Ledger {
        var tokens: [Double]
        var at: [Double]
        var busy: [Bool]
        var next = 0
        var spent = false
    }

    let limit: FindLimit
    let count: Int
    private let ledger: Mutex<Ledger>

    /// Seconds of refill the ledger forgoes at each answer, for the daemon's clock rounding.
    private static let margin = 0.01

    /// `count` users that have not searched since the daemon started: full buckets.
    init(count: Int, limit: FindLimit) {
        self.limit = limit
        self.count = count
        ledger = Mutex(Ledger(tokens: Array(repeating: Double(limit.burst), count: count),
                              at: Array(repeating: 0, count: count), busy: Array(repeating: false, count: count)))
    }

    static func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// An idle user with a find left, taken from its bucket and marked busy; nil when none
    /// has one (and the pool is then `spent` for the run, unless every user was busy).
    func checkOut() -> Int? {
        let now = Self.now()
        return ledger.withLock { l -> Int? in
            var idle = false
            for step in 0..<count {
                let n = (l.next + step) % count
                guard !l.busy[n] else { continue }
                idle = true
                let refill = l.at[n] == 0 ? 0 : max(now - l.at[n] - Self.margin, 0) / Double(limit.secondsPerFind)
                let tokens = min(Double(limit.burst), l.tokens[n] + refill)
                guard tokens >= 1 else { continue }
                l.tokens[n] = tokens - 1
                l.at[n] = now
                l.busy[n] = true
                l.next = (n + 1) % count
                return n
            }
            l.spent = l.spent || idle
            return nil
        }
    }

    /// The n-th user's find has been answered: its refill counts from now.
    func checkIn(_ n: Int) {
        let now = Self.now()
        ledger.withLock { l in
            l.busy[n] = false
            l.at[n] = now
        }
    }

    /// Whether a run has found no user with a find left since the last `startRun`.
    var spent: Bool { ledger.withLock { $0.spent } }

    func startRun() { ledger.withLock { $0.spent = false } }
}
