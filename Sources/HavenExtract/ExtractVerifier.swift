import HavenAudit
import HavenCore
import HavenCrypto

/// An extract that passed every check (or, from `unverified`, was only read), with what a
/// person needs to quote it.
public struct VerifiedExtract: Sendable {
    public let payload: ExtractPayload
    public let keyID: String
    /// A short code a clerk can read out: the first 80 bits of SHA-256 of what was signed.
    public let verificationCode: String
    /// False when the extract was only read, not checked against a vault key.
    public let verified: Bool
}

/// Offline verification of a certified extract with the vault's public key alone.
public enum ExtractVerifier {
    /// Checks, in this order, stopping at the first failure with its reason:
    /// 1. the envelope's payload type is Haven's extract type;
    /// 2. a signature by the given vault key verifies over PAE(type, payload) — before the
    ///    payload is parsed, so a forged payload is never even read;
    /// 3. the payload is a well-formed, canonical extract of this vault;
    /// 4. the checkpoint it carries is signed by the same key, for the same vault;
    /// 5. the inclusion proof places the issuing audit entry in that checkpoint's tree;
    /// 6. that entry records this issuing: action, record, fields released, decision.
    public static func verify(_ json: [UInt8], vaultKey: PublicKey) throws(HavenError) -> VerifiedExtract {
        let envelope = try Envelope(json: json)
        guard envelope.payloadType == ExtractPayload.payloadType else {
            throw fail("payload type is '\(NameRules.printable(envelope.payloadType))', not \(ExtractPayload.payloadType)")
        }
        guard let signature = envelope.signatures.first(where: { $0.keyID == vaultKey.keyID }) else {
            let ids = envelope.signatures.map(\.keyID).joined(separator: ", ")
            throw fail("not signed with the vault key \(vaultKey.keyID) (signed with: \(ids.isEmpty ? "nothing" : ids))")
        }
        let pae = envelope.preAuthenticationEncoding
        do {
            try vaultKey.verify(signature: signature.sig, message: pae)
        } catch {
            throw fail("the signature does not verify: the extract was altered after it was signed, or signed by another key")
        }
        let payload = try ExtractPayload(canonicalJSON: envelope.payload)
        guard let vault = try? VaultID(payload.vault) else { throw fail("the extract names no valid vault") }
        let cp = payload.audit.checkpoint
        do {
            try cp.verify(with: vaultKey, vault: vault)
        } catch {
            throw fail("the audit checkpoint does not verify: \(error.message)")
        }
        let leaf = MerkleHash.leaf(payload.audit.entry)
        guard payload.audit.seq < cp.checkpoint.size,
              MerkleProofs.verifyInclusion(leafHash: leaf, index: payload.audit.seq, size: cp.checkpoint.size,
                                           proof: payload.audit.inclusionProof, root: cp.checkpoint.root) else {
            throw fail("the inclusion proof does not place the issuing entry (seq \(payload.audit.seq)) in the signed audit log "
                       + "of size \(cp.checkpoint.size)")
        }
        try checkEntry(payload)
        return VerifiedExtract(payload: payload, keyID: signature.keyID, verificationCode: code(pae), verified: true)
    }

    /// Reads an extract without checking any signature, for rendering when no vault key is
    /// at hand; the rendering then says so.
    public static func unverified(_ json: [UInt8]) throws(HavenError) -> VerifiedExtract {
        let envelope = try Envelope(json: json)
        guard envelope.payloadType == ExtractPayload.payloadType else {
            throw fail("payload type is '\(NameRules.printable(envelope.payloadType))', not \(ExtractPayload.payloadType)")
        }
        let payload = try ExtractPayload(canonicalJSON: envelope.payload)
        return VerifiedExtract(payload: payload, keyID: envelope.signatures.first?.keyID ?? "none",
                               verificationCode: code(envelope.preAuthenticationEncoding), verified: false)
    }

    /// The issuing entry must describe exactly this extract.
    static func checkEntry(_ p: ExtractPayload) throws(HavenError) {
        let entry: AuditEntry
        do {
            entry = try AuditEntry(canonicalBytes: p.audit.entry)
        } catch {
            throw fail("the issuing audit entry is malformed")
        }
        let e = entry.event
        var mismatch = [String]()
        if entry.seq != p.audit.seq { mismatch.append("sequence number") }
        if e.action != "extract.issue" || e.decision != .allow { mismatch.append("action") }
        if e.record != p.recordID { mismatch.append("record") }
        if e.released != p.fields.map(\.name) { mismatch.append("fields released") }
        if e.actor?.user != p.requester.user || e.actor?.role != p.requester.role { mismatch.append("requester") }
        if e.purpose != p.purpose { mismatch.append("purpose") }
        if e.policyVersion != p.policyVersion { mismatch.append("policy version") }
        if case .courtOrder(let reference) = p.legalBasis, e.detail["court_order"] != reference { mismatch.append("court order") }
        guard mismatch.isEmpty else {
            throw fail("the audit entry at seq \(entry.seq) does not record this extract (\(mismatch.joined(separator: ", ")) differ)")
        }
    }

    /// `XXXX-XXXX-XXXX-XXXX`: base32 of 80 bits of SHA-256(PAE).
    public static func code(_ signed: [UInt8]) -> String {
        let b32 = Base32.encode(Array(SHA256.hash(signed).prefix(10))).uppercased()
        return stride(from: 0, to: b32.count, by: 4).map { i in
            String(b32.dropFirst(i).prefix(4))
        }.joined(separator: "-")
    }

    static func fail(_ reason: String) -> HavenError {
        HavenError(.invalidDocument, "extract is not valid: \(reason)")
    }
}
