import Foundation
import Glibc
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// SIGHUP reloads policy/; an invalid policy is refused and the one in force stays.
    @Suite struct PolicyReloadTests {
        func copyPolicy(to dir: String) throws {
            try FileManager.default.copyItem(atPath: Repository.path("policy"), toPath: dir)
        }

        @Test func invalidPolicyOnReloadIsRefusedAndTheOldOneStays() throws {
            let dir = "/tmp/hv-policy-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try copyPolicy(to: dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let v = try TestVault(policy: dir)
            let before = try v.json(SessionResponse.self, as: "police", ["status"]).policyVersion

            // A typo: police may now "record.raed". Refused, with file and line in the log.
            let roles = dir + "/roles.yaml"
            let original = try String(contentsOfFile: roles, encoding: .utf8)
            try original.replacingOccurrences(of: "    actions: [record.read, record.find]\n", with: "    actions: [record.raed, record.find]\n")
                .write(toFile: roles, atomically: true, encoding: .utf8)
            let check = try Command.run(TestVault.haven, ["policy", "check", dir])
            #expect(check.status == 1 && check.stderr.contains("\(dir)/roles.yaml:"), "\(check)")
            v.send(SIGHUP)
            try waitFor { v.daemonLog.contains("policy reload refused") }
            #expect(v.daemonLog.contains("roles.yaml:") && v.daemonLog.contains("unknown action 'record.raed'"))
            #expect(try v.json(SessionResponse.self, as: "police", ["status"]).policyVersion == before)

            // A valid change takes effect: police lose perpetrator fields.
            try original.replacingOccurrences(of: "      perpetrator: {consent: police}\n", with: "")
                .write(toFile: roles, atomically: true, encoding: .utf8)
            v.send(SIGHUP)
            try waitFor { v.daemonLog.contains("policy reloaded") }
            let after = try v.json(SessionResponse.self, as: "police", ["status"]).policyVersion
            #expect(after != before)
            let id = try v.createRecord(["incident_type": "rape", "perpetrator_relationship": "stranger", "survivor_name": "A"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "police"])
            let body = try v.json(ReadRecordResponse.self, as: "police", ["record", "get", id, "--purpose", "after reload"])
            #expect(body.fields["perpetrator_relationship"] == nil)
            #expect(body.withheld.contains(.init(field: "perpetrator_relationship", reason: "class perpetrator not permitted for role police")))

            // Both reloads are in the audit log, with the versions.
            let reloads = try v.withDatabase { db -> [String] in
                let s = try db.statement("SELECT entry FROM audit_entries ORDER BY seq")
                var out = [String]()
                while try s.step() {
                    let e = String(decoding: s.blob(0), as: UTF8.self)
                    if e.contains("\"action\":\"policy.reload\"") { out.append(e) }
                }
                return out
            }
            #expect(reloads.count == 2)
            #expect(reloads[0].contains("\"decision\":\"deny\"") && reloads[0].contains("record.raed"))
            #expect(reloads[1].contains("\"decision\":\"allow\"") && reloads[1].contains(after))
        }

        @Test func daemonRefusesToStartOnAnInvalidPolicy() throws {
            let dir = "/tmp/hv-policy-" + String(UInt64.random(in: 0...UInt64.max), radix: 36)
            try copyPolicy(to: dir)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let schema = dir + "/schema/gbv_incident.yaml"
            try (try String(contentsOfFile: schema, encoding: .utf8)).replacingOccurrences(of: "class: identity, type: text", with: "class: identiy, type: text")
                .write(toFile: schema, atomically: true, encoding: .utf8)
            let v = try TestVault(enrol: false, start: false, policy: dir)
            let r = try Command.run(TestVault.havend, ["--data", v.data, "--socket", v.socket, "--policy", dir], timeout: 20)
            #expect(r.status == 1)
            #expect(r.stderr.hasPrefix("havend: \(dir)/schema/gbv_incident.yaml:"), "\(r)")
            #expect(r.stderr.contains("unknown field class 'identiy'"))
        }
    }
}

func waitFor(_ timeout: TimeInterval = 10, _ condition: () throws -> Bool) throws {
    let deadline = Date().addingTimeInterval(timeout)
    while Date() < deadline {
        if try condition() { return }
        usleep(20_000)
    }
    throw TestFailure("condition not met within \(timeout)s")
}
