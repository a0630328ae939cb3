import Foundation
import HavenTestSupport
import Testing

extension EndToEnd.RecoveryJournalTests {
    /// A referral closed or declined after the archive stays ended through a restore: before,
    /// only a revocation was journaled, and the restore brought a closed referral back
    /// accepted (the shelter's counsellor read the record again) and a declined one pending
    /// (the shelter could still accept it).
    @Test func aReferralClosedOrDeclinedSinceTheArchiveStaysEnded() throws {
        let anchor = EndToEnd.BackupTests.anchorPath()
        defer { for f in [anchor, anchor + ".journal", anchor + ".tally", anchor + ".tally.new", anchor + ".new"] { unlink(f) } }
        let v = try TestVault(start: false, daemonArguments: ["--anchor", anchor])
        try v.start(extraArguments: ["--create-anchor"])
        try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
        try v.enrol("shelter-counsellor", role: "counsellor", agency: Self.shelter)
        func refer(_ name: String) throws -> (String, String) {
            let id = try v.createRecord(["survivor_name": name, "incident_type": "physical_assault"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                    "--purpose", "shelter placement requested"]).stdout
            return (id, ref.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let (closedRecord, closed) = try refer("Closed Referral")
        let (_, declined) = try refer("Declined Referral")
        try v.expectOK(as: "shelter-intake", ["referral", "accept", closed, "--assign", "shelter-counsellor"])
        let before = try v.haven(as: "shelter-counsellor", ["record", "get", closedRecord, "--purpose", "arranging a safe room"])
        #expect(before.status == 0, "\(before)")
        let archive = v.root + "/last-week.hvbk"
        try v.expectOK(as: "admin", ["backup", "create", "--out", archive])
        try v.expectOK(as: "intake", ["referral", "close", closed, "--reason", "stay ended"])
        try v.expectOK(as: "shelter-intake", ["referral", "decline", declined, "--reason", "no room"])
        _ = v.stop()
        let kinds = try Self.lines(anchor + ".journal").dropFirst().map { String($0.split(separator: " ")[0]) }
        #expect(kinds == ["referral-closed", "referral-declined"], "\(kinds)")

        let restored = try TestVault(enrol: false, start: false, distinct: true)
        try FileManager.default.removeItem(atPath: restored.data)
        let r = try Self.restore(v, archive, into: restored.data, anchor: try Self.copyAnchor(anchor, into: v.root + "/drill"))
        #expect(r.status == 0 && r.stdout.contains("referral closed 1, referral declined 1"), "\(r)")
        try restored.start(extraArguments: ["--root-key", v.data + "/root.key"])
        func run(as user: String, _ args: [String]) throws -> CommandResult {
            try Command.run(TestVault.haven, args + ["--socket", restored.socket, "--key", v.keyPath(user)])
        }
        let read = try run(as: "shelter-counsellor", ["record", "get", closedRecord, "--purpose", "arranging a safe room"])
        #expect(read.status != 0, "the closed referral gives the shelter nothing again: \(read)")
        let accept = try run(as: "shelter-intake", ["referral", "accept", declined])
        #expect(accept.status != 0, "the declined referral cannot be accepted: \(accept)")
        _ = restored.stop()
    }
}
