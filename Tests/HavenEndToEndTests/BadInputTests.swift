import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import Testing

extension EndToEnd {
    /// Malformed or oversized requests get a 4xx JSON error with a stable code and change nothing.
    @Suite struct BadInputTests {
        func code(_ r: ClientResponse) -> String? {
            (try? JSONDecoder().decode(ErrorBody.self, from: Data(r.body)))?.error.code
        }

        func recordCount(_ v: TestVault) throws -> Int {
            try v.withDatabase { db in
                let s = try db.statement("SELECT COUNT(*) FROM records")
                _ = try s.step()
                return Int(s.int64(0))
            }
        }

        @Test func badBodiesAreRefusedWithStableCodes() async throws {
            let v = try TestVault()
            let before = try recordCount(v)
            let c = try await v.client(as: "intake")
            let cases: [(String, [UInt8], String?, Int, String)] = [
                ("malformed JSON", Array("{\"type\": \"gbv_incident\", ".utf8), "application/json", 400, "invalid_json"),
                ("unknown member", Array(#"{"type":"gbv_incident","fields":{},"colour":"red"}"#.utf8), "application/json", 400, "unknown_field"),
                ("unknown record field", Array(#"{"type":"gbv_incident","fields":{"incident_type":"rape","favourite_food":"x"}}"#.utf8),
                 "application/json", 400, "unknown_field"),
                ("unknown type", Array(#"{"type":"tax_return","fields":{}}"#.utf8), "application/json", 400, "unknown_record_type"),
                ("wrong value type", Array(#"{"type":"gbv_incident","fields":{"incident_type":"burglary"}}"#.utf8), "application/json", 400, "invalid_value"),
                ("wrong JSON type", Array(#"{"type":"gbv_incident","fields":[]}"#.utf8), "application/json", 400, "invalid_json"),
                ("wrong content type", Array(#"{"type":"gbv_incident","fields":{}}"#.utf8), "text/plain", 415, "unsupported_media_type"),
                ("no content type", Array(#"{"type":"gbv_incident","fields":{}}"#.utf8), nil, 415, "unsupported_media_type"),
                ("body over 1 MiB", [UInt8](repeating: 0x20, count: (1 << 20) + 1), "application/json", 413, "payload_too_large"),
            ]
            for (what, body, type, status, expected) in cases {
                // A refused oversize body closes the connection, so each case gets its own.
                let conn = what == "body over 1 MiB" ? try await v.client(as: "intake").connection : c.connection
                let r = try await conn.send(method: .POST, path: "/v1/records", body: body, contentType: type)
                #expect(r.status == status, "\(what)")
                #expect(code(r) == expected, "\(what): \(String(decoding: r.body, as: UTF8.self))")
            }
            // The unknown record field is named, the value is not echoed.
            let named = try await c.connection.send(method: .POST, path: "/v1/records",
                                                    body: Array(#"{"type":"gbv_incident","fields":{"favourite_food":"secret"}}"#.utf8))
            let text = String(decoding: named.body, as: UTF8.self)
            #expect(text.contains("favourite_food") && !text.contains("secret"))
            #expect(try recordCount(v) == before)
            // Still serving.
            #expect(try await c.connection.send(method: .GET, path: "/v1/status").status == 200)
            await c.close()
        }

        @Test func unknownEndpointsAndMethodsAreJSONErrors() async throws {
            let v = try TestVault()
            let c = try await v.client(as: "intake")
            let missing = try await c.connection.send(method: .GET, path: "/v1/nowhere")
            #expect(missing.status == 404 && code(missing) == "not_found")
            let wrong = try await c.connection.send(method: .DELETE, path: "/v1/records")
            #expect(wrong.status == 405 && code(wrong) == "method_not_allowed")
            await c.close()
        }

        @Test func cliRefusesUnknownFieldsWithTheirName() throws {
            let v = try TestVault()
            let r = try v.haven(as: "intake", ["record", "create", "--type", "gbv_incident", "--field", "favourite_food=rice"])
            #expect(r.status == 1)
            #expect(r.stderr == "haven: unknown_field: unknown field 'favourite_food' for record type gbv_incident (hint: the fields of gbv_incident are listed in policy/schema/gbv_incident.yaml)\n")
            let usage = try v.haven(as: "intake", ["record", "create", "--field", "x"])
            #expect(usage.status == 2)
        }
    }
}
