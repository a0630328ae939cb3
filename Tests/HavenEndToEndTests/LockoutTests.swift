import Foundation
import HavenAPI
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Repeated failed authentications are slowed, then locked out for a period — that uid's
    /// attempts with that key, not the whole Unix account; every attempt is audited, and a
    /// locked-out peer learns nothing about records.
    @Suite struct LockoutTests {
        @Test func repeatedFailuresAreSlowedThenLockedOutAndAudited() throws {
            // The window must outlast the six slowed failures (their delays alone add up to
            // nearly 4 s), or the first ones age out before the lockout on a busy machine.
            let v = try TestVault(daemonArguments: ["--auth-lockout-failures", "6", "--auth-lockout-seconds", "60"])
            let id = try v.createRecord(["incident_type": "rape"])
            try v.newKey("guesser")  // a key that is not enrolled
            var durations = [TimeInterval]()
            for _ in 0..<6 {
                let started = Date()
                let r = try v.haven(as: "guesser", ["status"])
                durations.append(Date().timeIntervalSince(started))
                #expect(r.status == 3)
                #expect(r.stderr.hasPrefix("haven: authentication_failed:"))
            }
            // Slowed: the later failures take noticeably longer than the first.
            #expect(durations[5] > durations[0] + 0.2, "durations \(durations)")

            // Locked out: this uid's attempts with that key are refused, and whether a record
            // exists or not makes no difference.
            let locked = try v.haven(as: "guesser", ["record", "get", id, "--purpose", "probe"])
            let nowhere = try v.haven(as: "guesser", ["record", "get", "aaaaaaaaaaaaaaaaaaaaaaaaaa", "--purpose", "probe"])
            #expect(locked.status == 3 && nowhere.status == 3)
            #expect(locked.stderr.hasPrefix("haven: locked_out:") && nowhere.stderr.hasPrefix("haven: locked_out:"))
            #expect(locked.stderr.replacingOccurrences(of: id, with: "") == nowhere.stderr.replacingOccurrences(of: "aaaaaaaaaaaaaaaaaaaaaaaaaa", with: ""))

            // Not the Unix account: another user of the same uid, with their own key, is served at once.
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "another user of this uid"])

            let attempts = try v.withDatabase { db -> [String] in
                let s = try db.statement("SELECT entry FROM audit_entries WHERE action = 'auth.session' AND decision = 'deny' ORDER BY seq")
                var out = [String]()
                while try s.step() { out.append(String(decoding: s.blob(0), as: UTF8.self)) }
                return out
            }
            #expect(attempts.count >= 8)
            #expect(attempts.filter { $0.contains("no active user is enrolled with key") }.count == 6)
            #expect(attempts.filter { $0.contains("locked out until") }.count >= 2)
        }
    }
}
