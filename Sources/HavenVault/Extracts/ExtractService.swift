import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenExtract
import HavenPolicy
import HavenStore
import NIOCore

/// Certified extracts for courts (`vault.extracts`): decided like a read, issued under a
/// fresh signed checkpoint that covers their own issuing, verified before they leave.
public struct ExtractService: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys

    /// `extract.issue`: a certified extract for a court (SPEC §6). Decided like a read; the
    /// issuing is audited and covered by a fresh signed checkpoint before the extract is
    /// built, so the extract can carry the proof that its own issuing is in the log. The
    /// daemon verifies the envelope it made before it lets it out.
    public func issue(_ ctx: RequestContext, id rawID: String, request: ExtractRequest) -> EventLoopFuture<PlaintextBuffer> {
        pipeline.handle(Action.extractIssue.rawValue, ctx, record: rawID) { (entry, user, id) throws(HavenError) -> EventLoopFuture<PlaintextBuffer> in
            try FieldValueRules.checkText(request.purpose, what: "purpose", maximum: FieldValueRules.maximumPurposeLength)
            entry.event.purpose = request.purpose
            let courtOrder: String?
            switch request.basis {
            case "consent":
                guard request.courtOrder == nil else { throw HavenError(.badRequest, "give a court order or consent as the basis, not both") }
                courtOrder = nil
            case "court_order":
                guard let ref = request.courtOrder, !ref.trimmingCharacters(in: .whitespaces).isEmpty else {
                    throw HavenError(.badRequest, "a court-order basis needs the order's reference")
                }
                try FieldValueRules.checkText(ref, what: "court order reference", maximum: 500)
                courtOrder = ref
            default:
                throw HavenError(.invalidValue, "basis must be consent or court_order")
            }
            entry.event.detail["basis"] = request.basis
            if let courtOrder { entry.event.detail["court_order"] = courtOrder }
            let policy = pipeline.policies.policy
            let opener = pipeline.opener
            let now = pipeline.clock.now()
            let numbers = CaseNumbers(keys: keys, logger: pipeline.logger)
            let (result, opened, caseNumber) = try pipeline.readSnapshot { (view) throws(HavenError) -> (RecordReadResult, OpenedRecord, String?) in
                let opened = try opener.open(id, in: view, policy: policy)
                let requested = try request.fields.map { (names) throws(HavenError) -> [FieldName] in
                    try names.map { (n) throws(HavenError) -> FieldName in try opened.type.field(named: n).name }
                }
                let decision = policy.decide(AccessRequest(
                    subject: RequestPipeline.subject(of: user), action: .extractIssue, record: opened.facts, fields: requested,
                    purpose: request.purpose, courtOrder: courtOrder, now: now))
                try RequestPipeline.require(decision, &entry)
                // Read before the entry is written: a number whose row fails its tag refuses the extract.
                let caseNumber = try numbers.known(id, owner: opened.header.agency, caller: user.agency, on: view.db)
                return (try opener.release(decision, of: opened, on: view.db), opened, caseNumber)
            }
            let basis = try legalBasis(opened.header, courtOrder: courtOrder, role: policy.role(user.role), now: now)
            var withheld = result.withheld.map { ExtractPayload.Withheld(field: $0.field, reason: $0.reason) }
            if let requested = request.fields {
                for name in opened.facts.presentFields where !requested.contains(name.rawValue) {
                    withheld.append(.init(field: name.rawValue, reason: "not requested"))
                }
            }
            entry.event.released = result.fields.map(\.0.rawValue)
            let fields = result.fields.map { (name, value) in
                let spec = opened.type.field(name)!
                return ExtractPayload.Field(name: name.rawValue, label: spec.label, fieldClass: spec.fieldClass.rawValue,
                                            value: value?.string() ?? "")
            }
            let requester = ExtractPayload.Requester(user: user.name.rawValue, role: user.role.rawValue, agency: user.agency.rawValue)
            let event = entry.event
            let withheldFields = withheld
            return pipeline.writer.audit(on: ctx.eventLoop, event, checkpoint: true).flatMapThrowing { committed in
                guard let checkpoint = committed.checkpoint else { throw HavenError.auditUnavailable }
                let proof = try self.auditProof(seq: committed.auditSeq, checkpoint: checkpoint)
                let payload = ExtractPayload(
                    vault: self.keys.vaultID.rawValue, recordID: id.rawValue, recordType: opened.header.type.rawValue,
                    agency: opened.header.agency.rawValue, recordVersion: opened.header.version, fields: fields, withheld: withheldFields,
                    legalBasis: basis, purpose: request.purpose, requester: requester, issuedAt: now.rfc3339,
                    policyVersion: policy.version, audit: proof, caseNumber: caseNumber)
                return try self.sign(payload)
            }
        }
    }

    /// The consent grant an extract relies on, or the court order.
    func legalBasis(_ header: RecordHeader, courtOrder: String?, role: RolePolicy?, now: Timestamp) throws(HavenError) -> ExtractPayload.LegalBasis {
        if let courtOrder { return .courtOrder(reference: courtOrder) }
        let flag = role?.courtOrderSubstitutes ?? .legal
        guard header.consent.status(of: flag, at: now).isGranted,
              let grant = header.consent.latest[flag], grant.kind == .grant else {
            throw HavenError(.denied, "consent:\(flag.rawValue) not granted; give a court order as the basis instead")
        }
        return .consent(flag: flag.rawValue, recordedBy: grant.recordedBy.rawValue, recordedAt: grant.recordedAt.rfc3339,
                        evidence: ConsentEvidence.shown(grant.evidence), expiresAt: grant.expiresAt?.rfc3339)
    }

    /// The issuing entry's bytes and its inclusion proof in `checkpoint`.
    func auditProof(seq: UInt64, checkpoint: SignedCheckpoint) throws(HavenError) -> ExtractPayload.AuditProof {
        let logger = pipeline.logger
        return try pipeline.readSnapshot { (view) throws(HavenError) -> ExtractPayload.AuditProof in
            let db = view.db
            guard let entry = try storeCall(logger, { try AuditTable.entry(seq: seq, on: db) }) else { throw HavenError.integrity }
            let proof = try AuditService.proofCall {
                try MerkleTree(size: checkpoint.checkpoint.size, source: StoredLeaves(db: db)).inclusionProof(index: seq)
            }
            return ExtractPayload.AuditProof(seq: seq, entry: entry, checkpoint: checkpoint, inclusionProof: proof)
        }
    }

    /// Signs the payload in a DSSE envelope and verifies the result exactly as a court would,
    /// before it leaves (as minisign verifies its own signatures): a fault here must never
    /// produce a document that looks certified and is not.
    func sign(_ payload: ExtractPayload) throws(HavenError) -> PlaintextBuffer {
        let body = payload.canonicalJSON()
        let pae = Envelope.preAuthenticationEncoding(payloadType: ExtractPayload.payloadType, payload: body)
        let envelope = Envelope(payloadType: ExtractPayload.payloadType, payload: body,
                                signatures: [.init(keyID: keys.publicKey.keyID, sig: keys.signingKey.sign(pae))])
        var json = envelope.json()
        do {
            _ = try ExtractVerifier.verify(json, vaultKey: keys.publicKey)
        } catch {
            pipeline.logger.critical("an extract failed its own verification and was not issued", metadata: ["reason": "\(error.message)"])
            throw HavenError.integrity
        }
        // The envelope carries the released values: its bytes leave in memory wiped on release.
        // (The payload's working copies made above, its canonical body, PAE and base64, are not
        // wiped yet; nor are the payload's values, held as strings.)
        return PlaintextBuffer(taking: &json)
    }
}
