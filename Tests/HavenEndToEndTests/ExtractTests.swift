import Foundation
import HavenAPI
import HavenCore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Certified extracts from the real daemon, verified by the real CLI with no daemon needed.
    @Suite struct CertifiedExtractTests {
        static let values: [String: String] = [
            "survivor_name": "ນາງ ສົມພອນ ວົງສະຫວັນ", "date_of_birth": "1999-04-02", "address": "Nguyễn Thị Hà, Hà Tĩnh",
            "phone": "+856 20 5555 1234", "incident_type": "rape", "incident_date": "2026-11-01",
            "perpetrator_relationship": "intimate_partner", "perpetrator_details": "<script>alert('x')</script>",
            "legal_status": "complaint filed",
        ]

        /// A record with every value above, assigned to a counsellor who added notes: made once
        /// by the CLI, copied for each test.
        static let withRecord = VaultTemplate { v in
            let id = try v.createRecord(Self.values, assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            try v.expectOK(as: "counsellor", ["record", "update", id, "--field", "counselling_notes=private session notes"])
            return id
        }

        func vaultWithRecord() throws -> (TestVault, String) { try Self.withRecord.copy() }

        func create(_ v: TestVault, _ id: String, _ basis: [String], extra: [String] = []) throws -> (CommandResult, String) {
            let out = v.root + "/extract-\(UUID().uuidString).json"
            let r = try v.haven(as: "court", ["extract", "create", id, "--purpose", "hearing 12/2026", "--out", out] + basis + extra)
            return (r, out)
        }

        func verify(_ file: String, _ v: TestVault) throws -> CommandResult {
            try Command.run(TestVault.haven, ["extract", "verify", file, "--vault-key", v.data + "/vault.pub"])
        }

        func payload(_ file: String) throws -> [String: Any] {
            let env = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as! [String: Any]
            return try JSONSerialization.jsonObject(with: Data(base64Encoded: env["payload"] as! String)!) as! [String: Any]
        }

        @Test func withoutLegalConsentOrACourtOrderTheCourtIsDeniedAndTheDenialIsAudited() throws {
            let (v, id) = try vaultWithRecord()
            let (r, out) = try create(v, id, ["--consent"])
            #expect(r.status == 3, "\(r)")
            #expect(r.stderr.contains("consent:legal not granted"))
            #expect(!FileManager.default.fileExists(atPath: out))
            let denied = try v.auditLog(["--denied", "--record", id])
            #expect(denied.contains { $0.action == "extract.issue" && $0.actor?.user == "court" && $0.purpose == "hearing 12/2026" })
            // Other roles may not issue extracts at all.
            for user in ["intake", "police", "admin", "auditor"] {
                #expect(try v.haven(as: user, ["extract", "create", id, "--purpose", "x", "--consent", "--out", v.root + "/x"]).status == 3)
            }
        }

        @Test func aCourtOrderIsNamedInTheExtractAndItVerifiesOffline() throws {
            let (v, id) = try vaultWithRecord()
            let (r, out) = try create(v, id, ["--court-order", "Order 77/2026, People's Court of Vientiane"])
            #expect(r.status == 0, "\(r)")
            var st = stat()
            #expect(stat(out, &st) == 0 && st.st_mode & 0o777 == 0o600)
            v.stop()  // offline: no daemon
            let ok = try verify(out, v)
            #expect(ok.status == 0, "\(ok)")
            #expect(ok.stdout.contains("legal basis:       court order Order 77/2026, People's Court of Vientiane"))
            let p = try payload(out)
            let basis = p["legal_basis"] as! [String: Any]
            #expect(basis["kind"] as? String == "court_order" && basis["reference"] as? String == "Order 77/2026, People's Court of Vientiane")
            // The issuing entry it carries names the order too.
            let audit = p["audit"] as! [String: Any]
            #expect((audit["entry"] as! String).contains("\"court_order\":\"Order 77/2026, People's Court of Vientiane\""))
        }

        @Test func withLegalConsentTheGrantIsTheBasis() throws {
            let (v, id) = try vaultWithRecord()
            try v.expectOK(as: "intake", ["consent", "grant", id, "legal", "--evidence", "sha256:" + String(repeating: "77", count: 32)])
            let (r, out) = try create(v, id, ["--consent"])
            #expect(r.status == 0, "\(r)")
            let basis = try payload(out)["legal_basis"] as! [String: Any]
            #expect(basis["kind"] as? String == "consent" && basis["recorded_by"] as? String == "intake"
                    && basis["evidence"] as? String == "sha256:" + String(repeating: "77", count: 32))
            #expect(try verify(out, v).status == 0)
        }

        @Test func exactlyTheFieldsThePolicyAllowsForCourtAreReleased() throws {
            let (v, id) = try vaultWithRecord()
            let (_, out) = try create(v, id, ["--court-order", "Order 1"])
            let p = try payload(out)
            let released = (p["fields"] as! [[String: Any]]).map { $0["name"] as! String }
            let withheld = (p["withheld"] as! [[String: Any]]).map { $0["field"] as! String }
            // Court reads identity, incident, perpetrator and legal; never contact, health or counselling.
            #expect(Set(released) == ["survivor_name", "date_of_birth", "incident_type", "incident_date", "perpetrator_relationship",
                                      "perpetrator_details", "legal_status"])
            #expect(Set(withheld) == ["address", "phone", "counselling_notes"])
            #expect((p["fields"] as! [[String: Any]]).first { $0["name"] as? String == "survivor_name" }?["value"] as? String
                    == "ນາງ ສົມພອນ ວົງສະຫວັນ")
            // With --fields, only those; the rest are listed as not requested.
            let (_, some) = try create(v, id, ["--court-order", "Order 1"], extra: ["--fields", "survivor_name,address"])
            let q = try payload(some)
            #expect((q["fields"] as! [[String: Any]]).map { $0["name"] as! String } == ["survivor_name"])
            let reasons = Dictionary(uniqueKeysWithValues: (q["withheld"] as! [[String: Any]]).map { ($0["field"] as! String, $0["reason"] as! String) })
            #expect(reasons["address"] == "class contact not permitted for role court" && reasons["incident_type"] == "not requested")
        }

        /// A case number row whose tag fails, edited while havend serves, refuses the extract
        /// (an extract without its number would be issued silently otherwise) and is audited.
        @Test func aCaseNumberFailingItsTagRefusesTheExtract() throws {
            let (v, id) = try vaultWithRecord()
            try v.execute("UPDATE case_numbers SET tag = zeroblob(16) WHERE record_id = ?", [id])
            let (r, out) = try create(v, id, ["--court-order", "Order 78/2026"])
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: integrity_error:") && r.stderr.contains("case_numbers"), "\(r)")
            #expect(!FileManager.default.fileExists(atPath: out))
            let entries = try v.auditLog(["--user", "court"]).filter { $0.action == "extract.issue" }
            #expect(entries.count == 1 && entries[0].decision != "allow", "\(entries)")
            // A read shows no record without its number either; a list goes on without it.
            let read = try v.haven(as: "intake", ["record", "get", id, "--purpose", "review"])
            #expect(read.status == 1 && read.stderr.hasPrefix("haven: integrity_error:") && read.stdout.isEmpty, "\(read)")
            let list = try v.expectOK(as: "intake", ["record", "list"])
            #expect(list.stdout.contains(id), "\(list)")
        }

        /// Each alteration of a real extract is refused with a reason.
        @Test func alteredExtractsAreRejected() throws {
            let (v, id) = try vaultWithRecord()
            let (_, out) = try create(v, id, ["--court-order", "Order 77/2026"])
            let other = try TestVault(enrol: false, start: false)
            let envelope = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out))) as! [String: Any]
            let payloadText = String(decoding: Data(base64Encoded: envelope["payload"] as! String)!, as: UTF8.self)

            func variant(_ name: String, payload: String? = nil, type: String? = nil, signatures: Any? = nil) throws -> String {
                var e = envelope
                if let payload { e["payload"] = Data(payload.utf8).base64EncodedString() }
                if let type { e["payloadType"] = type }
                if let signatures { e["signatures"] = signatures }
                let path = v.root + "/tampered-\(name).json"
                try JSONSerialization.data(withJSONObject: e).write(to: URL(fileURLWithPath: path))
                return path
            }
            func replacing(_ a: String, _ b: String) -> String {
                #expect(payloadText.contains(a), "the extract has no '\(a)'")
                return payloadText.replacingOccurrences(of: a, with: b)
            }
            let proofStart = payloadText.range(of: "\"inclusion_proof\":[")!
            let cutProof = String(payloadText[..<proofStart.upperBound]) + "]}}"
            let cases: [(String, String, String)] = [
                ("one value", try variant("value", payload: replacing("\"value\":\"rape\"", "\"value\":\"physical_assault\"")), "signature does not verify"),
                ("a field added", try variant("added", payload: replacing("\"fields\":[", "\"fields\":[{\"name\":\"phone\",\"label\":\"Phone number\",\"class\":\"contact\",\"value\":\"+856\"},")), "signature does not verify"),
                ("a withheld name removed", try variant("withheld", payload: replacing("{\"field\":\"address\",\"reason\":\"class contact not permitted for role court\"},", "")), "signature does not verify"),
                ("the legal basis", try variant("basis", payload: replacing("Order 77/2026", "Order 78/2026")), "signature does not verify"),
                ("the payload type", try variant("type", type: "application/json"), "payload type"),
                ("the inclusion proof cut", try variant("proof", payload: cutProof), "signature does not verify"),
                ("another vault's signature", try variant("sig", signatures: [["keyid": "0000000000000000", "sig": (envelope["signatures"] as! [[String: String]])[0]["sig"]!]]), "not signed with the vault key"),
            ]
            for (what, path, reason) in cases {
                let r = try verify(path, v)
                #expect(r.status == 1, "\(what): \(r)")
                #expect(r.stdout.hasPrefix("INVALID:") && r.stdout.contains(reason), "\(what): \(r.stdout)")
            }
            // Verified with another vault's key, the genuine extract is refused.
            let wrongKey = try Command.run(TestVault.haven, ["extract", "verify", out, "--vault-key", other.data + "/vault.pub"])
            #expect(wrongKey.status == 1 && wrongKey.stdout.contains("not signed with the vault key"))
            #expect(try verify(out, v).status == 0)
        }

        /// The daemon verifies what it signed: with the stored hashes its proof is built from
        /// damaged, it refuses to issue rather than hand out an extract that would not verify.
        @Test func theDaemonRefusesToIssueAnExtractThatWouldNotVerify() throws {
            let (v, id) = try vaultWithRecord()
            try v.withDatabase { db in
                try db.execute("UPDATE audit_entries SET leaf_hash = zeroblob(32) WHERE seq = 0")
            }
            let (r, out) = try create(v, id, ["--court-order", "Order 1"])
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: integrity_error:"), "\(r)")
            #expect(!FileManager.default.fileExists(atPath: out))
            #expect(v.daemonLog.contains("an extract failed its own verification and was not issued"))
        }

        @Test func renderingShowsTheCodeAndEscapesValues() throws {
            let (v, id) = try vaultWithRecord()
            let (_, out) = try create(v, id, ["--court-order", "Order 77/2026"])
            let html = try Command.run(TestVault.haven, ["extract", "render", out, "--format", "html", "--vault-key", v.data + "/vault.pub"])
            #expect(html.status == 0)
            #expect(html.stdout.contains("<html lang=\"en\">") && html.stdout.contains("<meta charset=\"utf-8\">"))
            #expect(html.stdout.contains("lang=\"lo\">ນາງ ສົມພອນ ວົງສະຫວັນ<"))
            #expect(!html.stdout.contains("<script>") && html.stdout.contains("&lt;script&gt;"))
            #expect(html.stdout.contains("Signature verified"))
            let code = try verify(out, v).stdout.components(separatedBy: "verification code: ").last!.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(html.stdout.contains(code))
            let text = try Command.run(TestVault.haven, ["extract", "render", out])
            #expect(text.stdout.contains("Verification code: \(code)") && text.stdout.contains("NOT VERIFIED"))
        }
    }
}
