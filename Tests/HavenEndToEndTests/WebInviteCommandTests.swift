import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenTestSupport
import HavenVault
import HavenWeb
import Testing

extension EndToEnd {
    /// The real `haven-web invite` and `haven-web forget` on a real keys directory: the link
    /// alone on stdout, one line on stderr, and one plain line with status 1 (2 for bad
    /// input) when refused.
    @Suite struct WebInviteCommandTests {
        static var binary: String { TestVault.binaries + "/haven-web" }

        func run(_ arguments: [String]) throws -> CommandResult {
            try Command.run(Self.binary, arguments)
        }

        /// The directory as the desk opens it, with cheap costs for the test's own redeem.
        func people(_ dir: String) throws -> PeopleDirectory {
            try PeopleDirectory(path: dir, cost: .minimum, clock: SystemClock())
        }

        @Test func inviteSaysTheLinkAloneOnStdoutAndHowToHandItOver() throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let keys = dir.file("keys")
            let result = try run(["invite", "noy", "--keys", keys])
            #expect(result.status == 0, "\(result)")
            let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(lines.count == 2 && lines[1].isEmpty, "\(result)")
            let link = String(lines[0])
            #expect(link.hasPrefix("http://127.0.0.1:8080/invite/"))
            let token = String(link.dropFirst("http://127.0.0.1:8080/invite/".count))
            #expect(try people(keys).invitationName(token: token) == "noy")
            // One line on stderr: until when (UTC), once, and by what channel; never the token.
            let said = result.stderr.split(separator: "\n")
            #expect(said.count == 1 && result.stderr.hasSuffix("\n"), "\(result)")
            #expect(said.first?.hasPrefix("haven-web: the link works once, until ") == true)
            #expect(result.stderr.contains(" UTC") && result.stderr.contains("a channel only they read"))
            #expect(!result.stderr.contains(token))
            let expiry = try #require(try people(keys).invitationExpiry(token: token))
            #expect(result.stderr.contains(String(expiry.rfc3339.prefix(16)).replacingOccurrences(of: "T", with: " ") + " UTC"))
            // The link opens a key once, and the key file is the only trace left.
            let desk = try people(keys)
            let made = try desk.redeem(token: token, passphrase: SecureBytes(utf8: "ນ້ຳຕົກຕາດ Hà Nội mưa"))
            #expect(made.name == "noy" && desk.publicKey(of: "noy") == made.publicKey)
        }

        @Test func inviteTakesTheDesksAddressAndHowLongTheLinkWorks() throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let keys = dir.file("keys")
            let before = SystemClock().now()
            let result = try run(["invite", "noy", "--keys", keys, "--url", "https://desk.example.org/", "--valid-hours", "72"])
            #expect(result.status == 0, "\(result)")
            let link = result.stdout.trimmingCharacters(in: .newlines)
            #expect(link.hasPrefix("https://desk.example.org/invite/") && !link.contains("//invite"))
            let token = String(link.split(separator: "/").last ?? "")
            let expiry = try #require(try people(keys).invitationExpiry(token: token))
            let hours = Double(expiry.millisecondsSinceEpoch - before.millisecondsSinceEpoch) / 3_600_000
            #expect(hours >= 72 && hours < 72.5, "\(hours)")
        }

        @Test func aPersonWithAKeyIsInvitedAgainOnlyWithReplace() throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let keys = dir.file("keys")
            let token = try people(keys).invite("noy")
            _ = try people(keys).redeem(token: token, passphrase: SecureBytes(utf8: "a long enough passphrase"))
            let refused = try run(["invite", "noy", "--keys", keys])
            #expect(refused.status == 1 && refused.stdout.isEmpty, "\(refused)")
            #expect(refused.stderr == "haven-web: noy already has a key at this desk (hint: to give them a new one (a forgotten "
                + "passphrase), invite with --replace; the old key stops working when the new one is made)\n")
            let replaced = try run(["invite", "noy", "--keys", keys, "--replace"])
            #expect(replaced.status == 0 && replaced.stdout.contains("/invite/"), "\(replaced)")
        }

        @Test(arguments: [
            (["invite", "Noy", "--keys", "KEYS"], "haven-web: invalid user name 'Noy'"),
            (["invite", "../noy", "--keys", "KEYS"], "haven-web: invalid user name '../noy'"),
            (["invite", "noy", "--keys", "KEYS", "--valid-hours", "73"], "haven-web: --valid-hours must be 1 to 72"),
            (["invite", "noy", "--keys", "KEYS", "--valid-hours", "0"], "haven-web: --valid-hours must be 1 to 72"),
            (["invite", "noy", "--keys", "KEYS", "--url", "desk.example.org"], "haven-web: --url must be the desk's address"),
            (["forget", "No One", "--keys", "KEYS"], "haven-web: invalid user name 'No One'"),
        ])
        func badInputIsOneLineAndStatus2(arguments: [String], line: String) throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let result = try run(arguments.map { $0 == "KEYS" ? dir.file("keys") : $0 })
            #expect(result.status == 2 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.hasPrefix(line) && result.stderr.split(separator: "\n").count == 1, "\(result)")
        }

        @Test func aKeysDirectoryOthersMayWriteIsRefused() throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let keys = dir.file("keys")
            mkdir(keys, 0o700)
            chmod(keys, 0o777)
            for arguments in [["invite", "noy", "--keys", keys], ["forget", "noy", "--keys", keys]] {
                let result = try run(arguments)
                #expect(result.status == 1 && result.stdout.isEmpty, "\(result)")
                #expect(result.stderr == "haven-web: refusing the keys directory \(keys): group or others may write it (mode 777) "
                    + "(hint: run 'chmod 700 \(keys)')\n")
            }
            #expect(!FileManager.default.fileExists(atPath: keys + "/people"))
        }

        @Test func forgetRemovesThePersonFromTheDesk() throws {
            let dir = TemporaryDirectory("haven-web-invite")
            let keys = dir.file("keys")
            let token = try people(keys).invite("noy")
            _ = try people(keys).redeem(token: token, passphrase: SecureBytes(utf8: "a long enough passphrase"))
            let pending = try people(keys).invite("noy", replacing: true)
            let result = try run(["forget", "noy", "--keys", keys])
            #expect(result.status == 0 && result.stdout.isEmpty, "\(result)")
            #expect(result.stderr == "haven-web: noy can no longer sign in at this desk; their enrolment in the vault stays "
                + "until 'haven user revoke noy'\n")
            let desk = try people(keys)
            #expect(desk.publicKey(of: "noy") == nil && desk.invitationName(token: pending) == nil)
            let again = try run(["forget", "noy", "--keys", keys])
            #expect(again.status == 1 && again.stderr == "haven-web: no one named noy has a key or an invitation at this desk\n", "\(again)")
        }
    }
}
