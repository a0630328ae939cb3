import Foundation
import HavenTestSupport
import Testing

extension TestVault {
    /// Restarts the daemon on a copy of the shipped policy from which `ossc-luang-prabang`
    /// has left agencies.yaml, as an agency that closes would: its records and its users
    /// stay in the vault.
    func restartWithoutLuangPrabang() throws {
        let policy = root + "/policy"
        try FileManager.default.copyItem(atPath: Repository.path("policy"), toPath: policy)
        let file = policy + "/agencies.yaml"
        let text = try String(contentsOfFile: file, encoding: .utf8)
        let from = try #require(text.range(of: "  ossc-luang-prabang:"))
        let to = try #require(text.range(of: "  mahosot-hospital:"))
        try text.replacingCharacters(in: from.lowerBound..<to.lowerBound, with: "").write(toFile: file, atomically: true, encoding: .utf8)
        stop()
        try start(extraArguments: ["--policy", policy])
    }
}
