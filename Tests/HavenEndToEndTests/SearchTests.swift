import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven record find` and the duplicate check at `record create`, with the real
    /// binaries on the real SQLite file: spellings of one name, phone or date find one
    /// another; a match is listed only where the caller could read what it matched on, and
    /// otherwise counted by agency; the searched values reach neither the log nor the disk.
    @Suite struct SearchTests {
        static let purpose = "survivor returned to the centre"

        static func find(_ v: TestVault, as user: String, _ args: [String]) throws -> FindRecordsResponse {
            try v.json(FindRecordsResponse.self, as: user, ["record", "find", "--purpose", purpose] + args)
        }

        @Test func spellingsOfOneNamePhoneOrDateFindOneAnother() throws {
            // Twenty finds in a row: more than a desk's burst, so at the fastest pace a policy allows.
            let root = "/tmp/hv-spell-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            let policy = try FindDisclosureTests.policy(intakeFindLimit: "{burst: 60, seconds_per_find: 1}", in: root)
            defer { try? FileManager.default.removeItem(atPath: policy) }
            let v = try TestVault(policy: policy)
            // Composed (NFC) Vietnamese, the last word with the new tone placement (hoà).
            let ha = try v.createRecord(["survivor_name": "Nguyễn Thị Hoà", "date_of_birth": "1998-03-07",
                                         "incident_type": "rape"])
            let lao = try v.createRecord(["survivor_name": "ສົມພອນ ແກ້ວມະນີ", "incident_type": "rape"])
            let nu = try v.createRecord(["survivor_name": "ໜູ ໄຊຍະວົງ", "incident_type": "rape"])
            let phones = try ["020 5551 2345", "+856 20 55512345", "8562055512345"].map {
                try v.createRecord(["survivor_name": "Phone Owner", "phone": $0, "incident_type": "physical_assault"])
            }
            _ = try v.createRecord(["survivor_name": "Nguyễn Thị Hà", "date_of_birth": "1998-03-07", "incident_type": "rape"])

            func ids(_ args: [String]) throws -> [String] { try Self.find(v, as: "intake", args).matches.map(\.id) }
            // NFD, the old tone placement (hòa), and no diacritics at all.
            let nfd = "Nguyễn Thị Hoà".decomposedStringWithCanonicalMapping
            #expect(nfd.unicodeScalars.count > "Nguyễn Thị Hoà".unicodeScalars.count)
            let exact = try Self.find(v, as: "intake", ["--name", nfd])
            #expect(exact.matches.map(\.id) == [ha] && exact.matches.first?.nameMatch == "exact", "\(exact)")
            #expect(try Self.find(v, as: "intake", ["--name", "nguyễn thị hòa"]).matches.first?.nameMatch == "exact")
            let loose = try Self.find(v, as: "intake", ["--name", "NGUYEN  thi hoa"])
            #expect(loose.matches.map(\.id) == [ha] && loose.matches.first?.nameMatch == "without_diacritics", "\(loose)")
            #expect(loose.matches.first?.matched == ["survivor_name"])
            // Lao: without the space, with a zero-width space, and ໜ spelled ຫ + ນ.
            #expect(try ids(["--name", "ສົມພອນແກ້ວມະນີ"]) == [lao])
            #expect(try ids(["--name", "ສົມພອນ\u{200B}ແກ້ວ\u{200B}ມະນີ"]) == [lao])
            #expect(try ids(["--name", "ຫນູ ໄຊຍະວົງ"]) == [nu])
            // From a file, off the command line (as --field takes values).
            let file = v.root + "/name.txt"
            try "ຫນູ ໄຊຍະວົງ\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try ids(["--name", "@" + file]) == [nu])
            // Each spelling of the phone finds all three records.
            for spelling in ["020 5551 2345", "+856 20 55512345", "8562055512345", "00856-20-5551-2345"] {
                #expect(Set(try ids(["--phone", spelling])) == Set(phones), "\(spelling)")
            }
            // A date of birth in two spellings, each with the name: both criteria must hold.
            #expect(Set(try ids(["--dob", "07/03/1998", "--name", "nguyen thi ha"])).count == 1)
            #expect(try ids(["--dob", "1998-03-07", "--name", "nguyen thi hoa"]) == [ha])
            #expect(try ids(["--dob", "1998-03-08", "--name", "nguyen thi hoa"]).isEmpty)
            let none = try v.expectOK(as: "intake", ["record", "find", "--name", "Nobody Here", "--purpose", Self.purpose])
            #expect(none.stdout == "no record you may see matches\n")
            // What is not a searchable value is refused with the criterion named, never echoed.
            let short = try v.haven(as: "intake", ["record", "find", "--phone", "12-3", "--purpose", Self.purpose])
            #expect(short.status == 1 && short.stderr.hasPrefix("haven: invalid_value: phone has nothing to search by"), "\(short)")
            #expect(!short.stderr.contains("12-3"))
            let bare = try v.haven(as: "intake", ["record", "find", "--purpose", Self.purpose])
            #expect(bare.status == 2, "\(bare)")
        }

        @Test func matchesOutsideTheCallersReachAreNamedOnlyAsPolicyAndConsentAllow() throws {
            let v = try TestVault()
            try v.enrol("counsellor2", role: "counsellor", agency: "ossc-vientiane")
            try v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            let mine = try v.createRecord(["survivor_name": "Vilay Phommachanh", "phone": "020 7777 1234", "incident_type": "rape"],
                                          assign: ["counsellor"])
            let theirs = try v.createRecord(["survivor_name": "Vilay Phommachanh", "incident_type": "rape"], assign: ["counsellor2"])
            let far = try v.createRecord(["survivor_name": "Vilay Phommachanh", "incident_type": "rape"], as: "intake-lp")
            for id in [mine, theirs] { try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"]) }

            // Intake lists its agency's two; of Luang Prabang's, without her consent to share
            // with an OSSC, only that a record may exist elsewhere.
            let intake = try Self.find(v, as: "intake", ["--name", "vilay phommachanh"])
            #expect(Set(intake.matches.map(\.id)) == [mine, theirs])
            #expect(intake.elsewhere.isEmpty && intake.mayExistElsewhere, "\(intake)")
            // The counsellor sees her own, and nothing of the others (find_elsewhere: none).
            let text = try v.expectOK(as: "counsellor", ["record", "find", "--name", "Vilay Phommachanh", "--purpose", Self.purpose])
            #expect(text.stdout.contains(mine) && !text.stdout.contains(theirs) && !text.stdout.contains(far), "\(text.stdout)")
            #expect(!text.stdout.contains("may not see") && !text.stdout.contains("may exist") && !text.stdout.contains("ossc-luang"),
                    "\(text.stdout)")
            let counsellor = try Self.find(v, as: "counsellor", ["--name", "Vilay Phommachanh"])
            #expect(counsellor.matches.map(\.id) == [mine] && counsellor.matches.first?.assignees == ["counsellor"])
            #expect(counsellor.elsewhere.isEmpty && !counsellor.mayExistElsewhere)

            // Police without police consent learn nothing at all; with it, a name match is
            // listed, but a phone match is not (police may not read contact fields), and
            // nothing is said of it.
            let police = try Self.find(v, as: "police", ["--name", "Vilay Phommachanh"])
            #expect(police.matches.isEmpty && police.elsewhere.isEmpty && !police.mayExistElsewhere, "\(police)")
            try v.expectOK(as: "intake", ["consent", "grant", mine, "police"])
            #expect(try Self.find(v, as: "police", ["--name", "Vilay Phommachanh"]).matches.map(\.id) == [mine])
            let byPhone = try Self.find(v, as: "police", ["--phone", "020 7777 1234"])
            #expect(byPhone.matches.isEmpty && byPhone.elsewhere.isEmpty && !byPhone.mayExistElsewhere)

            // Roles that read no content cannot search at all (exit 3, denied), and court
            // never browses.
            for user in ["admin", "auditor", "analyst", "court"] {
                let r = try v.haven(as: user, ["record", "find", "--name", "Vilay Phommachanh", "--purpose", Self.purpose])
                #expect(r.status == 3 && r.stderr.hasPrefix("haven: denied:"), "\(user): \(r)")
            }
            // Every search is in the log with its purpose and what was searched, allowed or not.
            let entries = try v.auditLog(["--limit", "1000"]).filter { $0.action == "record.find" }
            #expect(entries.filter { $0.decision == "deny" }.count == 4)
            let first = try #require(entries.first { $0.actor?.user == "counsellor" && $0.decision == "allow" })
            #expect(first.purpose == Self.purpose && first.detail["searched"] == "name" && first.detail["listed"] == mine)
            #expect(first.detail["elsewhere"] == "" && first.detail["may_exist_elsewhere"] == nil)
            #expect(first.detail["name_digest"]?.count == 32 && first.detail["phone_digest"] == nil)
        }

        @Test func createAnswersWithPossibleDuplicatesAndStillCreates() throws {
            let v = try TestVault()
            try v.enrol("intake-lp", role: "intake", agency: "ossc-luang-prabang")
            let first = try v.createRecord(["survivor_name": "Bounmy Sisavath", "date_of_birth": "2001-11-20", "incident_type": "rape"])
            let far = try v.createRecord(["survivor_name": "Bounmy Sisavath", "phone": "+84 912 345 678", "incident_type": "rape"],
                                         as: "intake-lp")
            // Her counselling consent covers sharing with an OSSC: Luang Prabang may be named.
            try v.expectOK(as: "intake-lp", ["consent", "grant", far, "counselling"])
            // Same name and date of birth (spelled differently): named, within reach.
            let again = try v.json(RecordWriteResponse.self, as: "intake", [
                "record", "create", "--type", "trafficking_case", "--field", "survivor_name=bounmy  SISAVATH",
                "--field", "date_of_birth=2001-11-20", "--field", "phone=0912345678", "--field", "exploitation_form=forced_labour",
                "--json"])
            let d = try #require(again.possibleDuplicates, "\(again)")
            #expect(d.records.map(\.id) == [first] && d.records.first?.matched == ["date_of_birth", "survivor_name"])
            // The phone, in its national form, matches Luang Prabang's record: counted only.
            #expect(d.elsewhere == [AgencyCount(agency: "ossc-luang-prabang", count: 1)])
            #expect(again.id != first && again.id != far)
            // The text output keeps the id alone on stdout and warns on stderr.
            let text = try v.expectOK(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=Bounmy Sisavath",
                                                     "--field", "date_of_birth=2001-11-20", "--field", "incident_type=rape"])
            #expect(text.stdout.split(separator: "\n").count == 1)
            #expect(text.stderr.contains("possible duplicate: \(first)"), "\(text.stderr)")
            // A name alone is no duplicate.
            let alone = try v.json(RecordWriteResponse.self, as: "intake", [
                "record", "create", "--type", "gbv_incident", "--field", "survivor_name=Bounmy Sisavath", "--field", "incident_type=rape",
                "--json"])
            #expect(alone.possibleDuplicates == nil)
            let entry = try #require(try v.auditLog(["--record", again.id]).first { $0.action == "record.create" })
            // The entry counts the possible duplicates and names none of them.
            #expect(entry.detail["possible_duplicates"] == "2" && entry.detail["duplicates_elsewhere"] == "ossc-luang-prabang:1", "\(entry.detail)")
            #expect(!entry.detail.values.contains { $0.contains(first) || $0.contains(far) })
        }

        @Test func searchedValuesReachNeitherTheLogNorTheDiskAndIndexesDifferAcrossVaults() throws {
            let a = try TestVault(distinct: true)
            let b = try TestVault(distinct: true)
            let name = "Keomany Douangdeuane", phone = "020 9876 5432", dob = "1990-06-15"
            for v in [a, b] {
                _ = try v.createRecord(["survivor_name": name, "phone": phone, "date_of_birth": dob, "incident_type": "rape"])
            }
            // Searched with spellings that occur nowhere else.
            let query = ["--name", "keomany douangdeuane", "--phone", "+856 20 98765432", "--dob", "15/06/1990"]
            #expect(try Self.find(a, as: "intake", query).matches.count == 1)
            #expect(try Self.find(a, as: "intake", Array(query[0...1])).matches.count == 1)
            let finds = try a.auditLog(["--limit", "1000"]).filter { $0.action == "record.find" }
            #expect(finds.map { $0.detail["searched"] } == ["name,phone,dob", "name"])
            // Each value's keyed digest, equal for the same name, different across vaults.
            #expect(finds[0].detail["name_digest"] == finds[1].detail["name_digest"] && finds[0].detail["dob_digest"]?.count == 32)
            _ = try Self.find(b, as: "intake", Array(query[0...1]))
            let other = try #require(try b.auditLog(["--limit", "1000"]).last { $0.action == "record.find" })
            #expect(other.detail["name_digest"] != nil && other.detail["name_digest"] != finds[1].detail["name_digest"])
            a.stop()
            let searched = [name, "keomany douangdeuane", "keomanydouangdeuane", "98765432", "0209876543", "15/06/1990", dob]
            for file in try a.dataFiles() + [a.log] {
                let bytes = FileManager.default.contents(atPath: file) ?? Data()
                for value in searched {
                    #expect(bytes.range(of: Data(value.utf8)) == nil, "\(value) in \(file)")
                }
            }
            // The same values index differently in another vault: the keys are the vault's.
            let (ia, ib) = (try a.searchIndexValues(), try b.searchIndexValues())
            #expect(ia.count == 3 && ib.count == 3 && ia != ib, "\(ia) \(ib)")
        }

        @Test func indexRowsAddedOutsideHavenNeverReachTheCallerAndErasureRemovesTheRows() throws {
            let v = try TestVault()
            let target = try v.createRecord(["survivor_name": "Outsider Target", "incident_type": "rape"])
            let other = try v.createRecord(["survivor_name": "Someone Else Entirely", "incident_type": "rape"])
            // Someone with the disk points the target's index value at the other record too.
            let value = try #require(try v.searchIndexValues(target).first)
            try v.execute("INSERT INTO search_index (field, value, record_id) VALUES ('survivor_name', ?, ?)", [Int(value), other])
            try v.execute("INSERT INTO search_index (field, value, record_id) VALUES ('survivor_name', ?, 'not-a-record-id')", [Int(value)])
            let found = try Self.find(v, as: "intake", ["--name", "outsider target"])
            #expect(found.matches.map(\.id) == [target] && found.elsewhere.isEmpty, "\(found)")

            // A name rolled back to its earlier ciphertext, with an index row to match: the
            // old value opens, but not under the version the sealed header names, so the
            // record is not listed and the search's entry names the finding.
            let renamed = try v.createRecord(["survivor_name": "Earlier Name", "incident_type": "rape"])
            let earlier = try v.fieldCiphertext(renamed, "survivor_name")
            let earlierValue = try #require(try v.searchIndexValues(renamed).first)
            try v.expectOK(as: "intake", ["record", "update", renamed, "--field", "survivor_name=Later Name"])
            try v.execute("UPDATE fields SET version = 1, ciphertext = ? WHERE record_id = ? AND name = 'survivor_name'", [earlier, renamed])
            try v.execute("INSERT INTO search_index (field, value, record_id) VALUES ('survivor_name', ?, ?)", [Int(earlierValue), renamed])
            #expect(try Self.find(v, as: "intake", ["--name", "earlier name"]).matches.isEmpty)
            let entry = try #require(try v.auditLog(["--limit", "1000"]).last { $0.action == "record.find" })
            #expect(entry.detail["integrity"]?.contains(renamed) == true, "\(entry.detail)")

            try v.expectOK(as: "intake", ["record", "erase", target, "--reason", ErasureTests.reason])
            #expect(try v.searchIndexValues(target).isEmpty)
            #expect(try Self.find(v, as: "intake", ["--name", "outsider target"]).matches.isEmpty)
            // An update moves the record in the index: found by its new name only.
            try v.expectOK(as: "intake", ["record", "update", other, "--field", "survivor_name=Renamed Person"])
            #expect(try Self.find(v, as: "intake", ["--name", "renamed person"]).matches.map(\.id) == [other])
            #expect(try Self.find(v, as: "intake", ["--name", "someone else entirely"]).matches.isEmpty)
        }
    }
}
