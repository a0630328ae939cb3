import HavenCore
@testable import HavenExtract
import Testing

/// Format 2 of the payload carries the record's case number (FORMAT.md): it is signed like
/// every other member, and a number added to or taken from a payload without its format
/// changing is refused as non-canonical, even when signed.
extension ExtractTests {
    func numbered(_ n: String?) -> (inout ExtractPayload) -> Void {
        { p in
            p = ExtractPayload(vault: p.vault, recordID: p.recordID, recordType: p.recordType, agency: p.agency,
                               recordVersion: p.recordVersion, fields: p.fields, withheld: p.withheld, legalBasis: p.legalBasis,
                               purpose: p.purpose, requester: p.requester, issuedAt: p.issuedAt, policyVersion: p.policyVersion,
                               audit: p.audit, caseNumber: n)
        }
    }

    @Test func aCaseNumberIsFormatTwoAndVerifies() throws {
        let json = build(mutate: numbered("OV-26-0042"))
        let v = try ExtractVerifier.verify(json, vaultKey: key.publicKey)
        #expect(v.payload.caseNumber == "OV-26-0042")
        let text = String(decoding: try Envelope(json: json).payload, as: UTF8.self)
        #expect(text.hasPrefix(#"{"format":"haven-extract-v2","#))
        #expect(text.contains(#""version":3,"case_number":"OV-26-0042"}"#))
        #expect(ExtractRenderer.text(v).contains("Case number:   OV-26-0042"))
        // Without a number the payload is format 1, byte for byte as before case numbers.
        let plain = try ExtractVerifier.verify(build(), vaultKey: key.publicKey)
        #expect(plain.payload.caseNumber == nil && !ExtractRenderer.text(plain).contains("Case number"))
    }

    @Test func aNumberAddedOrRemovedWithoutItsFormatIsRefusedEvenSigned() throws {
        let v2 = String(decoding: try Envelope(json: build(mutate: numbered("OV-26-0042"))).payload, as: UTF8.self)
        let v1 = String(decoding: try Envelope(json: build()).payload, as: UTF8.self)
        let removed = v2.replacingOccurrences(of: #","case_number":"OV-26-0042""#, with: "")
        let added = v1.replacingOccurrences(of: #""version":3}"#, with: #""version":3,"case_number":"OV-26-0042"}"#)
        for forged in [removed, added] {
            #expect(forged != v1 && forged != v2)
            expectInvalid(sign(Array(forged.utf8)), "not in canonical form")
        }
        let swapped = v2.replacingOccurrences(of: "OV-26-0042", with: "OV-26-0043")
        expectInvalid(Envelope(payloadType: ExtractPayload.payloadType, payload: Array(swapped.utf8),
                               signatures: try Envelope(json: build(mutate: numbered("OV-26-0042"))).signatures).json(),
                      "signature does not verify")
    }
}
