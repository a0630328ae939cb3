/// One step of a record's referral history, sealed as a row of its own (like a consent
/// event) and counted by the header: who made, accepted, declined, revoked or closed which
/// referral, who was named or unnamed to work it after acceptance, when, and the words they gave.
public struct ReferralEvent: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case create, accept, decline, revoke, close
        /// The receiving agency's desk names (or hands over to) the user who works an accepted referral.
        case assign
        /// The receiving agency's desk unnames the user who worked it.
        case unassign
    }

    public let referral: ReferralID
    public let kind: Kind
    public let by: UserName
    public let at: Timestamp
    public let service: String
    public let to: AgencyName
    /// Create: why the survivor is referred. Decline, revoke, close: the reason.
    public let text: String?
    /// Create: the note for the receiving agency (survivor data: sealed, shown to the
    /// receiving agency only once it has accepted).
    public let note: String?
    /// Accept, assign: the user named to work it. Unassign: the user unnamed.
    public let assignee: UserName?

    public init(referral: ReferralID, kind: Kind, by: UserName, at: Timestamp, service: String, to: AgencyName,
                text: String? = nil, note: String? = nil, assignee: UserName? = nil) {
        self.referral = referral
        self.kind = kind
        self.by = by
        self.at = at
        self.service = service
        self.to = to
        self.text = text
        self.note = note
        self.assignee = assignee
    }
}
