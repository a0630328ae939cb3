import Foundation
import HavenCrypto
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Documents made by an earlier Haven, committed under Tests/Fixtures/: every version must
    /// keep verifying them, offline, with no daemon running.
    @Suite struct KnownAnswerVectorTests {
        static let fixtures = Repository.fixtures

        @Test func committedAuditExportVerifiesOffline() throws {
            let dir = Self.fixtures + "/audit-v1"
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", dir + "/audit-export.jsonl", "--vault-key", dir + "/vault.pub"])
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("27 entries recomputed; 3 signed checkpoints verified"))
        }

        /// What `audit verify` must say of each altered copy: the first bad entry it names and
        /// every problem it lists, in order. An exit status of 1 alone would also pass for a
        /// verifier that blamed the wrong entry, or failed for a reason unrelated to the change.
        static let alterations: [String: (firstBad: String, problems: [String])] = {
            let checkpoint = "checkpoint at size 27 (2026-11-24T02:29:31.433Z)"
            let moved = { (seq: Int, found: Int) in
                "seq \(seq): found entry \(found) in its place (an entry was removed, duplicated or reordered)"
            }
            return [
                // Line 20 of the file is entry 15: the link from entry 16 names it exactly.
                "flip a byte in an entry": ("seq 15", [
                    "seq 15: altered, removed or reordered (the link from entry 16 does not match it)",
                    "\(checkpoint): the entries do not hash to its signed root; an entry in seq 3..26 was altered",
                ]),
                // Line 15 is entry 10: every later entry is one place early, and the log ends one short.
                "drop an entry": ("seq 10", (10...25).map { moved($0, $0 + 1) } + [
                    "log truncated: \(checkpoint) covers entries up to seq 26, but the log ends after seq 25",
                    "the file ends early: it declares more lines than it holds",
                ]),
                // Lines 12 and 13 are entries 7 and 8.
                "swap two entries": ("seq 7", [
                    moved(7, 8), moved(8, 7),
                    "seq 8: altered, removed or reordered (the link from entry 9 does not match it)",
                    "\(checkpoint): the entries do not hash to its signed root; an entry in seq 3..26 was altered",
                ]),
                // The key id of the other vault is filled in by the test.
                "another vault's key": ("none (a checkpoint is bad)", [2, 3, 27].map {
                    "checkpoint at size \($0) names key 8c42ef4e522b2f70, not the vault key {OTHER}"
                }),
            ]
        }()

        @Test(arguments: ["flip a byte in an entry", "drop an entry", "swap two entries", "another vault's key"])
        func alteredCopiesOfTheVectorFail(alteration: String) throws {
            let dir = Self.fixtures + "/audit-v1"
            var lines = try String(contentsOfFile: dir + "/audit-export.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
            var key = dir + "/vault.pub"
            var otherKeyID = ""
            // Held to the end of the test: its directory, and the key in it, go with it.
            var other: TestVault?
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
                other = try TestVault(enrol: false, start: false)
                key = other!.data + "/vault.pub"
                otherKeyID = try KeyFiles.readPublic(path: key).keyID
            }
            let path = "/tmp/hv-vector-\(UUID().uuidString).jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", path, "--vault-key", key])
            #expect(r.status == 1, "\(alteration): \(r)")
            let expected = try #require(Self.alterations[alteration])
            let problems = expected.problems.map { $0.replacingOccurrences(of: "{OTHER}", with: otherKeyID) }
            let said = r.stdout.split(separator: "\n").map(String.init)
            #expect(said.first == "FAILED: \(path): \(problems.count) problem(s); first bad entry: \(expected.firstBad)", "\(r)")
            #expect(Array(said.dropFirst()) == problems.map { "  " + $0 }, "\(alteration): \(r)")
            withExtendedLifetime(other) {}
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
