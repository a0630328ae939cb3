import ArgumentParser
import Foundation
import Glibc
import HavenCore
import HavenCrypto

/// A command of the daemon's binary other than serving (`havend init`, `havend restore`),
/// run by hand or by the client: parsed on its own (its options share names with the
/// daemon's), errors as one line on stderr, or one JSON object with --json, and status 1.
protocol HavendCommand: ParsableCommand {}

extension HavendCommand {
    /// Parses and runs; never returns.
    static func runAsSubcommand(_ arguments: [String]) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch {
            Havend.exit(with: error, from: self)
        }
    }

    /// Runs `body` with libsodium ready; an error becomes the one line (or object) and status 1.
    func reporting(json: Bool, _ body: () throws -> Void) throws {
        do {
            try Sodium.ensureInitialized()
            try body()
        } catch {
            let report = (error as? HavenError).map(ErrorReport.init)
                ?? ErrorReport(code: ErrorCode.internalError.rawValue, message: "\(error)")
            if json {
                FileHandle.standardError.write(Data(report.json()))
            } else {
                FileHandle.standardError.write(Data((report.line(program: Self.program) + "\n").utf8))
            }
            throw ExitCode(1)
        }
    }

    /// The name errors are reported under: `haven` when the client ran this, else `havend`.
    static var program: String {
        CommandLine.arguments.first.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "havend"
    }
}
