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

        /// The same swap of the lookup column alone (not under the tag): typing one number finds the other's row.
        func swapLookups(_ v: TestVault, _ a: String, _ b: String) throws {
            let (la, lb) = (try lookup(v, a), try lookup(v, b))
            try v.execute("UPDATE case_numbers SET lookup = 'SWAPPING' WHERE record_id = ?", [a])
            try v.execute("UPDATE case_numbers SET lookup = ? WHERE record_id = ?", [la, b])
            try v.execute("UPDATE case_numbers SET lookup = ? WHERE record_id = ?", [lb, a])
        }

        func lookup(_ v: TestVault, _ record: String) throws -> String {
            try v.withDatabase { db in
                let s = try db.statement("SELECT lookup FROM case_numbers WHERE record_id = ?").bind(1, record)
                guard try s.step() else { throw TestFailure("no case number for \(record)") }
                return s.string(0)
            }
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

        @Test func twoNumbersLookupsSwappedAreCaughtAtStartAndNamed() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Lookup One", "incident_type": "rape"])
            let b = try v.createRecord(["survivor_name": "Lookup Two", "incident_type": "rape"])
            let na = try number(v, a)
            _ = v.stop()
            try swapLookups(v, a, b)
            try expectRefusedStart(v, "the lookup column of \(na) of agency ossc-vientiane (record \(a))")
        }

        @Test func lookupsSwappedWhileServingAreRefusedNotFollowed() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Looked Up One", "incident_type": "rape"])
            let b = try v.createRecord(["survivor_name": "Looked Up Two", "incident_type": "rape"])
            let na = try number(v, a)
            try swapLookups(v, a, b)
            let r = try v.haven(as: "intake", ["record", "get", na, "--purpose", "case number lookup"])
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: integrity_error:") && r.stderr.contains(na), "\(r)")
            #expect(!r.stdout.contains("Looked Up"), "\(r)")
            let note = try v.haven(as: "intake", ["note", "add", na, "--class", "incident", "--text", "called back"])
            #expect(note.status == 1 && note.stderr.hasPrefix("haven: integrity_error:"), "\(note)")
            let refused = try v.auditLog(["--user", "intake"]).filter { ["record.read", "note.add"].contains($0.action) }
            #expect(refused.count == 2 && refused.allSatisfy { $0.record == nil && $0.decision == "error" }
                    && refused.allSatisfy { $0.outcome == "integrity_error" }, "\(refused)")
        }

        /// Numbers are sequential: with break-glass they would walk a year's records one by one.
        @Test func breakGlassByCaseNumberIsRefusedAndAudited() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Glass Walk", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", a, "counselling"])
            let na = try number(v, a)
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            let r = try v.haven(as: "counsellor2", ["record", "get", na, "--purpose", "hotline call", "--break-glass", "caller says she is locked in, needs address"])
            #expect(r.status == 1 && r.stdout.isEmpty, "\(r)")
            #expect(r.stderr == "haven: invalid_value: break-glass is refused for a record named by its case number"
                    + " (hint: name the record by its id for a break-glass read)\n", "\(r)")
            let entry = try v.auditLog(["--user", "counsellor2"]).filter { $0.action == "record.read" }
            #expect(entry.count == 1 && entry[0].decision != "allow", "\(entry)")
            let byID = try v.haven(as: "counsellor2", ["record", "get", a, "--purpose", "hotline call", "--break-glass", "caller says she is locked in, needs address"])
            #expect(byID.status == 0, "\(byID)")
        }

        /// Someone who may not learn of an erasure hears of an erased record's number what a
        /// number never given gets, byte for byte.
        @Test func anErasedRecordsNumberIsAsOneNeverGiven() throws {
            let v = try TestVault()
            let a = try v.createRecord(["survivor_name": "Gone By Number", "incident_type": "rape"])
            let na = try number(v, a)
            try v.expectOK(as: "intake", ["record", "erase", a, "--reason", "entered_in_error"])
            try v.enrol("ov-analyst", role: "analyst", agency: "ossc-vientiane")
            let never = "OV-26-9999"
            let erased = try v.haven(as: "ov-analyst", ["record", "get", na, "--purpose", "x"])
            let none = try v.haven(as: "ov-analyst", ["record", "get", never, "--purpose", "x"])
            #expect(erased.status == none.status && erased.stdout == none.stdout, "\(erased) \(none)")
            #expect(erased.stderr == none.stderr.replacingOccurrences(of: never, with: na), "\(erased) \(none)")
            #expect(erased.stderr == "haven: not_found: no record with case number \(na)\n", "\(erased)")
            let json = try v.haven(as: "ov-analyst", ["record", "get", na, "--purpose", "x", "--json"])
            let jsonNone = try v.haven(as: "ov-analyst", ["record", "get", never, "--purpose", "x", "--json"])
            #expect(json.stdout == jsonNone.stdout.replacingOccurrences(of: never, with: na)
                    && json.stderr == jsonNone.stderr.replacingOccurrences(of: never, with: na), "\(json) \(jsonNone)")
            // One who may learn of it is told, as by the id.
            let told = try v.haven(as: "intake", ["record", "get", na, "--purpose", "x"])
            #expect(told.stderr.contains("erased"), "\(told)")
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
