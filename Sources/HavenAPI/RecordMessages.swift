import HavenCore

/// `POST /v1/records` body.
public struct CreateRecordRequest: Codable, Sendable {
    public let type: String
    public let fields: [String: String]
    public let assign: [String]?

    public init(type: String, fields: [String: String], assign: [String]?) {
        self.type = type
        self.fields = fields
        self.assign = assign
    }

    enum CodingKeys: String, CodingKey { case type, fields, assign }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["type", "fields", "assign"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decode(String.self, forKey: .type)
        fields = try c.decode([String: String].self, forKey: .fields)
        assign = try c.decodeIfPresent([String].self, forKey: .assign)
    }
}

extension CreateRecordRequest: TreeDecodable {
    /// See `TreeDecodable`.
    public init(tree: JSONValue) throws(HavenError) {
        let o = try RequestObject(tree, allowed: ["type", "fields", "assign"])
        self.init(type: try o.string("type"), fields: try o.stringMap("fields"), assign: try o.optionalStrings("assign"))
    }
}

/// `POST /v1/records` and `PATCH /v1/records/{id}` answer.
public struct RecordWriteResponse: Codable, Sendable {
    public let id: String
    public let version: UInt64
    /// A create only, when existing records look like the same survivor.
    public var possibleDuplicates: PossibleDuplicates?
    /// A create only: the new record's case number at the creator's agency (nil from a
    /// daemon older than case numbers).
    public var caseNumber: String?

    public init(id: String, version: UInt64, possibleDuplicates: PossibleDuplicates? = nil, caseNumber: String? = nil) {
        self.id = id
        self.version = version
        self.possibleDuplicates = possibleDuplicates
        self.caseNumber = caseNumber
    }

    enum CodingKeys: String, CodingKey {
        case id, version
        case possibleDuplicates = "possible_duplicates"
        case caseNumber = "case_number"
    }
}

/// `POST /v1/records/{id}/read` body.
public struct ReadRecordRequest: Codable, Sendable {
    public let purpose: String
    public let fields: [String]?
    public let breakGlass: String?
    /// Only notes before this index (exclusive); nil means up to the latest.
    public let notesBefore: UInt64?
    /// At most this many notes, the latest of the range (default and bounds: `HistoryPage`).
    public let notesLimit: Int?

    public init(purpose: String, fields: [String]?, breakGlass: String?, notesBefore: UInt64? = nil, notesLimit: Int? = nil) {
        self.purpose = purpose
        self.fields = fields
        self.breakGlass = breakGlass
        self.notesBefore = notesBefore
        self.notesLimit = notesLimit
    }

    enum CodingKeys: String, CodingKey {
        case purpose, fields
        case breakGlass = "break_glass"
        case notesBefore = "notes_before"
        case notesLimit = "notes_limit"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["purpose", "fields", "break_glass", "notes_before", "notes_limit"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        purpose = try c.decode(String.self, forKey: .purpose)
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
        breakGlass = try c.decodeIfPresent(String.self, forKey: .breakGlass)
        notesBefore = try c.decodeIfPresent(UInt64.self, forKey: .notesBefore)
        notesLimit = try c.decodeIfPresent(Int.self, forKey: .notesLimit)
    }
}

extension ReadRecordRequest: TreeDecodable {
    /// Sent with every read; see `TreeDecodable`.
    public init(tree: JSONValue) throws(HavenError) {
        let o = try RequestObject(tree, allowed: ["purpose", "fields", "break_glass", "notes_before", "notes_limit"])
        self.init(purpose: try o.string("purpose"), fields: try o.optionalStrings("fields"), breakGlass: try o.optionalString("break_glass"),
                  notesBefore: try o.optionalInteger("notes_before", UInt64.self), notesLimit: try o.optionalInteger("notes_limit", Int.self))
    }
}

/// `PATCH /v1/records/{id}` body.
public struct UpdateRecordRequest: Codable, Sendable {
    public let fields: [String: String]

    public init(fields: [String: String]) {
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey { case fields }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["fields"])
        fields = try decoder.container(keyedBy: CodingKeys.self).decode([String: String].self, forKey: .fields)
    }
}

extension UpdateRecordRequest: TreeDecodable {
    /// See `TreeDecodable`.
    public init(tree: JSONValue) throws(HavenError) {
        self.init(fields: try RequestObject(tree, allowed: ["fields"]).stringMap("fields"))
    }
}

/// `POST /v1/records/{id}/assign` body.
public struct AssignRequest: Codable, Sendable {
    public let user: String

    public init(user: String) {
        self.user = user
    }

    enum CodingKeys: String, CodingKey { case user }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["user"])
        user = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .user)
    }
}

/// `POST /v1/records/{id}/notes` body.
public struct AddNoteRequest: Codable, Sendable {
    public let noteClass: String
    public let text: String

    public init(noteClass: String, text: String) {
        self.noteClass = noteClass
        self.text = text
    }

    enum CodingKeys: String, CodingKey {
        case noteClass = "class"
        case text
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["class", "text"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        noteClass = try c.decode(String.self, forKey: .noteClass)
        text = try c.decode(String.self, forKey: .text)
    }
}

/// One record in `GET /v1/records`: metadata only, never a field value.
public struct RecordSummary: Codable, Sendable, Equatable {
    public let id: String
    public let type: String
    public let agency: String
    public let status: String
    public let version: UInt64
    public let createdAt: String
    public let createdBy: String
    public let updatedAt: String
    public let assignees: [String]
    /// The record's case number at the caller's agency, else at its own agency; nil when
    /// neither numbered it (or from a daemon older than case numbers).
    public var caseNumber: String?

    public init(id: String, type: String, agency: String, status: String, version: UInt64, createdAt: String,
                createdBy: String, updatedAt: String, assignees: [String], caseNumber: String? = nil) {
        self.caseNumber = caseNumber
        self.id = id
        self.type = type
        self.agency = agency
        self.status = status
        self.version = version
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.updatedAt = updatedAt
        self.assignees = assignees
    }

    enum CodingKeys: String, CodingKey {
        case id, type, agency, status, version, assignees
        case caseNumber = "case_number"
        case createdAt = "created_at"
        case createdBy = "created_by"
        case updatedAt = "updated_at"
    }
}

/// `GET /v1/records` answer.
public struct RecordListResponse: Codable, Sendable {
    public let records: [RecordSummary]
    /// Pass as `after` to get the next page; nil on the last page.
    public let next: String?
    /// Records of this page that failed their integrity check: listed by id only, so that
    /// one damaged record hides nothing else (each is in the audit entry of the listing).
    public let damaged: [String]
    /// Records in reach after this page, counted up to 10,000 (that many means that many or
    /// more); given when the listing is by last change (`order`), nil by id.
    public let remaining: Int?

    public init(records: [RecordSummary], next: String?, damaged: [String] = [], remaining: Int? = nil) {
        self.records = records
        self.next = next
        self.damaged = damaged
        self.remaining = remaining
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        records = try c.decode([RecordSummary].self, forKey: .records)
        next = try c.decodeIfPresent(String.self, forKey: .next)
        damaged = try c.decodeIfPresent([String].self, forKey: .damaged) ?? []
        remaining = try c.decodeIfPresent(Int.self, forKey: .remaining)
    }
}

/// `POST /v1/records/{id}/read` answer, as the client decodes it.
public struct ReadRecordResponse: Codable, Sendable {
    public struct Withheld: Codable, Sendable, Equatable {
        public let field: String
        public let reason: String

        public init(field: String, reason: String) {
            self.field = field
            self.reason = reason
        }
    }

    public struct Note: Codable, Sendable, Equatable {
        public let index: UInt64
        public let noteClass: String
        public let author: String
        public let createdAt: String
        public let text: String

        enum CodingKeys: String, CodingKey {
            case index, author, text
            case noteClass = "class"
            case createdAt = "created_at"
        }
    }

    public struct WithheldNote: Codable, Sendable, Equatable {
        public let index: UInt64
        public let reason: String
    }

    public let id: String
    public let type: String
    public let agency: String
    public let version: UInt64
    /// Released fields; a released field with no value recorded is null.
    public let fields: [String: String?]
    public let withheld: [Withheld]
    /// The page of notes asked for (`notes_before`, `notes_limit`), oldest first.
    public let notes: [Note]
    public let withheldNotes: [WithheldNote]
    /// How many notes the record holds, for a whole-record read; a page that starts above 1
    /// has earlier ones (nil for a read of named fields, and from a daemon older than paging).
    public let notesTotal: UInt64?
    public let breakGlass: Bool
    public let auditSeq: UInt64
    /// The record's case number at the reader's agency, else at its own agency.
    public let caseNumber: String?
    /// Who the record is assigned to, for a whole-record read by the record's own agency
    /// (nil otherwise, and from a daemon older than the field).
    public let assignees: [String]?

    enum CodingKeys: String, CodingKey {
        case id, type, agency, version, fields, withheld, notes, assignees
        case caseNumber = "case_number"
        case withheldNotes = "withheld_notes"
        case notesTotal = "notes_total"
        case breakGlass = "break_glass"
        case auditSeq = "audit_seq"
    }
}

/// `POST /v1/records/{id}/extract` body.
public struct ExtractRequest: Codable, Sendable {
    public let purpose: String
    /// `consent` (the survivor's legal consent) or `court_order`.
    public let basis: String
    public let courtOrder: String?
    /// Only these fields; nil means every field the court may have.
    public let fields: [String]?

    public init(purpose: String, basis: String, courtOrder: String?, fields: [String]?) {
        self.purpose = purpose
        self.basis = basis
        self.courtOrder = courtOrder
        self.fields = fields
    }

    enum CodingKeys: String, CodingKey {
        case purpose, basis, fields
        case courtOrder = "court_order"
    }

    public init(from decoder: any Decoder) throws {
        try rejectUnknownMembers(decoder, allowed: ["purpose", "basis", "court_order", "fields"])
        let c = try decoder.container(keyedBy: CodingKeys.self)
        purpose = try c.decode(String.self, forKey: .purpose)
        basis = try c.decode(String.self, forKey: .basis)
        courtOrder = try c.decodeIfPresent(String.self, forKey: .courtOrder)
        fields = try c.decodeIfPresent([String].self, forKey: .fields)
    }
}
