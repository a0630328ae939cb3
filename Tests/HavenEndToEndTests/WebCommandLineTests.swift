import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The real `haven-web` binary's command line, as `haven`'s: a mistake in it is one plain
    /// line on stderr with the command's --help as the hint and status 2; a failure while
    /// running is one line and status 1. Never ArgumentParser's usage block on stderr.
    @Suite struct WebCommandLineTests {
        static var binary: String { TestVault.binaries + "/haven-web" }

        @Test(arguments: [
            (["invite", "noy"], "haven-web: usage: Missing expected argument '--keys <dir>' (hint: see 'haven-web invite --help')"),
            (["invite", "noy", "--keys", "KEYS", "--frobnicate"], "haven-web: usage: Unknown option '--frobnicate' (hint: see 'haven-web invite --help')"),
            (["invite", "noy", "--keys", "KEYS", "--valid-hours", "many"], "haven-web: usage: "),
            (["forget", "--keys", "KEYS"], "haven-web: usage: Missing expected argument '<name>' (hint: see 'haven-web forget --help')"),
            (["serve", "--listen", "127.0.0.1:0"], "haven-web: usage: Missing expected argument '--"),
            (["--no-such-flag"], "haven-web: usage: "),
        ])
        func aUsageMistakeIsOnePlainLineAndStatus2(arguments: [String], line: String) throws {
            let dir = TemporaryDirectory("haven-web-usage")
            let result = try Command.run(Self.binary, arguments.map { $0 == "KEYS" ? dir.file("keys") : $0 })
            #expect(result.status == 2, "\(result)")
            #expect(result.stdout.isEmpty, "\(result)")
            #expect(result.stderr.hasPrefix(line), "\(result)")
            #expect(result.stderr.hasSuffix("\n") && result.stderr.split(separator: "\n").count == 1, "\(result)")
            #expect(result.stderr.contains(" (hint: see 'haven-web"), "\(result)")
            #expect(!result.stderr.contains("Usage:"))
            // A mistake in the command line touches nothing.
            #expect(!FileManager.default.fileExists(atPath: dir.file("keys")))
        }

        @Test func aFailureWhileServingIsOneLineAndStatus1() throws {
            let dir = TemporaryDirectory("haven-web-failure")
            let result = try Command.run(Self.binary, ["serve", "--socket", dir.file("no.sock"), "--listen", "127.0.0.1:0",
                                                       "--keys", dir.file("keys"), "--policy", dir.file("no-policy")])
            #expect(result.status == 1, "\(result)")
            #expect(result.stderr.hasPrefix("haven-web: "), "\(result)")
            #expect(result.stderr.hasSuffix("\n") && result.stderr.split(separator: "\n").count == 1, "\(result)")
        }

        @Test func helpIsOnStdoutWithStatus0() throws {
            let result = try Command.run(Self.binary, ["invite", "--help"])
            #expect(result.status == 0, "\(result)")
            #expect(result.stdout.contains("--valid-hours"))
            #expect(result.stderr.isEmpty, "\(result)")
        }
    }
}
