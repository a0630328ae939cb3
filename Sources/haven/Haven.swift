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
        discussion: GlobalOptions.help + """


            Exit status: 0 ok, 1 error, 2 usage, 3 denied (or not authenticated), 4 not found, \
            5 unavailable (daemon down, sealed, audit failure, host unreachable) or rate-limited (try again later), \
            6 the SSH bridge of --host is not set up or was refused (ssh missing, host key unknown or changed, \
            login refused, no haven on the host).
            """,
        version: HavenRelease.versionLine("haven"),
        subcommands: [
            InitCommand.self, KeyCommand.self, UserCommand.self, RecordCommand.self, ConsentCommand.self,
            NoteCommand.self, ReferralCommand.self, AuditCommand.self, ExtractCommand.self, StatsCommand.self, PolicyCommand.self, StatusCommand.self, OperatorCommand.self, BackupCommand.self,
            ApiCommand.self, CompletionCommand.self, DialStdioCommand.self,
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
        // Each usage mistake points to the --help of the command it was made in.
        var path = CommandPath(names: ["haven"], isLeaf: false)
        do {
            try Sodium.ensureInitialized()
            let (moved, rest) = GlobalOptions.leading(arguments)
            path = try CommandPath.resolve(rest, root: Haven.self)
            try HereOnly.check(path, arguments: arguments)
            // Before a command that does not run, the options have nowhere to go: left out,
            // the parser says what is missing instead of naming an option it cannot place.
            var command = try parseAsRoot(path.isLeaf ? GlobalOptions.placed(moved, in: rest) : rest)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let e as HavenError {
            fail(ErrorReport(e), ExitStatus(e.code))
        } catch let e as ExitCode {
            Glibc.exit(e.rawValue)
        } catch let e as UsageMistake {
            fail(ErrorReport(code: ErrorReport.usageCode, message: e.message, hint: e.hint), .usage)
        } catch let e as ValidationError {
            // A usage mistake found while running (stdin asked for twice): one line, status 2.
            fail(ErrorReport(code: ErrorReport.usageCode, message: e.message, hint: path.helpHint), .usage)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                Output.line(message)
                Glibc.exit(0)
            }
            // ArgumentParser's text is the mistake, then help and usage: the mistake is kept,
            // on one line as every other error, with the command's --help as its hint.
            guard code == .validationFailure else {
                fail(ErrorReport(code: ErrorCode.internalError.rawValue, message: message), .error, text: message)
            }
            let mistake = ErrorReport.usage(parserMessage: message)
            fail(ErrorReport(code: mistake.code, message: mistake.message, hint: path.helpHint), .usage)
        }
    }
}
