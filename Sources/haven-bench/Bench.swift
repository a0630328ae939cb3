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
        subcommands: [SocketBench.self, AuditVerifyBench.self, HistoryBench.self, StatsBench.self, DuplicatesBench.self,
                      ReleaseBench.self, WebBench.self])

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

/// A progress line on stderr, unbuffered, so a long run shows where it is even when stdout
/// (the tables) goes to a file.
func progress(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
