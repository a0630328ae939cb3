/// A referral as it stands now: one entry of the record's sealed header, which every
/// decision on the record reads, so the state that grants access is bound to the record's
/// data key and its state tag like its consent. The words of each step (purpose, note,
/// reasons) are in the record's referral history rows (`ReferralEvent`), never here.
public struct Referral: Sendable, Equatable {
    public let id: ReferralID
    /// A service of `policy/referrals.yaml`, as it was named when the referral was made.
    public let service: String
    public let from: AgencyName
    public let to: AgencyName
    public var status: ReferralStatus
    public let createdBy: UserName
    public let createdAt: Timestamp
    public var updatedBy: UserName
    public var updatedAt: Timestamp
    /// The receiving agency's user who works it, named at acceptance: a role whose reach is
    /// its assigned records reaches this one only through this.
    public var assignee: UserName?

    public init(id: ReferralID, service: String, from: AgencyName, to: AgencyName, status: ReferralStatus = .pending,
                createdBy: UserName, createdAt: Timestamp, updatedBy: UserName? = nil, updatedAt: Timestamp? = nil,
                assignee: UserName? = nil) {
        self.id = id
        self.service = service
        self.from = from
        self.to = to
        self.status = status
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.updatedBy = updatedBy ?? createdBy
        self.updatedAt = updatedAt ?? createdAt
        self.assignee = assignee
    }
}
