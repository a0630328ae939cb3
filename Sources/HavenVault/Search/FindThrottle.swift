import Dispatch
import HavenCore
import HavenPolicy
import Synchronization

/// Holds each user's finds to a person's pace (`find_limit` of the role, `FindLimit`): a
/// token bucket per user name, shared by every connection of the daemon, so that opening
/// more sessions buys no more finds. A search is the one request that answers about records
/// the caller may not read; without a bound, one script could try every name in a list or
/// every birth date of a year in a minute.
///
/// Kept in memory: a restart of havend refills every bucket, which gives a script at most
/// one more burst per restart, and a restart is itself in the log. Timed by the monotonic
/// clock, so a wall clock set back neither stalls a user nor, set forward, refills a bucket.
final class FindThrottle: Sendable {
    struct Bucket {
        var tokens: Double
        var at: Int64
    }

    enum Verdict: Equatable {
        case allowed
        /// Refused; a token is due in this many whole seconds (at least 1).
        case refused(retryAfterSeconds: Int)
    }

    private let buckets = Mutex<[UserName: Bucket]>([:])

    /// Takes one find from `user`'s bucket now, if one is there.
    func take(_ user: UserName, limit: FindLimit) -> Verdict {
        take(user, limit: limit, atMilliseconds: Int64(DispatchTime.now().uptimeNanoseconds / 1_000_000))
    }

    /// Takes one find from `user`'s bucket at `ms` on a monotonic clock, if one is there.
    func take(_ user: UserName, limit: FindLimit, atMilliseconds ms: Int64) -> Verdict {
        let refillMs = Double(limit.secondsPerFind) * 1000
        return buckets.withLock { b in
            var bucket = b[user] ?? Bucket(tokens: Double(limit.burst), at: ms)
            // A policy reloaded with a lower burst caps what is held at once.
            let elapsed = Double(max(ms - bucket.at, 0))
            bucket.tokens = min(Double(limit.burst), bucket.tokens + elapsed / refillMs)
            bucket.at = max(ms, bucket.at)
            defer { b[user] = bucket }
            guard bucket.tokens >= 1 else {
                let wait = (1 - bucket.tokens) * refillMs / 1000
                return .refused(retryAfterSeconds: max(1, Int(wait.rounded(.up))))
            }
            bucket.tokens -= 1
            return .allowed
        }
    }

    /// The error a refused find is answered with.
    static func refusal(_ retryAfterSeconds: Int, limit: FindLimit) -> HavenError {
        HavenError(.rateLimited,
                   "too many finds: \(limit.burst) at once, then one every \(limit.secondsPerFind) s",
                   hint: "try again in \(retryAfterSeconds) s")
    }
}
