import ArgumentParser
import Foundation
import HavenCore
import HavenCrypto

/// Haven's benchmarks: real vaults, real files, real daemon; prints tables.
@main
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haven-bench",
        abstract: "Benchmarks of Haven on this machine (build with -c release).",
        subcommands: [AuditVerifyBench.self])

    static func main() async {
        do {
            try Sodium.ensureInitialized()
            var command = try parseAsRoot()
            if var async = command as? any AsyncParsableCommand { try await async.run() } else { try command.run() }
        } catch {
            exit(withError: error)
        }
    }
}
