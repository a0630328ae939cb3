import Foundation
import HavenAPI
import Testing

extension EndToEnd {
    /// Someone with write access to the database file moves, swaps, rolls back or flips
    /// ciphertext bytes: every read of the damaged record fails with an integrity error and
    /// returns no value, and the vault keeps serving the other records. Against the vault
    /// service and server in this process (`InProcessVault`), over a real socket; the
    /// CLI's side (exit status 1, `haven: integrity_error:`) is in CLITranscriptTests.
    @Suite struct TamperTests {
        /// A vault with two records, A and B.
        func vault() async throws -> (InProcessVault, String, String) {
            let v = try await InProcessVault.start()
            let a = try await v.createRecord(["survivor_name": "Survivor A", "address": "Address A", "incident_type": "rape"])
            let b = try await v.createRecord(["survivor_name": "Survivor B", "address": "Address B", "incident_type": "physical_assault"])
            return (v, a, b)
        }

        func expectIntegrityError(_ v: InProcessVault, _ id: String, other: String, _ what: String) async throws {
            let r = try await v.read("intake", id)
            #expect(r.status == 500 && r.error?.code == "integrity_error", "\(what): \(r.text)")
            #expect(!r.text.contains("Survivor") && !r.text.contains("Address"), "\(what) leaked: \(r.text)")
            // The rest of the vault still answers.
            let still = try await v.read("intake", other)
            #expect(still.status == 200 || still.error?.code == "integrity_error", "\(still.text)")
        }

        @Test func ciphertextCopiedIntoAnotherRecordFails() async throws {
            let (v, a, b) = try await vault()
            try v.files.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'survivor_name'",
                                [try v.files.fieldCiphertext(a, "survivor_name"), b])
            try await expectIntegrityError(v, b, other: a, "copied across records")
            #expect(try await v.read("intake", a).status == 200)
            await v.stop()
        }

        @Test func ciphertextCopiedIntoAnotherFieldOfTheSameRecordFails() async throws {
            let (v, a, b) = try await vault()
            try v.files.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'address'",
                                [try v.files.fieldCiphertext(a, "survivor_name"), a])
            try await expectIntegrityError(v, a, other: b, "copied across fields")
            await v.stop()
        }

        @Test func fieldRolledBackToAnEarlierVersionFails() async throws {
            let (v, a, b) = try await vault()
            let old = try v.files.fieldCiphertext(a, "address")
            _ = try await v.ok("intake", .PATCH, "/v1/records/\(a)", UpdateRecordRequest(fields: ["address": "New address A"]))
            // The old ciphertext with the current version number…
            try v.files.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'address'", [old, a])
            try await expectIntegrityError(v, a, other: b, "rolled back, version column kept")
            // …and with its own, older version number: the sealed header still says version 2.
            try v.files.execute("UPDATE fields SET ciphertext = ?, version = 1 WHERE record_id = ? AND name = 'address'", [old, a])
            try await expectIntegrityError(v, a, other: b, "rolled back with its version")
            await v.stop()
        }

        @Test func singleFlippedByteFails() async throws {
            let (v, a, b) = try await vault()
            var box = try v.files.fieldCiphertext(a, "survivor_name")
            box[box.count / 2] ^= 0x01
            try v.files.execute("UPDATE fields SET ciphertext = ? WHERE record_id = ? AND name = 'survivor_name'", [box, a])
            try await expectIntegrityError(v, a, other: b, "flipped byte")
            await v.stop()
        }

        @Test func editedRecordHeaderOrRowFails() async throws {
            let (v, a, b) = try await vault()
            var header = try v.files.scalarBlob("SELECT header FROM records WHERE id = ?", [a])
            header[40] ^= 0x80
            try v.files.execute("UPDATE records SET header = ? WHERE id = ?", [header, a])
            try await expectIntegrityError(v, a, other: b, "flipped header byte")
            // Moving a record to another agency in the plain column is caught by the sealed header.
            try v.files.execute("UPDATE records SET agency = 'police-vientiane' WHERE id = ?", [b])
            let r = try await v.read("police", b)
            #expect(r.error?.code == "integrity_error" || r.status == 403, "\(r.text)")
            #expect(!r.text.contains("Survivor"))
            await v.stop()
        }

        @Test func swappedDataKeysFail() async throws {
            let (v, a, b) = try await vault()
            let keyA = try v.files.scalarBlob("SELECT wrapped_key FROM records WHERE id = ?", [a])
            try v.files.execute("UPDATE records SET wrapped_key = ? WHERE id = ?", [keyA, b])
            try await expectIntegrityError(v, b, other: a, "data key swapped")
            await v.stop()
        }
    }
}
