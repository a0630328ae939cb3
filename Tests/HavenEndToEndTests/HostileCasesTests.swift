import Foundation
import HavenAPI
import HavenClient
import HavenTestSupport
import NIOCore
import Testing

extension EndToEnd {
    /// Named hostile inputs, each with its documented answer (SECURITY.md, "limits").
    @Suite struct HostileCasesTests {
        static let limits = ["--request-timeout", "2", "--unauthenticated-idle-timeout", "3", "--max-connections", "700"]

        func code(_ r: RawResponse?) -> String? {
            guard let r else { return nil }
            return ((try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any])
                .flatMap { $0["error"] as? [String: Any] }?["code"] as? String
        }

        func send(_ v: TestVault, _ bytes: [UInt8], closeOutput: Bool = true, session: Bool = false) async throws -> RawResponse? {
            let c = session ? try await RawConnection.authenticated(v.socket, key: try v.signingKey("intake"))
                            : try await RawConnection.connect(v.socket)
            let r = await c.exchange(bytes, closeOutput: closeOutput, timeout: .seconds(15))
            await c.close()
            return r
        }

        @Test func malformedRequestsGetStableJSONErrors() async throws {
            let v = try TestVault(daemonArguments: Self.limits)
            let id = try v.createRecord(["incident_type": "rape"])
            func create(_ body: String) -> [UInt8] { FuzzCorpus.request("POST", "/v1/records", body: body) }

            // Truncated: the head, then the body, then cut before the blank line.
            let full = create(#"{"type":"gbv_incident","fields":{"incident_type":"rape"}}"#)
            for cut in [10, 40, full.count - 5] {
                let r = try await send(v, Array(full.prefix(cut)))
                #expect(r?.status == 400 && code(r) == "bad_request", "truncated at \(cut): \(r?.text ?? "no answer")")
            }
            // Invalid UTF-8 inside the JSON.
            var invalid = Array(#"{"type":"gbv_incident","fields":{"incident_type":"rape","survivor_name":"A"#.utf8)
            invalid += [0xFF, 0xFE, 0xC3]
            invalid += Array(#""}}"#.utf8)
            let head = Array("POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: \(invalid.count)\r\n\r\n".utf8)
            #expect(code(try await send(v, head + invalid, session: true)) == "invalid_json")
            // NUL in a value: as a JSON escape it is valid JSON, and refused as a control character…
            let nul = try await send(v, create(#"{"type":"gbv_incident","fields":{"incident_type":"rape","survivor_name":"A\u0000B"}}"#), session: true)
            #expect(nul?.status == 400 && code(nul) == "invalid_value" && nul?.text.contains("U+0") == true, "\(nul?.text ?? "")")
            // …as a raw byte it is not JSON at all; in a header it is not HTTP.
            #expect(code(try await send(v, create("{\"type\":\"gbv_incident\",\"fields\":{\"survivor_name\":\"A\u{0}B\"}}"), session: true)) == "invalid_json")
            #expect(code(try await send(v, Array("GET /v1/status HTTP/1.1\r\nHost: a\u{0}b\r\n\r\n".utf8))) == "bad_request")
            // Deeply nested JSON: refused by a byte scan before any decoder recurses.
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let nested = try await send(v, create(#"{"type":"gbv_incident","fields":"# + deep + "}"), session: true)
            #expect(nested?.status == 400 && code(nested) == "invalid_json" && nested?.text.contains("nested deeper") == true)
            // 100,000 fields: the first unknown one is named.
            let many = (0..<100_000).map { "\"\(String($0, radix: 36))\":\"\"" }.joined(separator: ",")  // 0.95 MB: under the limit
            let started = Date()
            let wide = try await send(v, create(#"{"type":"gbv_incident","fields":{"# + many + "}}"), session: true)
            #expect(wide?.status == 400 && code(wide) == "unknown_field", "\(wide?.status ?? 0) \(wide?.text.prefix(300) ?? "")")
            #expect(Date().timeIntervalSince(started) < 10)
            // Headers over the limit: one huge header, and too many.
            let huge = try await send(v, Array("GET /v1/status HTTP/1.1\r\nHost: h\r\nX-Big: \(String(repeating: "a", count: 20_000))\r\n\r\n".utf8))
            #expect(huge?.status == 431 && code(huge) == "headers_too_large")
            let countless = (0..<200).map { "X-\($0): y\r\n" }.joined()
            let crowd = try await send(v, Array("GET /v1/status HTTP/1.1\r\nHost: h\r\n\(countless)\r\n".utf8))
            #expect(crowd?.status == 431 && code(crowd) == "headers_too_large")
            // Over the body limit, declared and streamed.
            let big = try await send(v, Array("POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n{".utf8))
            #expect(big?.status == 413 && code(big) == "payload_too_large")
            var chunked = Array("POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n".utf8)
            for _ in 0..<20 { chunked += Array("10000\r\n".utf8) + [UInt8](repeating: 0x20, count: 0x10000) + Array("\r\n".utf8) }
            let streamed = try await send(v, chunked, closeOutput: false)
            #expect(streamed?.status == 413 && code(streamed) == "payload_too_large")

            // Nothing was created by any of it, and the vault still serves.
            let list = try v.json(RecordListResponse.self, as: "intake", ["record", "list"])
            #expect(list.records.map(\.id) == [id])
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "after the hostile input"])
        }

        @Test func aBodyThatNeverEndsTimesOut() async throws {
            let v = try TestVault(daemonArguments: Self.limits)
            let started = Date()
            let partial = Array("POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"type\":".utf8)
            let r = try await send(v, partial, closeOutput: false)
            #expect(r?.status == 408 && code(r) == "request_timeout", "\(r?.text ?? "no answer")")
            let waited = Date().timeIntervalSince(started)
            #expect(waited >= 1.5 && waited < 10, "answered after \(waited)s with a 2s request timeout")
            let chunk = Array("POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n".utf8)
            #expect(code(try await send(v, chunk, closeOutput: false)) == "request_timeout")
        }

        /// Thousands of idle connections: unauthenticated ones are closed after a short idle
        /// time, those over the limit at once, and a legitimate client is served throughout.
        @Test func thousandsOfIdleConnectionsDoNotStarveALegitimateClient() async throws {
            let v = try TestVault(daemonArguments: Self.limits)
            let id = try v.createRecord(["incident_type": "rape", "survivor_name": "Still here"])
            let legit = try await v.client(as: "intake")  // connected first, as a real client would be
            var idle = [RawConnection]()
            for _ in 0..<2000 {
                if let c = try? await RawConnection.connect(v.socket) { idle.append(c) }
            }
            try await Task.sleep(for: .milliseconds(300))
            let open = idle.filter { $0.channel.isActive }.count
            #expect(open <= 700, "\(open) idle connections stayed open over the limit of 700")
            let read: ReadRecordResponse = try await legit.post("/v1/records/\(id)/read", ReadRecordRequest(purpose: "served", fields: nil, breakGlass: nil))
            #expect(read.fields["survivor_name"] == "Still here")
            // After the unauthenticated idle timeout (3s here) the idle ones are gone, so new
            // clients can connect again.
            try await Task.sleep(for: .seconds(4.5))
            #expect(idle.filter { $0.channel.isActive }.isEmpty)
            try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "new client after the flood"])
            // The session that was in use stays open (authenticated idle timeout is longer).
            let again: ReadRecordResponse = try await legit.post("/v1/records/\(id)/read", ReadRecordRequest(purpose: "again", fields: nil, breakGlass: nil))
            #expect(again.id == id)
            for c in idle { await c.close() }
            await legit.close()
        }
    }
}
