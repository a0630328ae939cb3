import Glibc
import HavenCore

extension PeopleDirectory {
    /// The wall clock (CLOCK_REALTIME) in milliseconds, for invitations' expiry; tests give a fixed one.
    struct SystemTime: HavenClock {
        func now() -> Timestamp {
            var ts = timespec()
            clock_gettime(CLOCK_REALTIME, &ts)
            return Timestamp(millisecondsSinceEpoch: Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000)
        }
    }
}
