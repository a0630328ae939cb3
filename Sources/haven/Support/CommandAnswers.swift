import HavenExtract

// The --json answers of the commands that work on files rather than pass on a daemon's
// answer. Each is an object with stable keys (Sources/HavenServer/JSON-OUTPUT.md); the
// commands that ask the daemon print its answer's own object.

/// `haven key generate --json`.
struct KeyGenerated: Encodable {
    let privateKey: String
    let publicKey: String
    let keyID: String

    enum CodingKeys: String, CodingKey {
        case privateKey = "private_key", publicKey = "public_key", keyID = "key_id"
    }
}

/// `haven audit export --json`.
struct AuditExported: Encodable {
    let file: String
    let from: UInt64
    let size: UInt64
    let checkpoints: Int
}

/// `haven audit consistency --json`: `consistent` false (with exit status 1) when the log
/// no longer extends the saved checkpoint.
struct ConsistencyResult: Encodable {
    let consistent: Bool
    let checkpointSize: UInt64
    let checkpointTime: String
    let currentSize: UInt64
    let currentTime: String

    enum CodingKeys: String, CodingKey {
        case consistent
        case checkpointSize = "checkpoint_size", checkpointTime = "checkpoint_time"
        case currentSize = "current_size", currentTime = "current_time"
    }
}

/// What `extract create`, `extract verify` and `extract render` say about an extract: its
/// metadata and field names, never a field's value (those stay in the file).
struct ExtractSummary: Encodable {
    let record: String
    let recordType: String
    let recordVersion: UInt64
    let agency: String
    let issuedAt: String
    let requester: ExtractPayload.Requester
    let legalBasis: String
    let fieldsReleased: [String]
    let fieldsWithheld: [String]
    let auditSeq: UInt64
    let vault: String
    let keyID: String
    let verificationCode: String

    init(_ v: VerifiedExtract) {
        let p = v.payload
        record = p.recordID
        recordType = p.recordType
        recordVersion = p.recordVersion
        agency = p.agency
        issuedAt = p.issuedAt
        requester = p.requester
        legalBasis = ExtractRenderer.basis(p.legalBasis)
        fieldsReleased = p.fields.map(\.name)
        fieldsWithheld = p.withheld.map(\.field)
        auditSeq = p.audit.seq
        vault = p.vault
        keyID = v.keyID
        verificationCode = v.verificationCode
    }

    enum CodingKeys: String, CodingKey {
        case record, agency, requester, vault
        case recordType = "record_type", recordVersion = "record_version", issuedAt = "issued_at", legalBasis = "legal_basis"
        case fieldsReleased = "fields_released", fieldsWithheld = "fields_withheld", auditSeq = "audit_seq"
        case keyID = "key_id", verificationCode = "verification_code"
    }
}

/// `haven extract create --json`, `extract verify --json` and `extract render --json`.
struct ExtractAnswer: Encodable {
    let file: String
    /// verify: whether it verified (false with `reason` and exit status 1); render: whether
    /// it was checked against a vault key before rendering.
    let verified: Bool
    let reason: String?
    let extract: ExtractSummary?
    /// render: the format, and the rendering itself unless it went to `--out`.
    var format: String?
    var out: String?
    var rendering: String?
}

/// `haven policy check --json`.
struct PolicyReport: Encodable {
    let directory: String
    let valid: Bool
    let version: String
    let recordTypes: [String]
    let roles: [String]
    /// nil when there is no agencies.yaml: any agency name is then accepted.
    let agencies: [String]?
    /// provinces.yaml's codes, in its order (empty without it).
    let provinces: [String]
    /// Counts below it are published as `<k` (statistics.yaml).
    let smallCellThreshold: Int
    /// referrals.yaml's services, sorted (empty without it).
    let referralServices: [String]
    /// erasure.yaml's reason codes, sorted (the standard four without it).
    let erasureReasons: [String]
    /// Missing translations and the like, `file:line: reason`: the policy loads all the same.
    var warnings: [String] = []

    enum CodingKeys: String, CodingKey {
        case directory, valid, version, roles, agencies, provinces, warnings
        case recordTypes = "record_types"
        case smallCellThreshold = "small_cell_threshold"
        case referralServices = "referral_services"
        case erasureReasons = "erasure_reasons"
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(directory, forKey: .directory)
        try c.encode(valid, forKey: .valid)
        try c.encode(version, forKey: .version)
        try c.encode(recordTypes, forKey: .recordTypes)
        try c.encode(roles, forKey: .roles)
        try c.encode(agencies, forKey: .agencies)  // null, not absent: "no list" is an answer
        try c.encode(provinces, forKey: .provinces)
        try c.encode(smallCellThreshold, forKey: .smallCellThreshold)
        try c.encode(referralServices, forKey: .referralServices)
        try c.encode(erasureReasons, forKey: .erasureReasons)
        try c.encode(warnings, forKey: .warnings)
    }
}

/// `haven completion SHELL --json`.
struct CompletionAnswer: Encodable {
    let shell: String
    let script: String
}
