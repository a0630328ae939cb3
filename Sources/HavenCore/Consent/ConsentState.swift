/// Where one consent flag stands at a given moment.
public enum ConsentStatus: Sendable, Equatable, CustomStringConvertible {
    case granted(expiresAt: Timestamp?)
    case withdrawn
    case expired
    case never

    public var isGranted: Bool {
        if case .granted = self { return true }
        return false
    }

    /// The word used in audit entries, API answers and policy rule names.
    public var description: String {
        switch self {
        case .granted: return "granted"
        case .withdrawn: return "withdrawn"
        case .expired: return "expired"
        case .never: return "never"
        }
    }
}

/// What a record's consent history means for decisions: the latest event of each flag, and
/// how many events there are. The history itself is kept in sealed rows of its own
/// (`consent_events`), so a decision never reads it, however long it grows.
public struct ConsentState: Sendable, Equatable {
    /// The last event recorded for each flag; only it decides the flag's status.
    public private(set) var latest: [ConsentFlag: ConsentEvent]
    /// Events in the whole history; the next one is number `count + 1`.
    public private(set) var count: UInt64

    public init(latest: [ConsentFlag: ConsentEvent] = [:], count: UInt64 = 0) {
        self.latest = latest
        self.count = count
    }

    /// The state a whole history leaves (a header of format 1 carried the history inline).
    public init(history: [ConsentEvent]) {
        self.init()
        for event in history { append(event) }
    }

    /// The latest event for a flag decides; an expired grant counts as not granted.
    public func status(of flag: ConsentFlag, at now: Timestamp) -> ConsentStatus {
        guard let last = latest[flag] else { return .never }
        switch last.kind {
        case .withdraw:
            return .withdrawn
        case .grant:
            if let expiry = last.expiresAt, expiry <= now { return .expired }
            return .granted(expiresAt: last.expiresAt)
        }
    }

    public func statuses(at now: Timestamp) -> [ConsentFlag: ConsentStatus] {
        var out = [ConsentFlag: ConsentStatus]()
        for flag in ConsentFlag.allCases { out[flag] = status(of: flag, at: now) }
        return out
    }

    /// Records the next event; returns its position in the history (from 1).
    @discardableResult
    public mutating func append(_ event: ConsentEvent) -> UInt64 {
        latest[event.flag] = event
        count += 1
        return count
    }
}
