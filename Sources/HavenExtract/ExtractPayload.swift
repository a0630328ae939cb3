import Foundation
import HavenAudit
import HavenCore

/// What a certified extract says (FORMAT.md, "payload"). Serialised as canonical JSON, in
/// the member order below, and signed inside a DSSE envelope.
public struct ExtractPayload: Sendable, Equatable {
    public static let format = "haven-extract-v1"
    /// The format of a payload that carries the record's case number (FORMAT.md): a verifier
    /// of version 1 refuses it by name rather than taking it as non-canonical.
    public static let formatWithCaseNumber = "haven-extract-v2"
    public static let payloadType = "application/vnd.haven.extract+json"

    public struct Field: Sendable, Equatable, Codable {
        public let name: String
        public let label: String
        public let fieldClass: String
        public let value: String

        public init(name: String, label: String, fieldClass: String, value: String) {
            self.name = name
            self.label = label
            self.fieldClass = fieldClass
            self.value = value
        }

        enum CodingKeys: String, CodingKey {
            case name, label, value
            case fieldClass = "class"
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

    /// Why the court may have these fields: the survivor's recorded consent, or a court order.
    public enum LegalBasis: Sendable, Equatable {
        case consent(flag: String, recordedBy: String, recordedAt: String, evidence: String?, expiresAt: String?)
        case courtOrder(reference: String)
    }

    public struct Requester: Sendable, Equatable, Codable {
        public let user: String
        public let role: String
        public let agency: String

        public init(user: String, role: String, agency: String) {
            self.user = user
            self.role = role
            self.agency = agency
        }
    }

    /// Where the issuing is written in the audit log, and the proof it is there.
    public struct AuditProof: Sendable, Equatable {
        public let seq: UInt64
        /// The issuing entry's canonical bytes, so a verifier can read what was logged.
        public let entry: [UInt8]
        public let checkpoint: SignedCheckpoint
        public let inclusionProof: [[UInt8]]

        public init(seq: UInt64, entry: [UInt8], checkpoint: SignedCheckpoint, inclusionProof: [[UInt8]]) {
            self.seq = seq
            self.entry = entry
            self.checkpoint = checkpoint
            self.inclusionProof = inclusionProof
        }
    }

    public let vault: String
    public let recordID: String
    public let recordType: String
    public let agency: String
    public let recordVersion: UInt64
    public let fields: [Field]
    public let withheld: [Withheld]
    public let legalBasis: LegalBasis
    public let purpose: String
    public let requester: Requester
    public let issuedAt: String
    public let policyVersion: String
    public let audit: AuditProof
    /// The record's case number at the requester's agency, else at its own (format 2 only).
    public let caseNumber: String?

    public init(vault: String, recordID: String, recordType: String, agency: String, recordVersion: UInt64, fields: [Field],
                withheld: [Withheld], legalBasis: LegalBasis, purpose: String, requester: Requester, issuedAt: String,
                policyVersion: String, audit: AuditProof, caseNumber: String? = nil) {
        self.caseNumber = caseNumber
        self.vault = vault
        self.recordID = recordID
        self.recordType = recordType
        self.agency = agency
        self.recordVersion = recordVersion
        self.fields = fields
        self.withheld = withheld
        self.legalBasis = legalBasis
        self.purpose = purpose
        self.requester = requester
        self.issuedAt = issuedAt
        self.policyVersion = policyVersion
        self.audit = audit
    }
}
