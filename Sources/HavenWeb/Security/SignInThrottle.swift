import Foundation

/// Failed sign-ins counted per name and per client address: the first few are free, then
/// each further attempt waits twice as long as the last, up to a quarter of an hour.
///
/// Per name, so a passphrase cannot be guessed from many addresses; per address, so one
/// machine cannot try one passphrase on many names. The price is that anyone can make a
/// person wait by failing in their name — a wait, never a lock: the person is told when
/// to try again, and an administrator need not act.
struct SignInThrottle: Sendable {
    /// Failures before any wait.
    static let free = 5
    static let firstWait: TimeInterval = 30
    static let longestWait: TimeInterval = 15 * 60

    private struct Count: Sendable {
        var failures: Int
        var last: Date
    }

    private var counts: [String: Count] = [:]

    /// When the next attempt for any of `keys` may be made; nil when it may be made now.
    func retryAfter(_ keys: [String], now: Date) -> Date? {
        var latest: Date?
        for key in keys {
            guard let count = counts[key], count.failures >= Self.free else { continue }
            let until = count.last.addingTimeInterval(Self.wait(afterFailures: count.failures))
            if until > now, latest.map({ until > $0 }) ?? true { latest = until }
        }
        return latest
    }

    /// The wait after `failures` failures (0 while they are free).
    static func wait(afterFailures failures: Int) -> TimeInterval {
        guard failures >= free else { return 0 }
        let doublings = min(failures - free, 10)
        return min(firstWait * pow(2, Double(doublings)), longestWait)
    }

    mutating func failed(_ keys: [String], now: Date) {
        for key in keys {
            var count = counts[key] ?? Count(failures: 0, last: now)
            count.failures += 1
            count.last = now
            counts[key] = count
        }
        // Old entries go, so the table cannot grow without bound.
        if counts.count > 10_000 {
            counts = counts.filter { now.timeIntervalSince($0.value.last) < Self.longestWait }
        }
    }

    /// Takes back one attempt counted by `failed` before it was known to fail (a success, or
    /// work refused as busy), so successes never add up to a wait.
    mutating func uncount(_ keys: [String]) {
        for key in keys {
            guard var count = counts[key] else { continue }
            count.failures -= 1
            counts[key] = count.failures > 0 ? count : nil
        }
    }

    /// A success clears the name's count (not the address's: a shared address may hold
    /// someone else's failures).
    mutating func succeeded(name key: String) {
        counts[key] = nil
    }
}
