import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The real `haven dial-stdio` against the real havend, without ssh: what it writes on
    /// stdout is the daemon's and nothing else, a session opened through it is the session of
    /// its process, and an account pinned to it serves nothing else.
    @Suite struct DialStdioTests {
        /// A stand-in for ssh (HAVEN_SSH_COMMAND) that ignores its arguments and runs what an
        /// account's forced command would: `haven dial-stdio --socket SOCKET`.
        static func fakeSSH(in dir: TemporaryDirectory, socket: String, environment: String = "") throws -> String {
            let path = dir.file("fake-ssh")
            let script = "#!/bin/sh\n\(environment)exec '\(TestVault.haven)' dial-stdio --socket '\(socket)'\n"
            try script.write(toFile: path, atomically: true, encoding: .utf8)
            chmod(path, 0o755)
            return path
        }

        @Test func aRequestThroughDialStdioGetsTheDaemonsAnswerAndNothingElse() throws {
            let v = try TestVault(enrol: false)
            let request = "GET /v1/health HTTP/1.1\r\nhost: haven\r\n\r\n"
            let r = try Command.run(TestVault.haven, ["dial-stdio", "--socket", v.socket], stdin: request)
            #expect(r.status == 0, "\(r)")
            #expect(r.stderr.isEmpty)
            // One answer, the daemon's, from its first byte: no word of dial-stdio's own.
            #expect(r.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(r.stdout.components(separatedBy: "HTTP/1.1 ").count == 2)
        }

        /// The client library over dial-stdio's pipes: the handshake signs the peer the daemon
        /// names (dial-stdio's own process), and the session is the key's user.
        @Test func aSessionThroughDialStdioIsTheKeysUser() async throws {
            let v = try TestVault()
            let dir = TemporaryDirectory("haven-dial")
            defer { dir.remove() }
            let ssh = try Self.fakeSSH(in: dir, socket: v.socket)
            let client = try await HavenClient.connect(to: .ssh(SSHDestination(user: nil, host: "vault-test", port: nil)),
                                                       key: try v.signingKey("intake"), sshCommand: [ssh])
            let status: SessionResponse = try await client.get("/v1/status")
            await client.close()
            #expect(status.user == "intake")
            #expect(client.connection.isBridged)
        }

        /// An account pinned to dial-stdio asked for something else: refused before the
        /// socket is touched (a missing one would be exit 5), nothing on stdout.
        @Test func anotherCommandIsRefusedWithExit3() throws {
            let r = try Command.run(TestVault.haven, ["dial-stdio", "--socket", "/nonexistent/haven.sock"],
                                    environment: ["SSH_ORIGINAL_COMMAND": "whoami"], stdin: "")
            #expect(r.status == 3)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == "haven: denied: this account may only run 'haven dial-stdio' (hint: connect with 'haven --host ssh://USER@HOST COMMAND' from your own machine)\n")
        }

        /// The bridge's own request passes the rule.
        @Test func theBridgesOwnRequestIsServed() throws {
            let v = try TestVault(enrol: false)
            let r = try Command.run(TestVault.haven, ["dial-stdio", "--socket", v.socket],
                                    environment: ["SSH_ORIGINAL_COMMAND": "haven dial-stdio"],
                                    stdin: "GET /v1/health HTTP/1.1\r\nhost: haven\r\n\r\n")
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.hasPrefix("HTTP/1.1 200 OK\r\n"))
        }

        @Test func aMissingSocketIsExit5InTheLocalWords() throws {
            let r = try Command.run(TestVault.haven, ["dial-stdio", "--socket", "/nonexistent/haven.sock"], stdin: "")
            #expect(r.status == 5)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr.hasPrefix("haven: unavailable: cannot connect to havend at /nonexistent/haven.sock: no such socket (hint: "))
        }
    }
}
