import HavenPolicy
import Synchronization

/// The policy in force. Replaced whole on a successful reload; every request takes one
/// snapshot and decides with it, so a reload never mixes two policies in one decision.
public final class PolicyHolder: Sendable {
    private let current: Mutex<Policy>

    public init(_ policy: Policy) {
        current = Mutex(policy)
    }

    public var policy: Policy {
        current.withLock { $0 }
    }

    func replace(with policy: Policy) {
        current.withLock { $0 = policy }
    }
}
