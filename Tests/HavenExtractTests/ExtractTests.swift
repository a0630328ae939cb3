import HavenAudit
import HavenCore
import HavenCrypto
@testable import HavenExtract
import Testing

/// Extracts built and signed here with a test vault key, so that each check of the
/// verifier can be reached on its own — including those a forger would need the vault key
/// to get to (a foreign checkpoint, a cut proof, an entry about something else).
@Suite struct ExtractTests {
    let key = SigningKey.generate()
    let vault = VaultID(bytes: Array(repeating: 4, count: 16))

    /// A small log whose entry 5 is the issuing of the extract.
    func build(courtOrder: String? = "Order 77/2026", mutate: (inout ExtractPayload) -> Void = { _ in },
               entryEvent: ((inout AuditEvent) -> Void)? = nil) -> [UInt8] {
        var chain = AuditChain()
        var leaves = [[UInt8]]()
        var issuing = [UInt8]()
        for i in 0..<9 {
            var event = AuditEvent(action: "record.read", decision: .allow, rule: "r")
            if i == 5 {
                event = AuditEvent(action: "extract.issue", actor: .init(user: "court", role: "court", agency: "people-court"),
                                   record: "aaaaaaaaaaaaaaaaaaaaaaaaaa", released: ["survivor_name", "incident_type"],
                                   purpose: "hearing", decision: .allow, rule: "r", policyVersion: "pv",
                                   detail: courtOrder.map { ["court_order": $0] } ?? [:])
                entryEvent?(&event)
            }
            let a = chain.append(event, at: Timestamp(millisecondsSinceEpoch: Int64(i)))
            leaves.append(a.leafHash)
            if i == 5 { issuing = a.bytes }
        }
        let cp = SignedCheckpoint.sign(Checkpoint(vault: vault, size: 9, root: chain.frontier.root(),
                                                  time: Timestamp(millisecondsSinceEpoch: 9)), with: key)
        let proof = try! MerkleTree(size: 9, source: InMemoryLeaves(leaves)).inclusionProof(index: 5)
        var payload = ExtractPayload(
            vault: vault.rawValue, recordID: "aaaaaaaaaaaaaaaaaaaaaaaaaa", recordType: "gbv_incident", agency: "ossc", recordVersion: 3,
            fields: [.init(name: "survivor_name", label: "Survivor's name", fieldClass: "identity", value: "ນາງ ສົມພອນ ວົງສະຫວັນ"),
                     .init(name: "incident_type", label: "Type", fieldClass: "incident", value: "rape")],
            withheld: [.init(field: "health_notes", reason: "class health not permitted for role court")],
            legalBasis: courtOrder.map { .courtOrder(reference: $0) }
                ?? .consent(flag: "legal", recordedBy: "intake", recordedAt: "2026-11-01T00:00:00.000Z", evidence: "form 2", expiresAt: nil),
            purpose: "hearing", requester: .init(user: "court", role: "court", agency: "people-court"),
            issuedAt: "2026-11-24T00:00:00.000Z", policyVersion: "pv",
            audit: .init(seq: 5, entry: issuing, checkpoint: cp, inclusionProof: proof))
        mutate(&payload)
        return sign(payload.canonicalJSON())
    }

    func sign(_ body: [UInt8], type: String = ExtractPayload.payloadType, with signer: SigningKey? = nil) -> [UInt8] {
        let k = signer ?? key
        let pae = Envelope.preAuthenticationEncoding(payloadType: type, payload: body)
        return Envelope(payloadType: type, payload: body, signatures: [.init(keyID: k.publicKey.keyID, sig: k.sign(pae))]).json()
    }

    func expectInvalid(_ json: [UInt8], _ reason: String, key: PublicKey? = nil) {
        #expect { try ExtractVerifier.verify(json, vaultKey: key ?? self.key.publicKey) } throws: { error in
            let message = (error as? HavenError)?.message ?? ""
            let ok = message.contains(reason)
            if !ok { Issue.record("expected '\(reason)', got '\(message)'") }
            return ok
        }
    }

    @Test func paeMatchesTheDSSEExample() {
        let pae = Envelope.preAuthenticationEncoding(payloadType: "http://example.com/HelloWorld", payload: Array("hello world".utf8))
        #expect(String(decoding: pae, as: UTF8.self) == "DSSEv1 29 http://example.com/HelloWorld 11 hello world")
    }

    @Test func aWellFormedExtractVerifies() throws {
        for order in ["Order 77/2026", nil] as [String?] {
            let v = try ExtractVerifier.verify(build(courtOrder: order), vaultKey: key.publicKey)
            #expect(v.payload.fields.map(\.value) == ["ນາງ ສົມພອນ ວົງສະຫວັນ", "rape"])
            #expect(v.verificationCode.count == 19 && v.verified)
        }
    }

    @Test func everyChangeAfterSigningIsRefusedBeforeThePayloadIsRead() throws {
        let good = build()
        var envelope = try Envelope(json: good)
        let text = String(decoding: envelope.payload, as: UTF8.self)
        let changes: [(String, String)] = [
            ("\"value\":\"rape\"", "\"value\":\"sexual_assault\""),                       // one value
            ("\"fields\":[", "\"fields\":[{\"name\":\"phone\",\"label\":\"Phone\",\"class\":\"contact\",\"value\":\"1\"},"), // a field added
            ("{\"field\":\"health_notes\",\"reason\":\"class health not permitted for role court\"}", ""),  // a withheld name removed
            ("Order 77/2026", "Order 78/2026"),                                           // the legal basis
        ]
        for (from, to) in changes {
            #expect(text.contains(from))
            let altered = Envelope(payloadType: envelope.payloadType, payload: Array(text.replacingOccurrences(of: from, with: to).utf8),
                                   signatures: envelope.signatures)
            expectInvalid(altered.json(), "signature does not verify")
        }
        envelope = Envelope(payloadType: "application/json", payload: envelope.payload, signatures: envelope.signatures)
        expectInvalid(envelope.json(), "payload type")
    }

    @Test func anotherVaultsSignatureIsRefused() throws {
        let other = SigningKey.generate()
        let envelope = try Envelope(json: build())
        let foreign = Envelope(payloadType: envelope.payloadType, payload: envelope.payload,
                               signatures: [.init(keyID: other.publicKey.keyID, sig: other.sign(envelope.preAuthenticationEncoding))])
        expectInvalid(foreign.json(), "not signed with the vault key")
        // The foreign signature under our key id:
        let disguised = Envelope(payloadType: envelope.payloadType, payload: envelope.payload,
                                 signatures: [.init(keyID: key.publicKey.keyID, sig: other.sign(envelope.preAuthenticationEncoding))])
        expectInvalid(disguised.json(), "signature does not verify")
    }

    // Checks past the signature: reachable only with the vault key, i.e. against a faulty issuer.

    @Test func anotherVaultsCheckpointIsRefused() {
        let other = SigningKey.generate()
        let json = build { p in
            let cp = p.audit.checkpoint.checkpoint
            p = p.with(checkpoint: .sign(Checkpoint(vault: VaultID(bytes: Array(repeating: 8, count: 16)), size: cp.size,
                                                    root: cp.root, time: cp.time), with: other))
        }
        expectInvalid(json, "the audit checkpoint does not verify")
    }

    @Test func aCutInclusionProofIsRefused() {
        expectInvalid(build { p in p = p.with(proof: Array(p.audit.inclusionProof.dropLast())) }, "inclusion proof")
        expectInvalid(build { p in p = p.with(proof: []) }, "inclusion proof")
    }

    @Test func anEntryAboutSomethingElseIsRefused() {
        expectInvalid(build(entryEvent: { $0.released = ["survivor_name"] }), "fields released")
        expectInvalid(build(entryEvent: { $0.record = "bbbbbbbbbbbbbbbbbbbbbbbbbb" }), "record")
        expectInvalid(build(entryEvent: { $0.detail["court_order"] = "Order 1/2020" }), "court order")
    }

    @Test func nonCanonicalPayloadsAreRefused() {
        let spaced = String(decoding: try! Envelope(json: build()).payload, as: UTF8.self).replacingOccurrences(of: ",\"", with: ", \"")
        expectInvalid(sign(Array(spaced.utf8)), "canonical")
    }

    @Test func htmlEscapesValuesAndMarksLanguages() throws {
        let json = build { p in
            p = p.with(fields: [.init(name: "perpetrator_details", label: "Perpetrator <b>", fieldClass: "perpetrator",
                                      value: "<script>alert('x')</script> & \"quotes\""),
                                .init(name: "survivor_name", label: "Name", fieldClass: "identity", value: "ນາງ ສົມພອນ"),
                                .init(name: "address", label: "Address", fieldClass: "contact", value: "Nguyễn Thị Hà, Hà Tĩnh")])
        }
        let v = try ExtractVerifier.unverified(json)
        let html = ExtractRenderer.html(v)
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">"))
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;quotes&quot;"))
        #expect(html.contains("Perpetrator &lt;b&gt;"))
        #expect(html.contains("<td class=\"value\" lang=\"lo\">ນາງ ສົມພອນ</td>"))
        #expect(html.contains("<td class=\"value\" lang=\"vi\">Nguyễn Thị Hà, Hà Tĩnh</td>"))
        #expect(html.contains("Noto Sans Lao"))
        #expect(html.contains("NOT VERIFIED"))
        #expect(html.filter { $0 == "<" }.count == html.filter { $0 == ">" }.count)
        let text = ExtractRenderer.text(v)
        #expect(text.contains("ນາງ ສົມພອນ") && text.contains("Verification code: \(v.verificationCode)"))
    }
}

extension ExtractPayload {
    func with(checkpoint: SignedCheckpoint? = nil, proof: [[UInt8]]? = nil, fields: [Field]? = nil) -> ExtractPayload {
        ExtractPayload(vault: vault, recordID: recordID, recordType: recordType, agency: agency, recordVersion: recordVersion,
                       fields: fields ?? self.fields, withheld: withheld, legalBasis: legalBasis, purpose: purpose,
                       requester: requester, issuedAt: issuedAt, policyVersion: policyVersion,
                       audit: AuditProof(seq: audit.seq, entry: audit.entry, checkpoint: checkpoint ?? audit.checkpoint,
                                         inclusionProof: proof ?? audit.inclusionProof))
    }
}
