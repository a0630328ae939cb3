import Foundation
import HavenAudit
import HavenCore

extension ExtractPayload {
    /// The payload's canonical JSON: the exact bytes that are signed.
    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 4096)
        w.object { o in
            o.field("format", caseNumber == nil ? Self.format : Self.formatWithCaseNumber)
            o.field("vault", vault)
            o.key("record")
            o.object { r in
                r.field("id", recordID)
                r.field("type", recordType)
                r.field("agency", agency)
                r.field("version", recordVersion)
                if let caseNumber { r.field("case_number", caseNumber) }
            }
            o.key("fields")
            o.array { a in
                for f in fields {
                    a.object { x in
                        x.field("name", f.name)
                        x.field("label", f.label)
                        x.field("class", f.fieldClass)
                        x.field("value", f.value)
                    }
                }
            }
            o.key("withheld")
            o.array { a in for w in withheld { a.object { x in x.field("field", w.field); x.field("reason", w.reason) } } }
            o.key("legal_basis")
            o.object { b in
                switch legalBasis {
                case .consent(let flag, let by, let at, let evidence, let expires):
                    b.field("kind", "consent")
                    b.field("flag", flag)
                    b.field("recorded_by", by)
                    b.field("recorded_at", at)
                    b.field("evidence", evidence)
                    b.field("expires_at", expires)
                case .courtOrder(let reference):
                    b.field("kind", "court_order")
                    b.field("reference", reference)
                }
            }
            o.field("purpose", purpose)
            o.key("requester")
            o.object { r in
                r.field("user", requester.user)
                r.field("role", requester.role)
                r.field("agency", requester.agency)
            }
            o.field("issued_at", issuedAt)
            o.field("policy_version", policyVersion)
            o.key("audit")
            o.object { a in
                a.field("seq", audit.seq)
                a.key("entry")
                a.string(String(decoding: audit.entry, as: UTF8.self))
                a.key("checkpoint")
                audit.checkpoint.write(to: &a)
                a.field("inclusion_proof", strings: audit.inclusionProof.map { Base64.encode($0) })
            }
        }
        return w.bytes
    }

    /// Parses a payload and insists it is canonical (re-serialising gives the same bytes),
    /// so one extract has exactly one signed form.
    public init(canonicalJSON bytes: [UInt8]) throws(HavenError) {
        let wire: Wire
        if let key = JSONValue.firstDuplicateKey(in: bytes) {
            throw HavenError(.invalidDocument, "the extract's payload names '\(NameRules.printable(key))' twice")
        }
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw HavenError(.invalidDocument, "the extract's payload is not in the extract format")
        }
        // Format 1 has no case number and format 2 one: a number added to or taken from a
        // payload without changing its format fails the canonical check below.
        guard wire.format == Self.format || wire.format == Self.formatWithCaseNumber else {
            throw HavenError(.invalidDocument, "unknown extract format '\(NameRules.printable(wire.format))'")
        }
        let basis: LegalBasis
        switch (wire.legal_basis.kind, wire.legal_basis.reference, wire.legal_basis.flag) {
        case ("court_order", let reference?, _):
            basis = .courtOrder(reference: reference)
        case ("consent", nil, let flag?):
            guard let by = wire.legal_basis.recorded_by, let at = wire.legal_basis.recorded_at else {
                throw HavenError(.invalidDocument, "the extract's consent basis is incomplete")
            }
            basis = .consent(flag: flag, recordedBy: by, recordedAt: at, evidence: wire.legal_basis.evidence,
                             expiresAt: wire.legal_basis.expires_at)
        default:
            throw HavenError(.invalidDocument, "the extract's legal basis is malformed")
        }
        let proof = wire.audit.inclusion_proof.compactMap { Base64.decode($0) }
        guard proof.count == wire.audit.inclusion_proof.count else {
            throw HavenError(.invalidDocument, "the extract's inclusion proof is malformed")
        }
        self.init(vault: wire.vault, recordID: wire.record.id, recordType: wire.record.type, agency: wire.record.agency,
                  recordVersion: wire.record.version, fields: wire.fields, withheld: wire.withheld, legalBasis: basis,
                  purpose: wire.purpose, requester: wire.requester, issuedAt: wire.issued_at, policyVersion: wire.policy_version,
                  audit: AuditProof(seq: wire.audit.seq, entry: Array(wire.audit.entry.utf8), checkpoint: wire.audit.checkpoint,
                                    inclusionProof: proof),
                  caseNumber: wire.record.case_number)
        guard canonicalJSON() == bytes else {
            throw HavenError(.invalidDocument, "the extract's payload is not in canonical form")
        }
    }

    private struct Wire: Decodable {
        struct Record: Decodable {
            let id: String
            let type: String
            let agency: String
            let version: UInt64
            let case_number: String?
        }
        struct Basis: Decodable {
            let kind: String
            let reference: String?
            let flag: String?
            let recorded_by: String?
            let recorded_at: String?
            let evidence: String?
            let expires_at: String?
        }
        struct Audit: Decodable {
            let seq: UInt64
            let entry: String
            let checkpoint: SignedCheckpoint
            let inclusion_proof: [String]
        }
        let format: String
        let vault: String
        let record: Record
        let fields: [Field]
        let withheld: [Withheld]
        let legal_basis: Basis
        let purpose: String
        let requester: Requester
        let issued_at: String
        let policy_version: String
        let audit: Audit
    }
}
