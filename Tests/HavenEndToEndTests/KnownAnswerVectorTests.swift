import Foundation
import Testing

extension EndToEnd {
    /// Documents made by an earlier Haven, committed under Tests/Fixtures/: every version must
    /// keep verifying them, offline, with no daemon running.
    @Suite struct KnownAnswerVectorTests {
        static let fixtures = TestVault.repository + "/Tests/Fixtures"

        @Test func committedAuditExportVerifiesOffline() throws {
            let dir = Self.fixtures + "/audit-v1"
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", dir + "/audit-export.jsonl", "--vault-key", dir + "/vault.pub"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("27 entries recomputed; 3 signed checkpoints verified"))
        }

        @Test(arguments: ["flip a byte in an entry", "drop an entry", "swap two entries", "another vault's key"])
        func alteredCopiesOfTheVectorFail(alteration: String) throws {
            let dir = Self.fixtures + "/audit-v1"
            var lines = try String(contentsOfFile: dir + "/audit-export.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
            var key = dir + "/vault.pub"
            switch alteration {
            case "flip a byte in an entry":
                let before = lines[20]
                lines[20] = lines[20].replacingOccurrences(of: "\"decision\":\"allow\"", with: "\"decision\":\"deny\"")
                #expect(lines[20] != before)
            case "drop an entry":
                lines.remove(at: 15)
            case "swap two entries":
                lines.swapAt(12, 13)
            default:
                let other = try TestVault(enrol: false, start: false)
                key = other.data + "/vault.pub"
            }
            let path = "/tmp/hv-vector-\(UUID().uuidString).jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", path, "--vault-key", key])
            #expect(r.status == 1, "\(alteration): \(r)")
        }
    }
}

extension EndToEnd.KnownAnswerVectorTests {
    @Test func committedExtractVerifiesOffline() throws {
        let dir = Self.fixtures + "/extract-v1"
        let r = try Command.run(TestVault.haven, ["extract", "verify", dir + "/extract.json", "--vault-key", dir + "/vault.pub"])
        #expect(r.status == 0, "\(r)")
        #expect(r.stdout.contains("ນາງ ສົມພອນ ວົງສະຫວັນ") == false)  // verify prints names of fields, not values
        #expect(r.stdout.contains("legal basis:       survivor's consent (legal)"))
        // A copy with one byte of the payload changed is invalid.
        var text = try String(contentsOfFile: dir + "/extract.json", encoding: .utf8)
        let payloadStart = text.range(of: "\"payload\":\"")!.upperBound
        let i = text.index(payloadStart, offsetBy: 40)
        text.replaceSubrange(i...i, with: text[i] == "A" ? "B" : "A")
        let path = "/tmp/hv-extract-\(UUID().uuidString).json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let bad = try Command.run(TestVault.haven, ["extract", "verify", path, "--vault-key", dir + "/vault.pub"])
        #expect(bad.status == 1 && bad.stdout.hasPrefix("INVALID:"))
    }
}
