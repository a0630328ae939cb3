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
            5 unavailable (daemon down, sealed, audit failure) or rate-limited (try again later).
            """,
        version: HavenRelease.versionLine("haven"),
        subcommands: [
            InitCommand.self, KeyCommand.self, UserCommand.self, RecordCommand.self, ConsentCommand.self,
            NoteCommand.self, ReferralCommand.self, AuditCommand.self, ExtractCommand.self, StatsCommand.self, PolicyCommand.self, StatusCommand.self, OperatorCommand.self, BackupCommand.self,
            ApiCommand.self, CompletionCommand.self,
        ])

    /// Entries per request when paging through the log.
    static let auditPage = 5000

    /// The one place errors become text and exit statuses: one line on stderr,
    /// `haven: <code>: <message>`, with the hint on the same line when there is one; under
    /// `--json`, `{"error": {"code", "message", "hint"}}` instead, with the same status.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        let json = ErrorReport.wantsJSON(arguments)
        func fail(_ report: ErrorReport, _ status: ExitStatus, text: String? = nil) -> Never {
            if json {
                Output.errorBytes(report.json())
            } else {
                Output.error(text ?? report.line(program: "haven"))
            }
            Glibc.exit(status.rawValue)
        }
        do {
            try Sodium.ensureInitialized()
            var command = try parseAsRoot(GlobalOptions.hoisted(arguments))
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let e as HavenError {
            fail(ErrorReport(e), ExitStatus(e.code))
        } catch let e as ExitCode {
            Glibc.exit(e.rawValue)
        } catch let e as ValidationError {
            // A usage mistake found while running (stdin asked for twice): one line, status 2.
            fail(ErrorReport(code: ErrorReport.usageCode, message: e.message), .usage)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Output.line(message)
                Glibc.exit(0)
            }
            // ArgumentParser's own text (the mistake, then usage) stays as it is; in JSON, the mistake.
            let report = code == .validationFailure ? ErrorReport.usage(parserMessage: message)
                : ErrorReport(code: ErrorCode.internalError.rawValue, message: message)
            fail(report, code == .validationFailure ? .usage : .error, text: message)
        }
    }
}
