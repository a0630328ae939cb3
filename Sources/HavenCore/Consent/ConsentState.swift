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

/// The consent history of one record, and what it means at a given moment.
public struct ConsentState: Sendable, Equatable {
    public private(set) var events: [ConsentEvent]

    public init(events: [ConsentEvent] = []) {
        self.events = events
    }

    /// The latest event for a flag decides; an expired grant counts as not granted.
    public func status(of flag: ConsentFlag, at now: Timestamp) -> ConsentStatus {
        guard let last = events.last(where: { $0.flag == flag }) else { return .never }
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

    public mutating func append(_ event: ConsentEvent) {
        events.append(event)
    }
}
