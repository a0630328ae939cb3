import Foundation
import HavenAPI
import Testing

extension EndToEnd {
    /// Someone with write access to the database file moves, swaps, rolls back or flips
    /// ciphertext bytes: every read of the damaged record fails with an integrity error and
    /// returns no value, and the daemon keeps serving the other records.
    @Suite struct TamperTests {
        let v: TestVault
        let a: String
        let b: String

        init() throws {
            v = try TestVault()
            a = try v.createRecord(["survivor_name": "Survivor A", "address": "Address A", "incident_type": "rape"])
            b = try v.createRecord(["survivor_name": "Survivor B", "address": "Address B", "incident_type": "physical_assault"])
        }

        func expectIntegrityError(_ id: String, _ what: String) throws {
            let r = try v.haven(as: "intake", ["record", "get", id, "--purpose", "tamper check"])
            #expect(r.status == 1, "\(what): \(r)")
            #expect(r.stderr.hasPrefix("haven: integrity_error:"), "\(what): \(r)")
            #expect(!r.stdout.contains("Survivor") && !r.stdout.contains("Address"), "\(what) leaked: \(r)")
            // The rest of the vault still answers.
            let other = try v.haven(as: "intake", ["record", "get", id == a ? b : a, "--purpose", "still serving"])
            #expect(other.status == 0 || other.stderr.contains("integrity_error"))
        }

        @Test func ciphertextCopiedIntoAnotherRecordFails() throws {
            try v.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'survivor_name'",
                          [try v.fieldCiphertext(a, "survivor_name"), b])
            try expectIntegrityError(b, "copied across records")
            _ = try v.expectOK(as: "intake", ["record", "get", a, "--purpose", "untouched record"])
        }

        @Test func ciphertextCopiedIntoAnotherFieldOfTheSameRecordFails() throws {
            try v.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'address'",
                          [try v.fieldCiphertext(a, "survivor_name"), a])
            try expectIntegrityError(a, "copied across fields")
        }

        @Test func fieldRolledBackToAnEarlierVersionFails() throws {
            let old = try v.fieldCiphertext(a, "address")
            try v.expectOK(as: "intake", ["record", "update", a, "--field", "address=New address A"])
            // The old ciphertext with the current version number…
            try v.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'address'", [old, a])
            try expectIntegrityError(a, "rolled back, version column kept")
            // …and with its own, older version number: the sealed header still says version 2.
            try v.execute("UPDATE fields SET ciphertext = ?, version = 1 WHERE record_id = ? AND name = 'address'", [old, a])
            try expectIntegrityError(a, "rolled back with its version")
        }

        @Test func singleFlippedByteFails() throws {
            var box = try v.fieldCiphertext(a, "survivor_name")
            box[box.count / 2] ^= 0x01
            try v.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'survivor_name'", [box, a])
            try expectIntegrityError(a, "flipped byte")
        }

        @Test func editedRecordHeaderOrRowFails() throws {
            var header = try v.scalarBlob("SELECT header FROM records WHERE id = ?", [a])
            header[40] ^= 0x80
            try v.execute("UPDATE records SET header = ? WHERE id = ?", [header, a])
            try expectIntegrityError(a, "flipped header byte")
            // Moving a record to another agency in the plain column is caught by the sealed header.
            try v.execute("UPDATE records SET agency = 'police-vientiane' WHERE id = ?", [b])
            let r = try v.haven(as: "police", ["record", "get", b, "--purpose", "moved record"])
            #expect(r.stderr.contains("integrity_error") || r.status == 3, "\(r)")
        }

        @Test func swappedDataKeysFail() throws {
            let keyA = try v.scalarBlob("SELECT wrapped_key FROM records WHERE id = ?", [a])
            try v.execute("UPDATE records SET wrapped_key = ? WHERE id = ?", [keyA, b])
            try expectIntegrityError(b, "data key swapped")
        }
    }
}
