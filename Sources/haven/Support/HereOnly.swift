import ArgumentParser

/// A command that works on this machine only, whatever `--host` says: given `--host`, it is
/// a usage mistake naming why, not an unknown option. HAVEN_HOST, which a remote user keeps
/// in their environment, is ignored by those that only read or write files here (a remote
/// user must still be able to make a key pair), and refused by those that act on a vault
/// here (`haven init`): one set up for a remote vault would otherwise act on this one.
protocol RunsHereOnly {
    /// Why, in words that follow the command's name: "creates a vault on this machine".
    static var hereOnly: String { get }
    /// Whether HAVEN_HOST in the environment is refused too.
    static var refusesHavenHost: Bool { get }
}

extension RunsHereOnly {
    static var refusesHavenHost: Bool { false }
}

enum HereOnly {
    /// Refuses --host (and for some, HAVEN_HOST) for a command that runs here only.
    static func check(_ path: CommandPath, arguments: [String]) throws(UsageMistake) {
        guard path.isLeaf, let command = path.command as? any RunsHereOnly.Type else { return }
        let name = "'" + path.names.joined(separator: " ") + "'"
        let options = arguments.prefix { $0 != "--" }
        if options.contains(where: { $0 == "--host" || $0.hasPrefix("--host=") }) {
            throw UsageMistake(message: "\(name) \(command.hereOnly), so --host does not apply", hint: "run it without --host")
        }
        if command.refusesHavenHost, ConnectionOptions.hostFromEnvironment != nil {
            throw UsageMistake(message: "HAVEN_HOST is set, but \(name) \(command.hereOnly)",
                               hint: "unset HAVEN_HOST, or run it on the vault's host")
        }
    }
}

extension InitCommand: RunsHereOnly {
    static let hereOnly = "creates a vault on this machine"
    static let refusesHavenHost = true
}

extension BackupRestore: RunsHereOnly {
    static let hereOnly = "restores into a data directory on this machine"
    static let refusesHavenHost = true
}

extension KeyGenerate: RunsHereOnly {
    static let hereOnly = "makes a key pair on this machine"
}

extension BackupVerify: RunsHereOnly {
    static let hereOnly = "checks an archive on this machine, offline"
}

extension ExtractVerify: RunsHereOnly {
    static let hereOnly = "checks an extract on this machine, offline"
}

extension ExtractRender: RunsHereOnly {
    static let hereOnly = "renders an extract on this machine, offline"
}

extension PolicyCheck: RunsHereOnly {
    static let hereOnly = "checks a policy directory on this machine"
}

extension CompletionCommand: RunsHereOnly {
    static let hereOnly = "prints a completion script, offline"
}

extension DialStdioCommand: RunsHereOnly {
    static let hereOnly = "is the vault host's end of an SSH bridge"
}
