import HavenAudit
import HavenCore
import HavenCrypto

/// A root key rotation by shares between its two steps: the new key split, each new share
/// sealed to its custodian and handed out, and the current shares the custodians have
/// offered so far, one by one, each from their own terminal.
///
/// Invariant: no single request both starts a ceremony and completes it, and no request
/// carries more than one current share, so no one process — the administrator's included —
/// ever holds the current key's shares together, and no answer holds a new share in clear.
/// The daemon combines the offered shares only once `threshold` distinct current shares are
/// in; a later split replaces the ceremony and forgets what was offered to it.
struct RotationCeremony: Sendable {
    let id: String
    let root: RootKey
    let prepared: RootKeyCustody.Prepared
    /// The split's entry (the administrator who started it), which the commit's extends.
    let event: AuditEvent
    var offered: [UInt8: ShareFile] = [:]

    init(id: String, root: RootKey, prepared: RootKeyCustody.Prepared, event: AuditEvent) {
        self.id = id
        self.root = root
        self.prepared = prepared
        self.event = event
    }

    enum Outcome {
        /// Taken; this many more current shares are needed.
        case needMore(Int)
        /// The threshold is reached: the current shares, to combine.
        case complete([Shamir.Share])
    }

    /// Takes one current share, already checked against the share set in force.
    mutating func offer(_ share: ShareFile, threshold: Int) throws(HavenError) -> Outcome {
        guard offered[share.index] == nil else {
            throw HavenError(.conflict, "share \(share.index) has already been offered to rotation \(id); "
                             + "\(threshold - offered.count) more needed", hint: "another custodian offers theirs")
        }
        offered[share.index] = share
        guard offered.count >= threshold else { return .needMore(threshold - offered.count) }
        defer { offered = [:] }
        return .complete(offered.values.map(\.share))
    }
}
