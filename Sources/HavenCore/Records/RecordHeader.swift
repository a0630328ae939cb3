/// Everything Haven trusts about a record apart from its field values: type, agency,
/// assignment, field versions, notes and consent history.
///
/// The header is stored sealed under the record's data key, so editing the database cannot
/// reassign a record, forge a consent grant or roll a single field back: the field versions
/// the header lists are the ones each field ciphertext must open under (see FORMAT.md).
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
    public var notes: [NoteMetadata]
    public var consent: ConsentState

    public init(id: RecordID, type: RecordTypeName, agency: AgencyName, status: RecordStatus = .open,
                version: UInt64 = 1, createdAt: Timestamp, createdBy: UserName,
                updatedAt: Timestamp? = nil, updatedBy: UserName? = nil,
                assignees: [UserName] = [], fieldVersions: [FieldName: UInt64] = [:],
                notes: [NoteMetadata] = [], consent: ConsentState = ConsentState()) {
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
        self.notes = notes
        self.consent = consent
    }

    public func isAssigned(_ user: UserName) -> Bool {
        assignees.contains(user)
    }

    public mutating func assign(_ user: UserName) {
        guard !assignees.contains(user) else { return }
        assignees.append(user)
        assignees.sort()
    }

    /// Marks a change by `user` at `time`: the next version of the header.
    public mutating func touch(by user: UserName, at time: Timestamp) {
        version += 1
        updatedAt = time
        updatedBy = user
    }
}
