import ArgumentParser
import CHavenSystem
import Foundation
import Glibc
import HavenCommandLine
import HavenCore

/// `haven init --data DIR --admin-key PUB`: create a new vault.
///
/// The client links neither the vault service nor SQLite: creating a vault is `havend init`,
/// which this command becomes (exec), with the same options and the same output.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Create a new vault in an empty directory (runs 'havend init').",
        discussion: InitOptions.discussion + " havend is looked for beside haven, then on PATH.")

    @OptionGroup var options: InitOptions

    func run() async throws {
        try Self.becomeHavend("init", options.arguments)
    }

    /// Replaces this process with `havend SUBCOMMAND ARGUMENTS`; argv[0] stays "haven", so
    /// havend reports its errors as this command's. Returns only by throwing.
    ///
    /// The thread running a command here has nearly every signal blocked (the runtime's
    /// worker threads do), and exec keeps the calling thread's mask: havend would then sit
    /// at its passphrase prompt deaf to Ctrl-C, SIGTERM and a hang-up. It starts as a
    /// program started from the shell does: none blocked, every signal at its default but
    /// those haven itself was started with ignored (`nohup`'s SIGHUP), which stay ignored.
    static func becomeHavend(_ subcommand: String, _ arguments: [String]) throws {
        let havend = try findHavend()
        let argv = (["haven", subcommand] + arguments).map { strdup($0) } + [nil]
        haven_signals_clean()
        execv(havend, argv)
        let failure = errno
        throw HavenError(.ioError, "cannot run \(havend): \(String(cString: strerror(failure)))")
    }

    /// havend beside this haven (an install or a build directory), else the first on PATH.
    static func findHavend() throws -> String {
        var candidates = [String]()
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            candidates.append(URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("havend").path)
        }
        // Absolute PATH entries only: a relative one ("." or empty) would run a havend from
        // whatever directory the operator happens to be in.
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where dir.hasPrefix("/") {
            candidates.append(dir + "/havend")
        }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw HavenError(.ioError, "havend was not found beside haven or on PATH, and it is what creates a vault",
                             hint: "install havend (swift build puts it beside haven)")
        }
        return found
    }
}
