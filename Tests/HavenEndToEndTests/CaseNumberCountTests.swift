import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A number deleted outside Haven, as someone who can write the stopped vault's files
    /// would delete it: a receiving agency's numbers (given at referral accept) are not the
    /// record's own, so only the agency's count and its tagged mark show the gap. Unnoticed,
    /// the newest deleted number would be given again, and a paper file's number would open
    /// another survivor's record.
    @Suite struct CaseNumberCountTests {
        static let shelter = "lwu-shelter-vientiane"

        /// One row as stored, put back byte for byte after each attack.
        struct SavedRow {
            let agency, number, lookup, record: String
            let year, seq: Int
            let tag: [UInt8]
        }

        func save(_ v: TestVault, _ number: String) throws -> SavedRow {
            try v.withDatabase { db in
                let s = try db.statement("SELECT agency, year, seq, number, lookup, record_id, tag FROM case_numbers WHERE number = ?")
                    .bind(1, number)
                guard try s.step() else { throw TestFailure("no row \(number)") }
                return SavedRow(agency: s.string(0), number: s.string(3), lookup: s.string(4), record: s.string(5),
                                year: Int(s.int64(1)), seq: Int(s.int64(2)), tag: s.blob(6))
            }
        }

        func putBack(_ v: TestVault, _ r: SavedRow) throws {
            try v.execute("INSERT INTO case_numbers (agency, year, seq, number, lookup, record_id, tag) VALUES (?, ?, ?, ?, ?, ?, ?)",
                          [r.agency, r.year, r.seq, r.number, r.lookup, r.record, r.tag])
        }

        @Test func aReceivingAgencysDeletedNumberRefusesTheStartAndIsNeverGivenAgain() throws {
            let tamper = CaseNumberTamperTests()
            let v = try TestVault()
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            var (ids, refs) = ([String](), [String]())
            for i in 0..<4 {
                let id = try v.createRecord(["survivor_name": "Sheltered \(i)", "incident_type": "rape"])
                try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
                let ref = try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                        "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                if i < 3 { try v.expectOK(as: "shelter-intake", ["referral", "accept", ref]) }
                ids.append(id)
                refs.append(ref)
            }
            let numbers = try ids.prefix(3).map { try tamper.number(v, $0, agency: Self.shelter) }
            _ = v.stop()
            let newest = try save(v, numbers[2])
            let year = newest.year
            let mark = try v.scalarBlob("SELECT tag FROM case_number_marks WHERE agency = ? AND year = \(year)", [Self.shelter])

            // The newest deleted: the rows alone run 1 to 2 with no gap; the mark says 3.
            try v.execute("DELETE FROM case_numbers WHERE number = ?", [numbers[2]])
            try tamper.expectRefusedStart(v, "agency \(Self.shelter) gave 3 numbers in \(year), its rows hold 2")
            // … and the mark lowered with it fails its tag.
            try v.execute("UPDATE case_number_marks SET seq = 2 WHERE agency = ?", [Self.shelter])
            try tamper.expectRefusedStart(v, "the mark of agency \(Self.shelter)'s numbers of \(year) (table case_number_marks) was changed")
            try v.execute("UPDATE case_number_marks SET seq = 3 WHERE agency = ?", [Self.shelter])
            try putBack(v, newest)

            // One in the middle deleted: a gap.
            let middle = try save(v, numbers[1])
            try v.execute("DELETE FROM case_numbers WHERE number = ?", [numbers[1]])
            try tamper.expectRefusedStart(v, "agency \(Self.shelter)'s numbers of \(year) do not run from 1 to 3 without a gap")
            try putBack(v, middle)

            // The mark deleted, or one left where every row has gone.
            try v.execute("DELETE FROM case_number_marks WHERE agency = ?", [Self.shelter])
            try tamper.expectRefusedStart(v, "agency \(Self.shelter)'s numbers of \(year) have no mark")
            try v.execute("INSERT INTO case_number_marks (agency, year, seq, tag) VALUES (?, ?, 3, ?)", [Self.shelter, year, mark])

            // Put back whole, it starts, and the next acceptance gets a number never given.
            try v.start()
            try v.expectOK(as: "shelter-intake", ["referral", "accept", refs[3]])
            let next = try tamper.number(v, ids[3], agency: Self.shelter)
            #expect(!numbers.contains(next) && next.hasSuffix("-0004"), "\(next) after \(numbers)")
        }

        /// The same deletion while havend serves, which no start check sees until the next start:
        /// the writer finds the mark above the rows and gives no number, rather than give the
        /// deleted one again; the acceptance is refused whole (the referral stays pending).
        @Test func theNewestNumberDeletedWhileServingIsNeverGivenAgain() throws {
            let tamper = CaseNumberTamperTests()
            let v = try TestVault()
            try v.enrol("shelter-intake", role: "intake", agency: Self.shelter)
            var (ids, refs) = ([String](), [String]())
            for i in 0..<2 {
                let id = try v.createRecord(["survivor_name": "Served \(i)", "incident_type": "rape"])
                try v.expectOK(as: "intake", ["consent", "grant", id, "shelter"])
                refs.append(try v.expectOK(as: "intake", ["referral", "create", id, "--to", Self.shelter, "--service", "shelter",
                                                          "--purpose", "safe room"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
                ids.append(id)
            }
            try v.expectOK(as: "shelter-intake", ["referral", "accept", refs[0]])
            let first = try tamper.number(v, ids[0], agency: Self.shelter)
            try v.execute("DELETE FROM case_numbers WHERE number = ?", [first])
            let r = try v.haven(as: "shelter-intake", ["referral", "accept", refs[1]])
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: integrity_error:"), "\(r)")
            let left = try v.withDatabase { db in
                let s = try db.statement("SELECT count(*) FROM case_numbers WHERE agency = ?").bind(1, Self.shelter)
                _ = try s.step()
                return s.int64(0)
            }
            #expect(left == 0, "the refused acceptance gave no number")
            let status = try v.expectOK(as: "intake", ["referral", "show", refs[1]]).stdout
            #expect(status.contains("pending"), "\(status)")
        }
    }
}
