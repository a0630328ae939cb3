import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Case numbers as each attacker of them would try them (SECURITY.md): someone who can
    /// write the stopped vault's files but holds no root key swaps, moves or deletes a number,
    /// so that a paper list leads staff to another survivor's record; a user of one agency
    /// tries another agency's number. Each edit refuses the start, named; each number of
    /// another agency is not found, as one never given.
    @Suite struct CaseNumberTamperTests {
        func number(_ v: TestVault, _ record: String, agency: String = "ossc-vientiane") throws -> String {
            try v.withDatabase { db in
                let s = try db.statement("SELECT number FROM case_numbers WHERE record_id = ? AND agency = ?").bind(1, record).bind(2, agency)
                guard try s.step() else { throw TestFailure("no case number for \(record)") }
                return s.string(0)
            }
        }

        /// The swap a tamperer would make: each number's row now leads to the other record.
        func swap(_ v: TestVault, _ a: String, _ b: String) throws {
            try v.execute("UPDATE case_numbers SET record_id = 'swapping' WHERE record_id = ?", [a])
            try v.execute("UPDATE case_numbers SET record_id = ? WHERE record_id = ?", [a, b])
            try v.execute("UPDATE case_numbers SET record_id = ? WHERE record_id = 'swapping'", [b])
        }

        /// havend on the edited vault: one line, refusing, naming the table and `finding`.
        func expectRefusedStart(_ v: TestVault, _ finding: String) throws {
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", v.policy], timeout: 30)
            #expect(r.status == 1 && r.stderr.split(separator: "\n").count == 1, "\(r)")
            #expect(r.stderr.hasPrefix("havend: refusing to start: table case_numbers: "), "\(r)")
            #expect(r.stderr.contains(finding), "\(r)")
            #expect(!FileManager.default.fileExists(atPath: v.socket))
        }

        @Test func twoRecordsNumbersSwappedAreCaughtAtStartAndNamed() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Swap One", "incident_type": "rape"])
            let b = try v.createRecord(["survivor_name": "Swap Two", "incident_type": "rape"])
            let (na, nb) = (try number(v, a), try number(v, b))
            #expect(na != nb)
            _ = v.stop()
            try swap(v, a, b)
            try expectRefusedStart(v, "\(na) of agency ossc-vientiane (record \(b))")
        }

        @Test func aNumberSwappedWhileServingIsRefusedNotFollowed() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Live One", "incident_type": "rape"])
            let b = try v.createRecord(["survivor_name": "Live Two", "incident_type": "rape"])
            let na = try number(v, a)
            try swap(v, a, b)
            let r = try v.haven(as: "intake", ["record", "get", na, "--purpose", "case number lookup"])
            #expect(r.status != 0 && r.stderr.contains("integrity_error") && r.stderr.contains(na), "\(r)")
            #expect(!r.stdout.contains("Live Two"), "\(r)")
        }

        @Test func aNumberMovedToAnotherAgencyOrEditedOrDeletedIsCaughtAtStart() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Moved One", "incident_type": "rape"])
            let na = try number(v, a)
            _ = v.stop()
            try v.execute("UPDATE case_numbers SET agency = 'police-vientiane' WHERE record_id = ?", [a])
            try expectRefusedStart(v, "\(na) of agency police-vientiane")
            try v.execute("UPDATE case_numbers SET agency = 'ossc-vientiane', number = 'OV-00-0001' WHERE record_id = ?", [a])
            try expectRefusedStart(v, "OV-00-0001 of agency ossc-vientiane (record \(a))")
            try v.execute("DELETE FROM case_numbers WHERE record_id = ?", [a])
            try expectRefusedStart(v, "the case number of record(s) \(a) at their own agency was deleted")
        }

        @Test func anotherAgencysNumberIsNotFoundAsOneNeverGiven() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Own Agency", "incident_type": "rape"])
            let na = try number(v, a)
            try v.expectOK(as: "intake", ["record", "get", na.lowercased(), "--purpose", "case number lookup"])
            // The police have no number for it: the centre's names nothing to them, in the
            // same words as a number no one gave; both refusals are in the log without the record.
            let theirs = try v.haven(as: "police", ["record", "get", na, "--purpose", "investigation"])
            let none = try v.haven(as: "police", ["record", "get", "PV-26-9999", "--purpose", "investigation"])
            #expect(theirs.status == 4 && none.status == 4, "\(theirs) \(none)")
            #expect(theirs.stderr == "haven: not_found: no record with case number \(na)\n", "\(theirs)")
            #expect(none.stderr == "haven: not_found: no record with case number PV-26-9999\n", "\(none)")
            let refused = try v.auditLog(["--user", "police", "--limit", "10"]).filter { $0.action == "record.read" }
            #expect(refused.count == 2 && refused.allSatisfy { $0.record == nil && $0.decision != "allow" }, "\(refused)")
        }
    }
}
