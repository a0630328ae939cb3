import HavenCore

/// The person asking, as authenticated.
public struct Subject: Sendable, Equatable {
    public let user: UserName
    public let role: RoleName
    public let agency: AgencyName

    public init(user: UserName, role: RoleName, agency: AgencyName) {
        self.user = user
        self.role = role
        self.agency = agency
    }
}

/// What the policy knows about a record: the facts of its (authenticated) header.
public struct RecordFacts: Sendable, Equatable {
    public let id: RecordID
    public let type: RecordType
    public let agency: AgencyName
    public let assignees: [UserName]
    public let consent: ConsentState
    public let notes: [NoteMetadata]
    /// Fields that hold a value, in schema order.
    public let presentFields: [FieldName]
    /// Every referral of the record as its header has it.
    public let referrals: [Referral]

    public init(id: RecordID, type: RecordType, agency: AgencyName, assignees: [UserName], consent: ConsentState,
                notes: [NoteMetadata], presentFields: [FieldName], referrals: [Referral] = []) {
        self.id = id
        self.type = type
        self.agency = agency
        self.assignees = assignees
        self.consent = consent
        self.notes = notes
        self.presentFields = presentFields
        self.referrals = referrals
    }
}

/// Everything a decision depends on (SPEC §2: a pure function of these).
public struct AccessRequest: Sendable {
    public var subject: Subject
    public var action: Action
    /// The record acted on; nil for create, list and vault-level actions.
    public var record: RecordFacts?
    /// For create: the type being created.
    public var recordType: RecordType?
    /// Read: the fields asked for (nil: every field the record holds). Create and update:
    /// the fields being written.
    public var fields: [FieldName]?
    /// note.add: the class of the note.
    public var noteClass: FieldClass?
    /// record.assign: the user being assigned or removed (named in a refusal).
    public var assignee: UserName?
    /// record.assign: the role of the user being assigned; for a removal, of the user as
    /// enrolled now, nil when they are revoked or unknown (a leaver).
    public var assigneeRole: RoleName?
    /// record.assign: the agency of the user being assigned (an assignment stays inside the
    /// record's agency; nil is refused).
    public var assigneeAgency: AgencyName?
    /// record.assign: an assignee is being removed, not added (decided as an assignment).
    public var removingAssignee: Bool
    public var purpose: String?
    public var breakGlassReason: String?
    public var courtOrder: String?
    /// referral.create: the service and the agency asked for.
    public var referral: ReferralAsk?
    public var now: Timestamp

    public init(subject: Subject, action: Action, record: RecordFacts? = nil, recordType: RecordType? = nil,
                fields: [FieldName]? = nil, noteClass: FieldClass? = nil, assigneeRole: RoleName? = nil, purpose: String? = nil,
                breakGlassReason: String? = nil, courtOrder: String? = nil, referral: ReferralAsk? = nil, now: Timestamp,
                assigneeAgency: AgencyName? = nil, removingAssignee: Bool = false, assignee: UserName? = nil) {
        self.subject = subject
        self.action = action
        self.record = record
        self.recordType = recordType
        self.fields = fields
        self.noteClass = noteClass
        self.assignee = assignee
        self.assigneeRole = assigneeRole
        self.assigneeAgency = assigneeAgency
        self.removingAssignee = removingAssignee
        self.purpose = purpose
        self.breakGlassReason = breakGlassReason
        self.courtOrder = courtOrder
        self.referral = referral
        self.now = now
    }
}

/// What a new referral asks for: a service of `referrals.yaml`, at an agency of the list.
public struct ReferralAsk: Sendable, Equatable {
    public let service: String
    public let to: AgencyName

    public init(service: String, to: AgencyName) {
        self.service = service
        self.to = to
    }
}
