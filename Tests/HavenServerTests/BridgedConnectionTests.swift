import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import HavenTestSupport
import Testing

/// The bridge's preamble against the real havend on a real socket: a connection that starts
/// with it is served as any other and every entry it makes says where the bridge said it
/// came from; a malformed one is refused alone; and what it reports decides nothing.
@Suite struct BridgedConnectionTests {
    static let tcp4 = "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\r\n"

    /// The handshake of AUTHENTICATION.md on a raw connection, signing `uid` and `pid`.
    /// Returns the challenge's answer and the session's.
    @discardableResult
    static func authenticate(_ c: RawSocket, key: SigningKey, uid: UInt32 = getuid(), pid: Int32 = getpid()) throws
        -> (challenge: ChallengeResponse, session: RawSocket.Answer) {
        try c.send(RawSocket.request("POST", "/v1/auth/challenge"))
        let ch = try c.answer()
        guard ch.status == 200 else { throw TestFailure("challenge: \(ch.status) \(ch.text)") }
        let challenge = try JSONDecoder().decode(ChallengeResponse.self, from: Data(ch.body))
        let pk = Base64.encode(key.publicKey.bytes)
        let signature = key.sign(AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: uid, pid: pid, publicKey: pk))
        let body = String(decoding: try JSONEncoder().encode(SessionRequest(publicKey: pk, signature: Base64.encode(signature))), as: UTF8.self)
        try c.send(RawSocket.request("POST", "/v1/auth/session", body: body))
        return (challenge, try c.answer())
    }

    static func log(_ v: TestVault, _ extra: [String] = []) throws -> [AuditEntryView] {
        try v.json(AuditLogResponse.self, as: "auditor", ["audit", "log", "--sessions", "--all", "--oldest-first"] + extra).entries
    }

    @Test func aPreambleInPiecesThenRequestsIsServedAndEveryEntrySaysSo() throws {
        let v = try TestVault()
        let c = try RawSocket(v.socket)
        // The line in three writes, the last with the first request behind it.
        let line = Array(Self.tcp4.utf8)
        try c.send(Array(line[0..<3]))
        usleep(20_000)
        try c.send(Array(line[3..<20]))
        usleep(20_000)
        try c.send(Array(line[20...]) + Array(RawSocket.request("GET", "/v1/health").utf8))
        #expect(try c.answer().status == 200)
        let (challenge, session) = try Self.authenticate(c, key: try v.signingKey("intake"))
        #expect(session.status == 200, "\(session.text)")
        // The kernel's view of this connection, whatever the preamble said.
        #expect(challenge.peerUID == getuid())
        #expect(challenge.peerPID == getpid())
        let create = #"{"type":"gbv_incident","fields":{"survivor_name":"Bridged Survivor","incident_type":"rape"}}"#
        try c.send(RawSocket.request("POST", "/v1/records", body: create))
        let created = try c.answer()
        #expect(created.status == 201, "\(created.text)")
        let id = try #require((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["id"] as? String)
        // Allowed or refused, the read is an entry of this connection as well.
        try c.send(RawSocket.request("POST", "/v1/records/\(id)/read", body: #"{"purpose":"follow-up"}"#))
        let read = try c.answer()
        #expect(read.status == 200 || read.status == 403, "\(read.text)")

        let entries = try Self.log(v).filter { $0.actor?.user == "intake" }
        let bridged = entries.filter { $0.detail["via"] != nil }
        #expect(Set(bridged.map(\.action)).isSuperset(of: ["auth.session", "record.create", "record.read"]), "\(bridged.map(\.action))")
        for e in bridged {
            #expect(e.detail["via"] == "dial-stdio")
            #expect(e.detail["reported_from"] == "192.0.2.7 port 50022")
            #expect(e.peer?.uid == getuid() && e.peer?.pid == getpid(), "the peer is the kernel's")
        }
        // The auditor's own CLI connections were local: their entries say nothing of a bridge.
        let local = try Self.log(v, ["--user", "auditor"])
        #expect(!local.isEmpty && local.allSatisfy { $0.detail["via"] == nil && $0.detail["reported_from"] == nil })

        // `haven audit log` shows it on the entry's line, marked as reported.
        let text = try v.expectOK(as: "auditor", ["audit", "log", "--user", "intake", "--sessions"]).stdout
        let lines = text.split(separator: "\n").filter { $0.contains("record.create") }
        #expect(lines.count == 1 && lines[0].contains("record.create via dial-stdio from 192.0.2.7 port 50022 (reported)"), "\(text)")
    }

    @Test func anIPv6OrUnknownOriginIsRecordedAsReported() throws {
        let v = try TestVault()
        for (line, reported) in [("PROXY TCP6 2001:db8::1 2001:db8::2 40000 22\r\n", "2001:db8::1 port 40000"),
                                 ("PROXY UNKNOWN\r\n", "unknown")] {
            let c = try RawSocket(v.socket)
            try c.send(line)
            // A wrong signature: a refused session is audited with the preamble's origin too.
            let (challenge, session) = try Self.authenticate(c, key: try v.signingKey("counsellor"), pid: getpid() &+ 1)
            #expect(challenge.peerUID == getuid() && challenge.peerPID == getpid())
            #expect(session.status == 401)
            let refused = try Self.log(v, ["--denied"]).filter { $0.action == "auth.session" }.last
            #expect(refused?.detail["via"] == "dial-stdio")
            #expect(refused?.detail["reported_from"] == reported)
        }
        let text = try v.expectOK(as: "auditor", ["audit", "log", "--denied"]).stdout
        #expect(text.contains("auth.session via dial-stdio from 2001:db8::1 port 40000 (reported)"), "\(text)")
        #expect(text.contains("auth.session via dial-stdio (no address reported)"), "\(text)")
    }

    @Test func aMalformedPreambleIsAnswered400AndTheDaemonKeepsServing() throws {
        let v = try TestVault(enrol: false)
        for preamble in ["PROXY TCP4 999.0.2.7 198.51.100.1 50022 22\r\n", "PROXY TCP4 192.0.2.7 198.51.100.1 50022\r\n",
                         "PROXY \r\n", "PROXY TCP4 192.0.2.7 198.51.100.1 50022 22\n",
                         "PROXY UNKNOWN " + String(repeating: "x", count: 120) + "\r\n", "PROXY " + String(repeating: "1", count: 200)] {
            let c = try RawSocket(v.socket)
            try c.send(preamble + RawSocket.request("GET", "/v1/health"))
            let refused = try c.answer()
            #expect(refused.status == 400, "\(preamble.debugDescription)")
            #expect(refused.code == "bad_request")
            #expect(refused.text.contains("malformed bridge preamble"), "\(refused.text)")
            // Closed: the request behind the line is never answered.
            #expect(try c.isClosedByPeer())
            let next = try RawSocket(v.socket)
            try next.send(RawSocket.request("GET", "/v1/health"))
            #expect(try next.answer().status == 200)
        }
    }

    @Test func aPreambleCutShortByTheClientIsRefused() throws {
        let v = try TestVault(enrol: false)
        let c = try RawSocket(v.socket)
        try c.send("PROXY TCP4 192.0.2.7")
        shutdown(c.descriptor, Int32(SHUT_WR))
        let refused = try c.answer()
        #expect(refused.status == 400 && refused.text.contains("malformed bridge preamble"), "\(refused.text)")
    }

    /// Fewer than six bytes of "PROXY " and then the client's end: too short to be a
    /// preamble, so they are the (malformed) request they look like, answered 400, and the
    /// connection is closed like any other cut-short request.
    @Test(arguments: ["P", "PRO", "PROXY"])
    func aFewBytesOfTheSignatureThenAHalfCloseAreAnsweredAndClosed(start: String) throws {
        let v = try TestVault(enrol: false)
        let c = try RawSocket(v.socket)
        try c.send(start)
        shutdown(c.descriptor, Int32(SHUT_WR))
        // Bounded by the socket's 20 s read limit, twice the unauthenticated idle timeout:
        // only an answer to the half-close itself arrives in time.
        let refused = try c.answer()
        #expect(refused.status == 400 && refused.code == "bad_request", "\(refused.text)")
        #expect(try c.isClosedByPeer())
    }

    /// The same bytes and then nothing: held as a possible preamble, they do not keep the
    /// connection from the unauthenticated idle timeout.
    @Test func aFewBytesOfTheSignatureThenSilenceAreClosedWhenIdle() throws {
        let v = try TestVault(enrol: false, daemonArguments: ["--unauthenticated-idle-timeout", "1", "--request-timeout", "1"])
        for start in ["PRO", "PROXY TCP4 192.0.2.7"] {
            let c = try RawSocket(v.socket)
            try c.send(start)
            // Closed without an answer well within the socket's 20 s read limit.
            #expect(try c.isClosedByPeer(), "\(start)")
        }
    }

    /// Connections that each send part of the signature and shut their side are closed, so
    /// however many a uid opens one after another, they never fill its share.
    @Test func halfClosedShortStartsDoNotFillAUidsShare() throws {
        let v = try TestVault(enrol: false, daemonArguments: ["--max-unauthenticated-per-uid", "4"])
        var held = [RawSocket]()
        for i in 0..<16 {
            let c = try RawSocket(v.socket)
            try c.send(i % 2 == 0 ? "PRO" : "P")
            shutdown(c.descriptor, Int32(SHUT_WR))
            #expect(try c.answer().status == 400, "connection \(i)")
            #expect(try c.isClosedByPeer(), "connection \(i)")
            held.append(c)  // the client keeps its end open: only the daemon's close frees the slot
        }
        let next = try RawSocket(v.socket)
        try next.send(RawSocket.request("GET", "/v1/health"))
        #expect(try next.answer().status == 200)
        withExtendedLifetime(held) {}
    }

    @Test func onlyTheFirstBytesCanBeAPreamble() throws {
        let v = try TestVault(enrol: false)
        let c = try RawSocket(v.socket)
        try c.send(RawSocket.request("GET", "/v1/health"))
        #expect(try c.answer().status == 200)
        // After a request, the same line is malformed HTTP, as it always was.
        try c.send(Self.tcp4)
        let second = try c.answer()
        #expect(second.status == 400)
        #expect(second.text.contains("malformed HTTP request"), "\(second.text)")
        // A second preamble after the first is malformed HTTP too.
        let d = try RawSocket(v.socket)
        try d.send(Self.tcp4 + Self.tcp4)
        let twice = try d.answer()
        #expect(twice.status == 400 && twice.text.contains("malformed HTTP request"), "\(twice.text)")
    }

    @Test func theReportedOriginNeverChangesTheUidAUserIsBoundTo() throws {
        let v = try TestVault()
        // Bound to another account: no preamble, whatever it says, makes this process that account.
        let other = getuid() == 0 ? UInt32(65_534) : getuid() &+ 1
        try v.enrol("remote", role: "counsellor", agency: "ossc-vientiane", uid: other)
        for preamble in [Self.tcp4, "PROXY UNKNOWN\r\n", "PROXY TCP4 127.0.0.1 127.0.0.1 \(other) \(other)\r\n"] {
            let c = try RawSocket(v.socket)
            try c.send(preamble)
            let (challenge, session) = try Self.authenticate(c, key: try v.signingKey("remote"))
            #expect(challenge.peerUID == getuid(), "the challenge names the kernel's uid, not the preamble's")
            #expect(session.status == 401 && session.code == "authentication_failed", "\(session.text)")
            // Signing the uid the user is bound to does not help either: the daemon rebuilds the transcript.
            let d = try RawSocket(v.socket)
            try d.send(preamble)
            #expect(try Self.authenticate(d, key: try v.signingKey("remote"), uid: other).session.status == 401)
        }
        let refused = try Self.log(v, ["--denied"]).filter { $0.action == "auth.session" }
        #expect(refused.count == 6)
        for e in refused {
            #expect(e.peer?.uid == getuid())
            #expect(e.detail["via"] == "dial-stdio")
        }
        // From its own uid, through the same preamble, an unbound user opens a session as ever.
        let c = try RawSocket(v.socket)
        try c.send(Self.tcp4)
        #expect(try Self.authenticate(c, key: try v.signingKey("intake")).session.status == 200)
    }

    @Test func aLocalConnectionsChallengeNamesTheConnectingProcess() throws {
        let v = try TestVault(enrol: false)
        let c = try RawSocket(v.socket)
        try c.send(RawSocket.request("POST", "/v1/auth/challenge"))
        let answer = try c.answer()
        let json = try #require(try JSONSerialization.jsonObject(with: Data(answer.body)) as? [String: Any])
        #expect(json["peer_uid"] as? Int == Int(getuid()))
        #expect(json["peer_pid"] as? Int == Int(getpid()))
        // An answer from a daemon without them still decodes: the client decides what to do.
        let older = try JSONDecoder().decode(ChallengeResponse.self, from: Data(#"{"vault_id":"v","nonce":"n","expires_in_seconds":30}"#.utf8))
        #expect(older.peerUID == nil && older.peerPID == nil)
    }
}
