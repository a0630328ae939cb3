import Foundation
import HavenAPI
import HavenCore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Issue "foundation": the real havend and haven, a real SQLite file, real libsodium.
    @Suite struct FoundationTests {
        static let lao = "ນາງ ສົມພອນ ວົງສະຫວັນ"
        static let vietnamese = "Nguyễn Thị Hà, Hà Tĩnh"

        @Test func laoAndVietnameseValuesComeBackByteIdentical() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": Self.lao, "address": Self.vietnamese, "incident_type": "rape"])
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "intake review"])
            #expect(Array(((r.fields["survivor_name"] ?? nil) ?? "").utf8) == Array(Self.lao.utf8))
            #expect(Array(((r.fields["address"] ?? nil) ?? "").utf8) == Array(Self.vietnamese.utf8))
            // The human output carries the same bytes.
            let human = try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "intake review", "--fields", "survivor_name"])
            #expect(human.stdout.contains(Self.lao))
        }

        @Test func recordCreateJSONPrintsTheID() throws {
            let v = try TestVault()
            let r = try v.expectOK(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "incident_type=rape", "--json"])
            let created = try JSONDecoder().decode(RecordWriteResponse.self, from: Data(r.stdout.utf8))
            #expect(try RecordID(created.id).rawValue.count == 26 && created.version == 1)
        }

        @Test func noPlaintextReachesTheDatabaseItsWALOrTheLog() throws {
            let v = try TestVault()
            let canary = "CANARY-\(UUID().uuidString)"
            let secrets = [Self.lao, Self.vietnamese, canary, "+856 20 5555 1234"]
            let id = try v.createRecord(["survivor_name": Self.lao, "address": Self.vietnamese, "incident_description": canary,
                                         "phone": "+856 20 5555 1234", "incident_type": "rape"], assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling", "--evidence", "sha256:" + String(repeating: "0f", count: 32)])
            try v.expectOK(as: "counsellor", ["record", "update", id, "--field", "counselling_notes=\(canary) notes"])
            try v.expectOK(as: "counsellor", ["note", "add", id, "--class", "counselling", "--text", "\(canary) in a note"])
            let read = try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "session"])
            // Positive control: the scanner finds the values where they legitimately are.
            #expect(Array(read.stdout.utf8).contains(subsequence: Array(canary.utf8)))
            #expect(Array(read.stdout.utf8).contains(subsequence: Array(Self.lao.utf8)))

            func scan(_ when: String) throws {
                let files = try v.dataFiles() + [v.log]
                #expect(files.contains { $0.hasSuffix("haven.db-wal") } || when == "after stop")
                for file in files {
                    let bytes = [UInt8](FileManager.default.contents(atPath: file) ?? Data())
                    for secret in secrets {
                        let needle = Array(secret.utf8)
                        #expect(!bytes.contains(subsequence: needle), "\(when): \(file) contains '\(secret)'")
                    }
                }
            }
            try scan("while running")
            v.stop()
            try scan("after stop")
        }
    }
}

extension Array where Element == UInt8 {
    func contains(subsequence needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, needle.count <= count else { return false }
        let first = needle[0]
        var i = 0
        while i <= count - needle.count {
            if self[i] == first && Array(self[i..<(i + needle.count)]) == needle { return true }
            i += 1
        }
        return false
    }
}
