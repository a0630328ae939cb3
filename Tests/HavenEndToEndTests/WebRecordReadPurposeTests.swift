import Foundation
import HavenDesk
import HavenTestSupport
import Testing

extension EndToEnd {
    /// What the read pages tell the audit log and the person: a purpose the person chose,
    /// and, when havend holds a search back, when to try again.
    @Suite struct WebRecordReadPurposeTests {
        @Test func aRoleWithoutAListSaysWhyBeforeAnythingIsRead() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Purpose Check", "incident_type": "rape"])
            let police = try await ReadDesk(v, "police", role: "police", agency: "police-vientiane")
            let ask = try await police.get("/records/\(id)")
            #expect(ask.status == 200)
            #expect(ask.readPageText.contains("<form id=\"purpose\" method=\"get\" action=\"/records/\(id)\""))
            #expect(!ask.readPageText.contains("Purpose Check"))
            let before = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.actor?.user == "police" }
            #expect(before.isEmpty)
            _ = try await police.get("/records/\(id)", query: ["purpose": "investigation"])
            let after = try v.auditLog(["--record", id, "--limit", "100"]).filter { $0.actor?.user == "police" && $0.action == "record.read" }
            #expect(after.map(\.purpose) == [ReadPurpose.investigation.audited])
        }

        @Test func aSearchHeldBackSaysWhenToTryAgain() async throws {
            let root = "/tmp/hv-webrl-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let policy = try FindDisclosureTests.policy(intakeFindLimit: "{burst: 1, seconds_per_find: 60}", in: root)
            defer { try? FileManager.default.removeItem(atPath: policy) }
            let v = try TestVault(policy: policy)
            let intake = try await ReadDesk(v, "intake", role: "intake", agency: "ossc-vientiane")
            let first = try await intake.post("/find", form: ["name": "Somebody Else", "purpose": "intake"])
            #expect(first.status == 200 && first.readPageText.contains("id=\"found-none\""))
            let held = try await intake.post("/find", form: ["name": "Somebody Else", "purpose": "intake"])
            #expect(held.status == 429)
            #expect(held.readPageText.contains("<p id=\"rate-limited\" role=\"alert\">Too many searches in a short time. Try again in "))
            // The form is shown again with its values, in the body of the POST's answer only.
            #expect(held.readPageText.contains("value=\"Somebody Else\"") && !held.readPageText.contains("href=\"/find?"))
        }
    }
}
