/// Everything Haven trusts about a record apart from its field values and history: type,
/// agency, assignment, field versions, how many notes, consent events and referral steps it
/// has, the latest consent event of each flag, and where each of its referrals stands.
///
/// The header is stored sealed under the record's data key, so editing the database cannot
/// reassign a record, forge a consent grant or roll a single field back: the field versions
/// the header lists are the ones each field ciphertext must open under (see FORMAT.md).
/// It stays the same size whatever the record's history: notes and consent events are
/// sealed rows of their own, counted here, so a read never opens more than it decides on.
public struct RecordHeader: Sendable, Equatable {
    public let id: RecordID
    public var type: RecordTypeName
    public var agency: AgencyName
    public var status: RecordStatus
    /// Incremented by every change to the record; bound into the header's own ciphertext.
    public var version: UInt64
    public let createdAt: Timestamp
    public let createdBy: UserName
    public var updatedAt: Timestamp
    public var updatedBy: UserName
    /// Sorted and unique.
    public private(set) var assignees: [UserName]
    public var fieldVersions: [FieldName: UInt64]
    /// Notes in the record; note `noteCount + 1` is the next.
    public private(set) var noteCount: UInt64
    public var consent: ConsentState
    /// Every referral of the record as it now stands, oldest first; each step of them is
    /// a sealed row of its own, `referralEvents` counts them (event `referralEvents + 1` is
    /// the next).
    public private(set) var referrals: [Referral]
    public private(set) var referralEvents: UInt64
    /// The history a header of format 1 carried inside itself, until the record's next
    /// change moves it into rows of its own (`HistoryRows`); nil in every newer header.
    public var inlineHistory: InlineHistory?

    public init(id: RecordID, type: RecordTypeName, agency: AgencyName, status: RecordStatus = .open,
                version: UInt64 = 1, createdAt: Timestamp, createdBy: UserName,
                updatedAt: Timestamp? = nil, updatedBy: UserName? = nil,
                assignees: [UserName] = [], fieldVersions: [FieldName: UInt64] = [:],
                noteCount: UInt64 = 0, consent: ConsentState = ConsentState(), referrals: [Referral] = [],
                referralEvents: UInt64 = 0, inlineHistory: InlineHistory? = nil) {
        self.id = id
        self.type = type
        self.agency = agency
        self.status = status
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt ?? createdAt
        self.updatedBy = updatedBy ?? createdBy
        self.assignees = Array(Set(assignees)).sorted()
        self.fieldVersions = fieldVersions
        self.noteCount = noteCount
        self.consent = consent
        self.referrals = referrals
        self.referralEvents = referralEvents
        self.inlineHistory = inlineHistory
    }

    public mutating func assign(_ user: UserName) {
        guard !assignees.contains(user) else { return }
        assignees.append(user)
        assignees.sort()
    }

    /// Removes `user` from the assignees; false when they were not assigned.
    public mutating func unassign(_ user: UserName) -> Bool {
        guard let i = assignees.firstIndex(of: user) else { return false }
        assignees.remove(at: i)
        return true
    }

    /// Counts the next note and returns its metadata.
    public mutating func addNote(_ fieldClass: FieldClass, by author: UserName, at time: Timestamp) -> NoteMetadata {
        noteCount += 1
        return NoteMetadata(index: noteCount, fieldClass: fieldClass, author: author, createdAt: time)
    }

    /// Records a step of a referral: the referral as it now stands (a new one is appended),
    /// and the index of the history row that holds the step.
    public mutating func recordReferral(_ referral: Referral) -> UInt64 {
        if let i = referrals.firstIndex(where: { $0.id == referral.id }) {
            referrals[i] = referral
        } else {
            referrals.append(referral)
        }
        referralEvents += 1
        return referralEvents
    }

    public func referral(_ id: ReferralID) -> Referral? {
        referrals.first { $0.id == id }
    }

    /// Marks a change by `user` at `time`: the next version of the header.
    public mutating func touch(by user: UserName, at time: Timestamp) {
        version += 1
        updatedAt = time
        updatedBy = user
    }
}

/// A format-1 header's notes and consent events, as it carried them.
public struct InlineHistory: Sendable, Equatable {
    public let notes: [NoteMetadata]
    public let consent: [ConsentEvent]

    public init(notes: [NoteMetadata], consent: [ConsentEvent]) {
        self.notes = notes
        self.consent = consent
    }
}
