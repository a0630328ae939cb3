import Foundation
import Glibc
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// What a careless or hostile enrolled user types: values out of range, break-glass
    /// reasons that say nothing, survivor data where only a digest belongs. Each is refused at
    /// the door with a clear error, and no record becomes unreadable for anyone.
    @Suite struct HostileUserTests {
        func expectInvalid(_ r: CommandResult, _ message: String) {
            #expect(r.status == 1, "\(r)")
            #expect(r.stderr.hasPrefix("haven: invalid_value:"), "\(r)")
            #expect(r.stderr.contains(message), "expected '\(message)': \(r)")
        }

        /// An expiry past the documented bound used to be stored with a five-digit year, after
        /// which the record, and every listing that held it, failed its integrity check.
        @Test(arguments: ["9999-12-31", "2101-01-01", "+10000-01-01T00:00:00Z", "2101-06-30T12:00:00+07:00"])
        func anExpiryPast2100IsRefusedAndTheRecordStaysReadable(expiry: String) throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Expiry Survivor", "incident_type": "rape"], assign: ["counsellor"])
            let r = try v.haven(as: "intake", ["consent", "grant", id, "police", "--expires", expiry])
            #expect(r.status == 1 && r.stderr.hasPrefix("haven: invalid_value:"), "\(r)")
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "still readable"])
            try v.expectOK(as: "intake", ["record", "list"])
            try v.expectOK(as: "counsellor", ["record", "list"])
            // The last day of the bound is accepted, and reads back as the day typed.
            try v.expectOK(as: "intake", ["consent", "grant", id, "police", "--expires", "2100-12-31"])
            let shown = try v.expectOK(as: "intake", ["consent", "show", id]).stdout
            #expect(shown.contains("through 2100-12-31 (UTC)"), "\(shown)")
        }

        /// One record that fails its integrity check (here a flipped byte of its sealed
        /// header) is named, not listed, and audited; every other record of the agency and of
        /// the counsellor's assignments still lists and reads.
        @Test func oneDamagedRecordHidesNoOtherFromAListing() throws {
            let v = try TestVault()
            let damaged = try v.createRecord(["survivor_name": "Damaged Survivor", "incident_type": "rape"], assign: ["counsellor"])
            let others = try (0..<3).map { i in
                try v.createRecord(["survivor_name": "Other Survivor \(i)", "incident_type": "rape"], assign: ["counsellor"])
            }
            var header = try v.scalarBlob("SELECT header FROM records WHERE id = ?", [damaged])
            header[40] ^= 0x01
            try v.execute("UPDATE records SET header = ? WHERE id = ?", [header, damaged])
            for user in ["intake", "counsellor"] {
                let list = try v.expectOK(as: user, ["record", "list"])
                #expect(others.allSatisfy { list.stdout.contains($0) }, "\(user): \(list)")
                #expect(list.stdout.contains("failed their integrity check") && list.stdout.contains(damaged), "\(user): \(list)")
                let json = try v.json(RecordListResponse.self, as: user, ["record", "list"])
                #expect(!json.records.contains { $0.id == damaged } && json.damaged == [damaged],
                        "the damaged record is named apart from the list of records: \(json)")
            }
            try v.expectOK(as: "intake", ["record", "get", others[0], "--purpose", "still readable"])
            let entries = try v.auditLog(["--user", "intake", "--limit", "5000"])
            let listed = try #require(entries.last { $0.action == "record.list" })
            #expect(listed.detail["damaged"] == damaged && listed.detail["integrity"] != nil, "\(listed)")
        }

        /// A request that names a key twice is refused with its own code, whichever key it is.
        @Test func aRequestWithADuplicateKeyIsRefused() async throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Duplicate Survivor", "incident_type": "rape"])
            let c = try await v.client(as: "intake")
            for body in [#"{"purpose":"first","purpose":"second"}"#, #"{"purpose":"review","fields":["sex"],"fields":["survivor_name"]}"#] {
                let r = try await c.connection.send(method: .POST, path: "/v1/records/\(id)/read", body: Array(body.utf8))
                let text = String(decoding: r.body, as: UTF8.self)
                #expect(r.status == 400 && text.contains(#""code":"duplicate_key""#), "\(r.status) \(text)")
                #expect(!text.contains("Duplicate Survivor"))
            }
            await c.close()
        }

        /// A certified extract with its genuine payload and then a forged second one: a
        /// reader that keeps the last key would see the forgery, so it is not valid.
        @Test func anExtractWithASecondPayloadIsInvalid() throws {
            let dir = Repository.fixtures + "/extract-v1"
            let text = try String(contentsOfFile: dir + "/extract.json", encoding: .utf8)
            let forged = Data(#"{"format":"haven-extract-v1","forged":true}"#.utf8).base64EncodedString()
            let end = text.range(of: "}", options: .backwards)!.lowerBound
            let doubled = text[..<end] + #","payload":"\#(forged)"}"# + "\n"
            let path = "/tmp/hv-extract-\(UUID().uuidString).json"
            try doubled.write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try Command.run(TestVault.haven, ["extract", "verify", path, "--vault-key", dir + "/vault.pub"])
            #expect(r.status == 1, "\(r)")
            #expect((r.stdout + r.stderr).contains("'payload' twice"), "\(r)")
        }

        @Test func anAuditExportWhoseHeaderNamesAKeyTwiceIsInvalid() throws {
            let dir = Repository.fixtures + "/audit-v1"
            var lines = try String(contentsOfFile: dir + "/audit-export.jsonl", encoding: .utf8).split(separator: "\n").map(String.init)
            lines[0] = String(lines[0].dropLast()) + #","size":1}"#
            let path = "/tmp/hv-export-\(UUID().uuidString).jsonl"
            try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            defer { try? FileManager.default.removeItem(atPath: path) }
            let r = try Command.run(TestVault.haven, ["audit", "verify", "--file", path, "--vault-key", dir + "/vault.pub"])
            #expect(r.status == 1 && (r.stdout + r.stderr).contains("'size' twice"), "\(r)")
        }

        static let canSwitchUsers = geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")

        /// One local user holding hundreds of idle unauthenticated sockets keeps only their
        /// own share; another user of the socket's group (here `nobody`, through setpriv)
        /// still connects, authenticates and is served.
        @Test(.enabled(if: canSwitchUsers, "needs root and setpriv to run a client as another uid"))
        func oneLocalUserCannotLockTheOthersOut() async throws {
            let v = try TestVault(daemonArguments: ["--max-unauthenticated-per-uid", "16", "--max-unauthenticated", "64"])
            // Let uid 65534 reach the socket (group nogroup) and run its own copy of the CLI and key.
            chmod(v.root, 0o711)
            chown(v.socket, 0, 65534)
            let cli = v.root + "/haven-cli", key = v.root + "/nobody.key"
            try FileManager.default.copyItem(atPath: TestVault.haven, toPath: cli)
            chmod(cli, 0o755)
            try FileManager.default.copyItem(atPath: v.keyPath("intake"), toPath: key)
            chown(key, 65534, 65534)

            var idle = [RawConnection]()
            for _ in 0..<300 {
                if let c = try? await RawConnection.connect(v.socket) { idle.append(c) }
            }
            try await Task.sleep(for: .milliseconds(500))
            let open = idle.filter { $0.channel.isActive }.count
            #expect(open <= 16, "\(open) unauthenticated connections of one uid stayed open over its share of 16")
            let other = try Command.run("/usr/bin/setpriv", ["--reuid=65534", "--regid=65534", "--clear-groups", cli,
                                                              "status", "--socket", v.socket, "--key", key])
            #expect(other.status == 0 && other.stdout.contains("intake"), "\(other)")
            // The flooding uid itself still authenticates once its idle sockets are gone.
            for c in idle { await c.close() }
            try await Task.sleep(for: .milliseconds(300))
            try v.expectOK(as: "intake", ["status"])
        }

        @Test(arguments: ["0001-01-01", "1899-12-31", "2101-01-01", "9999-12-31"])
        func aDateFieldOutsideItsBoundsIsRefused(date: String) throws {
            let v = try TestVault()
            let r = try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "incident_type=rape",
                                               "--field", "date_of_birth=\(date)"])
            expectInvalid(r, "field 'date_of_birth' must be a date from 1900-01-01 to 2100-12-31")
        }

        @Test(arguments: [
            String(repeating: "a", count: 20),
            String(repeating: "\u{200B}", count: 20),
            "a" + String(repeating: "\u{0301}", count: 20),
            String(repeating: "ab", count: 12),
            "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!",
        ])
        func aBreakGlassReasonThatSaysNothingIsRefused(reason: String) throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Glass Survivor", "incident_type": "rape"])
            let r = try v.haven(as: "counsellor", ["record", "get", id, "--purpose", "emergency", "--break-glass", reason])
            #expect(r.status != 0, "\(r)")
            #expect(!r.stdout.contains("Glass Survivor"), "\(r)")
            #expect(r.stderr.contains("break-glass reason"), "\(r)")
        }

        @Test func aMeaningfulBreakGlassReasonInLaoOrVietnameseIsAcceptedAndShownToAuditors() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Glass Survivor", "incident_type": "rape"])
            for reason in ["ນາງຖືກຂັງຢູ່ໃນເຮືອນ ຕ້ອງການທີ່ຢູ່ດ່ວນ", "Nguye\u{0302}\u{0303}n Thi\u{0323} Ha\u{0300} bị nhốt, cần địa chỉ ngay"] {
                try v.expectOK(as: "counsellor", ["record", "get", id, "--purpose", "emergency", "--break-glass", reason])
            }
            let log = try v.expectOK(as: "auditor", ["audit", "log", "--break-glass"]).stdout
            #expect(log.contains("ນາງຖືກຂັງຢູ່ໃນເຮືອນ"), "\(log)")
        }

        @Test(arguments: ["Nang Somphone, born 1998-04-02, phone 020 5555 0101", "sha256:0f3c", "sha256:" + String(repeating: "G", count: 64)])
        func consentEvidenceThatIsNotADigestIsRefused(evidence: String) throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Evidence Survivor", "incident_type": "rape"])
            let r = try v.haven(as: "intake", ["consent", "grant", id, "counselling", "--evidence", evidence])
            expectInvalid(r, "evidence must be a digest")
            #expect(!(try v.expectOK(as: "intake", ["consent", "show", id]).stdout.contains("Somphone")))
        }

        @Test func evidenceFromAFileIsItsDigestAndTheFileNeverLeavesTheClient() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Evidence Survivor", "incident_type": "rape"])
            let form = v.root + "/signed-form.pdf"
            try Data("%PDF signed by Nang Somphone".utf8).write(to: URL(fileURLWithPath: form))
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling", "--evidence-file", form])
            let shown = try v.expectOK(as: "intake", ["consent", "show", id]).stdout
            // sha256 of the file's bytes, computed on the client.
            #expect(shown.contains("sha256:5f196005f47401a554b83435e8903bd85895e1a0795f2c5f70a459adc1f0ae0c"),
                    "\(shown)")
            #expect(!shown.contains("Somphone"))
            let both = try v.haven(as: "intake", ["consent", "grant", id, "police", "--evidence", "sha256:" + String(repeating: "a", count: 64),
                                                  "--evidence-file", form])
            #expect(both.status == 2, "\(both)")
        }
    }
}
