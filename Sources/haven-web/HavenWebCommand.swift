import ArgumentParser
import Foundation
import Glibc
import HavenCore

/// The browser desk: `haven-web` (serve) runs it; `haven-web invite NAME` makes a one-time link.
@main
struct HavenWebCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "haven-web", abstract: "The browser desk for Haven: a client of havend, acting only as the signed-in person.",
        version: HavenRelease.versionLine("haven-web"),
        subcommands: [ServeCommand.self, InviteCommand.self, ForgetCommand.self], defaultSubcommand: ServeCommand.self)

    /// The one place errors become text and exit statuses, as `haven` does it: one line on
    /// stderr, `haven-web: usage: <mistake> (hint: see 'haven-web <command> --help')` and
    /// status 2 for a mistake in the command line; `haven-web: <message>` and status 1 for
    /// anything that failed while running (2 when it was bad input).
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        func fail(_ line: String, _ status: Int32) -> Never {
            FileHandle.standardError.write(Data((line + "\n").utf8))
            Glibc.exit(status)
        }
        let named = configuration.subcommands.first { $0._commandName == arguments.first }
        let helpHint = "see 'haven-web" + (named.map { " " + $0._commandName } ?? "") + " --help'"
        do {
            var command = try parseAsRoot(arguments)
            if var async = command as? any AsyncParsableCommand {
                try await async.run()
            } else {
                try command.run()
            }
        } catch let e as HavenError {
            fail("haven-web: \(e.description)", [.invalidValue, .badRequest].contains(e.code) ? 2 : 1)
        } catch let e as ExitCode {
            Glibc.exit(e.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                FileHandle.standardOutput.write(Data((message + "\n").utf8))
                Glibc.exit(0)
            }
            // ArgumentParser's text is the mistake, then help and usage: the mistake is kept,
            // on one line, with the command's --help as its hint.
            guard code == .validationFailure else {
                fail("haven-web: " + (message.split(separator: "\n").first.map(String.init) ?? message), 1)
            }
            let mistake = ErrorReport.usage(parserMessage: message)
            fail(ErrorReport(code: mistake.code, message: mistake.message, hint: helpHint).line(program: "haven-web"), 2)
        }
    }
}
