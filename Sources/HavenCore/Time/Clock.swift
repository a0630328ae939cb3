/// Where "now" comes from; the daemon uses the system clock, tests a fixed one.
public protocol HavenClock: Sendable {
    func now() -> Timestamp
}
