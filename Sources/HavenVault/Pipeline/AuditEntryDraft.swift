import HavenAudit
import HavenCore
import HavenPolicy

/// A request's audit entry in progress: filled in as the request proceeds, so that whatever
/// way it ends (answered, denied, failed) it is logged with everything known so far.
struct AuditEntryDraft: Sendable {
    var event: AuditEvent

    init(action: String, peer: PeerCredentials) {
        event = AuditEvent(action: action, peer: peer.auditPeer, decision: .error, rule: "")
    }

    mutating func identify(_ user: EnrolledUser) {
        event.actor = AuditEvent.Actor(user: user.name.rawValue, role: user.role.rawValue, agency: user.agency.rawValue)
    }

    /// Copies what a decision relied on into the entry.
    mutating func note(_ decision: Decision) {
        event.decision = decision.allowed ? .allow : .deny
        event.rule = decision.rule
        event.policyVersion = decision.policyVersion
        event.withheld = decision.withheld.map { .init(field: $0.field.rawValue, reason: $0.reason) }
            + decision.withheldNotes.map { .init(field: "note#\($0.index)", reason: $0.reason) }
        event.consent = Dictionary(uniqueKeysWithValues: decision.consentRelied.map { ($0.key.rawValue, $0.value.description) })
        if decision.breakGlass { event.breakGlass = event.breakGlass ?? "" }
        if let order = decision.courtOrder { event.detail["court_order"] = order }
    }

    /// The entry for a request that ends with `error`.
    func failed(_ error: HavenError) -> AuditEvent {
        var e = event
        e.outcome = error.code.rawValue
        switch error.code {
        case .denied, .unauthenticated, .authenticationFailed, .lockedOut, .rateLimited, .tooManyConnections:
            e.decision = .deny
        default:
            e.decision = e.decision == .deny ? .deny : .error
        }
        if e.rule.isEmpty { e.rule = error.message }
        // What an integrity check found goes in the entry even when a decision set the rule,
        // so the auditor reads which row was rolled back, deleted or forged.
        if error.code == .integrityError { e.detail["integrity"] = error.message }
        e.released = []
        e.written = []
        return e
    }
}
