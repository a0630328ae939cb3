import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A user's key replaced by an administrator (a lost laptop, a key that may have leaked),
    /// with the real binaries: the old key's open session ends at its next request, the old
    /// key opens no new one, the new key works, and the change is audited and authenticated.
    @Suite struct UserRekeyTests {
        @Test func aRekeyedUsersOldSessionEndsAndOnlyTheNewKeyWorks() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Rekey Survivor", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            // The counsellor's laptop is lost while a session is open on it.
            let stolen = try await v.client(as: "counsellor")
            let before = try await stolen.connection.send(method: .GET, path: "/v1/status")
            #expect(before.status == 200)
            let oldKey = v.keyPath("counsellor")
            let oldCopy = v.root + "/old-counsellor.key"
            try FileManager.default.copyItem(atPath: oldKey, toPath: oldCopy)
            try FileManager.default.removeItem(atPath: oldKey)
            try FileManager.default.removeItem(atPath: oldKey + ".pub")
            try v.newKey("counsellor")
            let r = try v.json(UserSummary.self, as: "admin", ["user", "rekey", "counsellor", "--public-key", oldKey + ".pub"])
            #expect(r.name == "counsellor" && r.status == "active" && r.role == "counsellor")

            let after = try await stolen.connection.send(method: .POST, path: "/v1/records/\(id)/read",
                                                         body: Array(#"{"purpose":"after the rekey"}"#.utf8))
            #expect(after.status == 401 && !String(decoding: after.body, as: UTF8.self).contains("Rekey Survivor"),
                    "\(String(decoding: after.body, as: UTF8.self))")
            await stolen.close()
            let old = try Command.run(TestVault.haven, ["status", "--socket", v.socket, "--key", oldCopy])
            #expect(old.status == 3 && old.stderr.hasPrefix("haven: authentication_failed:"), "\(old)")
            let read = try v.json(ReadRecordResponse.self, as: "counsellor", ["record", "get", id, "--purpose", "with the new key"])
            #expect(read.fields["survivor_name"] == "Rekey Survivor")

            // Audited with both key ids; the log verifies; a restart accepts the new row.
            let entry = try #require(try v.auditLog(["--limit", "5000"]).last { $0.action == "user.rekey" })
            #expect(entry.actor?.user == "admin" && entry.detail["user"] == "counsellor" && entry.decision == "allow")
            #expect(entry.detail["key_id"] == r.keyID && entry.detail["old_key_id"] != nil && entry.detail["old_key_id"] != r.keyID)
            v.stop()
            try v.start()
            try v.expectOK(as: "auditor", ["audit", "verify"])
            try v.expectOK(as: "counsellor", ["status"])
        }

        @Test func onlyAnAdministratorRekeysAnActiveUserToAFreshKey() throws {
            let v = try TestVault()
            try v.newKey("fresh")
            let fresh = v.keyPath("fresh") + ".pub"
            let denied = try v.haven(as: "intake", ["user", "rekey", "counsellor", "--public-key", fresh])
            #expect(denied.status == 3 && denied.stderr.hasPrefix("haven: denied:"), "\(denied)")
            let taken = try v.haven(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("health") + ".pub"])
            #expect(taken.status == 1 && taken.stderr.contains("already enrolled for another user"), "\(taken)")
            let same = try v.haven(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("counsellor") + ".pub"])
            #expect(same.status == 1 && same.stderr.hasPrefix("haven: conflict:"), "\(same)")
            let nobody = try v.haven(as: "admin", ["user", "rekey", "nobody", "--public-key", fresh])
            #expect(nobody.status == 4, "\(nobody)")
            try v.expectOK(as: "admin", ["user", "revoke", "police"])
            let revoked = try v.haven(as: "admin", ["user", "rekey", "police", "--public-key", fresh])
            #expect(revoked.status == 4, "\(revoked)")
            // A revoked user's key stays enrolled to them: it is never given to someone else.
            let reused = try v.haven(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("police") + ".pub"])
            #expect(reused.status == 1 && reused.stderr.contains("already enrolled"), "\(reused)")
            // Nothing above changed anyone's key.
            try v.expectOK(as: "counsellor", ["status"])
        }

        /// Someone who can write the stopped vault's files puts the old key back: the users
        /// row no longer matches its last audited state, and havend refuses to start.
        @Test func theOldKeyWrittenBackIntoTheDatabaseIsRefusedAtStart() throws {
            let v = try TestVault()
            let old = try KeyFileFormatTest.publicKeyBytes(v.keyPath("counsellor") + ".pub")
            try v.newKey("replacement")
            try v.expectOK(as: "admin", ["user", "rekey", "counsellor", "--public-key", v.keyPath("replacement") + ".pub"])
            v.stop()
            try v.execute("UPDATE users SET public_key = ? WHERE name = 'counsellor'", [old])
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.status == 1 && r.stderr.contains("table users, user 'counsellor': the row differs from its last audited state"), "\(r)")
        }
    }
}
