import ArgumentParser
import Foundation
import Glibc
import HavenCore

/// `haven init --data DIR --admin-key PUB`: create a new vault.
///
/// The client links neither the vault service nor SQLite: creating a vault is `havend init`,
/// which this command becomes (exec), with the same options and the same output.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create a new vault in an empty directory (runs 'havend init').",
        discussion: """
            Writes DIR/root.key, or the file given with --root-key (0600: whoever holds it and \
            the data can read every record; keep it off the disk and the backups of the data), \
            DIR/haven.db, and DIR/vault.pub, the public key auditors and courts use to verify \
            logs and extracts offline. havend is looked for beside haven, then on PATH.
            """)

    @Option(help: ArgumentHelp("The data directory to create (must be empty or absent).", valueName: "dir"))
    var data: String

    @Option(help: ArgumentHelp("Write the root key here instead of DIR/root.key (it must not exist yet); "
                               + "start havend with the same --root-key.", valueName: "file"))
    var rootKey: String?

    @Option(help: ArgumentHelp("Public key file of the first administrator.", valueName: "pub"))
    var adminKey: String

    @Option(help: "The first administrator's user name.")
    var adminName = "admin"

    @Option(help: "The first administrator's role (must have user.manage in the policy).")
    var adminRole = "admin"

    @Option(help: "The first administrator's agency.")
    var adminAgency = "haven"

    @OptionGroup var output: OutputOptions

    func run() async throws {
        var arguments = ["init", "--data", data, "--admin-key", adminKey, "--admin-name", adminName,
                         "--admin-role", adminRole, "--admin-agency", adminAgency]
        if let rootKey { arguments += ["--root-key", rootKey] }
        if output.json { arguments.append("--json") }
        let havend = try Self.findHavend()
        // argv[0] "haven": havend init reports its errors as this command's.
        let argv = (["haven"] + arguments).map { strdup($0) } + [nil]
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
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":") where !dir.isEmpty {
            candidates.append(dir + "/havend")
        }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw HavenError(.ioError, "havend was not found beside haven or on PATH, and it is what creates a vault",
                             hint: "install havend (swift build puts it beside haven)")
        }
        return found
    }
}
