import HavenCore

/// What happened, as the vault service reports it; the audit chain adds sequence number,
/// time and the link to the previous entry to make an `AuditEntry`.
///
/// Field *names* only, never values: the log is read by auditors who must never see a
/// survivor's data, and it is exported to third parties.
public struct AuditEvent: Sendable, Equatable {
    public enum Decision: String, Sendable, Codable {
        case allow
        case deny
        /// Allowed by policy but not completed (integrity failure, not found, bad input).
        case error
    }

    public struct Actor: Sendable, Equatable, Codable {
        public let user: String
        public let role: String
        public let agency: String

        public init(user: String, role: String, agency: String) {
            self.user = user
            self.role = role
            self.agency = agency
        }
    }

    public struct Peer: Sendable, Equatable, Codable {
        public let uid: UInt32
        public let pid: Int32

        public init(uid: UInt32, pid: Int32) {
            self.uid = uid
            self.pid = pid
        }
    }

    public struct Withheld: Sendable, Equatable, Codable {
        public let field: String
        public let reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    /// The action name from the policy's action list, or a ceremony (`vault.init`, `daemon.start` …).
    public var action: String
    /// Who asked; nil when no one was authenticated (a failed login, a daemon start).
    public var actor: Actor?
    /// The socket peer (SO_PEERCRED), nil for ceremonies run locally.
    public var peer: Peer?
    public var record: String?
    /// Field names whose values were returned.
    public var released: [String]
    /// Field names whose values were written (created or updated).
    public var written: [String]
    public var withheld: [Withheld]
    public var purpose: String?
    public var decision: Decision
    /// The rule that decided, e.g. `role counsellor: record.read on assigned records`.
    public var rule: String
    /// Consent flags the decision relied on, with their state (`granted`, `withdrawn` …).
    public var consent: [String: String]
    public var policyVersion: String?
    /// The stated reason when the glass was broken; nil otherwise.
    public var breakGlass: String?
    /// `ok`, or the error code the caller received.
    public var outcome: String
    /// Extra facts for ceremonies and changes (e.g. the user added, the consent flag granted).
    public var detail: [String: String]

    public init(action: String, actor: Actor? = nil, peer: Peer? = nil, record: String? = nil,
                released: [String] = [], written: [String] = [], withheld: [Withheld] = [], purpose: String? = nil,
                decision: Decision, rule: String, consent: [String: String] = [:], policyVersion: String? = nil,
                breakGlass: String? = nil, outcome: String = "ok", detail: [String: String] = [:]) {
        self.action = action
        self.actor = actor
        self.peer = peer
        self.record = record
        self.released = released
        self.written = written
        self.withheld = withheld
        self.purpose = purpose
        self.decision = decision
        self.rule = rule
        self.consent = consent
        self.policyVersion = policyVersion
        self.breakGlass = breakGlass
        self.outcome = outcome
        self.detail = detail
    }
}
