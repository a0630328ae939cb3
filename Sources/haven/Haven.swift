import ArgumentParser
import Foundation
import Glibc
import HavenCore
import HavenCrypto

/// The Haven command-line client.
@main
struct Haven: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haven",
        abstract: "Haven: a vault for the case records of survivors of gender-based violence and trafficking.",
        discussion: """
            Exit status: 0 ok, 1 error, 2 usage, 3 denied (or not authenticated), 4 not found, \
            5 unavailable (daemon down, sealed, audit failure).
            """,
        version: HavenRelease.versionLine("haven"),
        subcommands: [
            Init.self, KeyCommand.self, UserCommand.self, RecordCommand.self, ConsentCommand.self,
            NoteCommand.self, AuditCommand.self, ExtractCommand.self, PolicyCommand.self, StatusCommand.self,
            ApiCommand.self, CompletionCommand.self,
        ])

    /// Entries per request when paging through the log.
    static let auditPage = 5000

    /// The one place errors become text and exit statuses: one line on stderr,
    /// `haven: <code>: <message>`, with the hint on the same line when there is one.
    static func main() async {
        do {
            try Sodium.ensureInitialized()
            var command = try parseAsRoot(GlobalOptions.hoisted(Array(CommandLine.arguments.dropFirst())))
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let e as HavenError {
            var text = "haven: \(e.code.rawValue): \(e.message)"
            if let hint = e.hint { text += " (hint: \(hint))" }
            Output.error(text)
            Glibc.exit(ExitStatus(e.code).rawValue)
        } catch let e as ExitCode {
            Glibc.exit(e.rawValue)
        } catch let e as ValidationError {
            // A usage mistake found while running (stdin asked for twice): one line, status 2.
            Output.error("haven: usage: \(e.message)")
            Glibc.exit(ExitStatus.usage.rawValue)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                Output.line(fullMessage(for: error))
                Glibc.exit(0)
            }
            Output.error(fullMessage(for: error))
            Glibc.exit(code == .validationFailure ? ExitStatus.usage.rawValue : ExitStatus.error.rawValue)
        }
    }
}
