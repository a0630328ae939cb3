import ArgumentParser
import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenServer
import HavenSystem
import HavenVault
import Logging
import NIOCore
import Synchronization

/// The Haven daemon: serves one vault on one Unix socket.
@main
struct Havend: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "havend",
        abstract: "Serve a Haven vault over a Unix socket.",
        discussion: """
            Refuses to start, with one line on stderr and exit status 1, if the data directory \
            or a key file is accessible by group or others, the policy is invalid, another \
            havend holds the vault, or the --anchor file is missing, unreadable, not writable \
            or older than the last one this data directory wrote. SIGHUP reloads the policy; SIGTERM stops gracefully. \
            A usage error exits with status 2. 'havend init --help' tells how to create a vault.
            """,
        version: HavenRelease.versionLine("havend"))

    /// Usage errors exit 2, as the CLI's do (ArgumentParser's default is 64). `havend init`
    /// is a command of its own, not a subcommand: its options share names with the daemon's.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments.first == "init" { HavendInit.runAsSubcommand(Array(arguments.dropFirst())) }
        if arguments.first == "restore" { HavendRestore.runAsSubcommand(Array(arguments.dropFirst())) }
        if arguments.first == "share-status" { HavendShareStatus.runAsSubcommand(Array(arguments.dropFirst())) }
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
        } catch {
            exit(with: error, from: self)
        }
    }

    /// Ends the process for a parse or run error of `command`: help and version on stdout,
    /// anything else on stderr (a usage error with status 2; as JSON when --json is given).
    static func exit(with error: any Error, from command: any ParsableCommand.Type) -> Never {
        let code = command.exitCode(for: error)
        let message = command.fullMessage(for: error)
        if code == .success {
            if !message.isEmpty { print(message) }
            Glibc.exit(0)
        }
        if ErrorReport.wantsJSON(Array(CommandLine.arguments.dropFirst())), !message.isEmpty {
            FileHandle.standardError.write(Data(ErrorReport.usage(parserMessage: message).json()))
        } else if !message.isEmpty {
            FileHandle.standardError.write(Data((message + "\n").utf8))
        }
        Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
    }

    @Option(help: "The vault's data directory (made by 'haven init').")
    var data: String = "/var/lib/haven"

    @Option(help: ArgumentHelp("The root key file, when it is kept outside the data directory (default DATA/root.key).",
                               valueName: "file"))
    var rootKey: String?

    @Option(help: "Path of the Unix socket to create (mode 0660).")
    var socket: String = Havend.defaultSocket

    @Option(help: "The policy directory (roles.yaml, schema/).")
    var policy: String = "/etc/haven/policy"

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Event-loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Most open connections.")
    var maxConnections: Int = 4096

    @Option(help: "Authenticated connections of one user at most; more are refused (too_many_connections).")
    var maxConnectionsPerUser = 128

    @Option(help: "Authenticated connections from one peer uid at most, for roles that manage neither users nor keys.")
    var maxConnectionsPerUid = 2048

    @Option(help: ArgumentHelp("Connections kept for administrators (roles with user.manage or key.manage) and custodians: "
                               + "other sessions stop this many short of --max-connections, less --max-unauthenticated."))
    var reservedConnections = 64

    @Option(help: "Unauthenticated connections from one peer uid at most; more are closed at once.")
    var maxUnauthenticatedPerUid = 64

    @Option(help: "Unauthenticated connections at most, from all peers.")
    var maxUnauthenticated = 512

    @Option(help: "Seconds an authenticated connection may stay idle.")
    var idleTimeout: Int64 = 120

    @Option(help: "Seconds a connection that has not authenticated may stay idle.")
    var unauthenticatedIdleTimeout: Int64 = 10

    @Option(help: "Seconds a request may take to arrive once its first line has (a body that never ends).")
    var requestTimeout: Int64 = 30

    @Option(help: ArgumentHelp("Failed authentications from one peer uid with one key, within the lockout period, before that "
                               + "uid's attempts with that key are locked out ('haven user unlock' lifts it)."))
    var authLockoutFailures = 10

    @Option(help: "Seconds a lockout lasts, and the window failures are counted in.")
    var authLockoutSeconds: Int64 = 900

    @Option(help: "Notes one record may hold; the next is refused with limit_reached.")
    var maxNotesPerRecord: UInt64 = HistoryLimits.defaultNotes

    @Option(help: "Consent grants and withdrawals one record may hold; the next is refused with limit_reached.")
    var maxConsentEventsPerRecord: UInt64 = HistoryLimits.defaultConsentEvents

    @Option(help: ArgumentHelp("Keep the latest signed checkpoint in this file, outside the data directory (e.g. beside the "
                               + "root key), rewritten at every checkpoint; refuse to start on a log that does not extend it "
                               + "(a data directory replaced by an older copy), or on an anchor that is missing, not writable "
                               + "or older than the last one written. While it cannot be written, changes are refused "
                               + "(anchor_unavailable) and reads go on.",
                               valueName: "file"))
    var anchor: String?

    @Flag(help: ArgumentHelp("With --anchor: create the anchor file, which must not exist yet, from the vault's latest "
                             + "checkpoint, then serve. Once, when the vault first gets an anchor."))
    var createAnchor = false

    @Flag(help: ArgumentHelp("Start even if the audit log no longer matches its latest signed checkpoint (entries removed or "
                             + "altered while the daemon was stopped). The damage stays detectable by 'haven audit verify' and is "
                             + "recorded in the daemon.start entry. Without this flag havend refuses to append to such a log."))
    var allowDamagedAuditLog = false

    static var defaultSocket: String {
        if let dir = ProcessInfo.processInfo.environment["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/haven.sock" }
        return "/run/haven/haven.sock"
    }

    func validate() throws {
        if createAnchor && anchor == nil { throw ValidationError("--create-anchor needs --anchor FILE") }
    }

    mutating func run() throws {
        do {
            try serve()
        } catch {
            FileHandle.standardError.write(Data("havend: \(Self.describe(error))\n".utf8))
            throw ExitCode(1)
        }
    }

    /// What a sealed vault's custodians will be checked against: the passphrase seal or the
    /// share set, of this vault.
    static func unsealer(_ directory: DataDirectory) throws -> Unsealer {
        switch directory.sealMode {
        case .passphrase:
            let seal = try RootKeyCustody.readPassphraseSeal(directory)
            return Unsealer(vault: seal.vault, custody: .passphrase(seal))
        default:
            let set = try RootKeyCustody.readShareSet(directory)
            return Unsealer(vault: set.vault, custody: .shares(set))
        }
    }

    /// The anchor is checked before the vault waits to be unsealed, so a missing one refuses
    /// the start itself, not a later unseal. `--create-anchor` never replaces one.
    static func checkAnchor(_ path: String, creating: Bool, _ directory: DataDirectory) throws(HavenError) -> AnchorFile {
        let file = AnchorFile(path: path)
        try file.checkOutside(directory)
        if creating { try file.checkAbsent() }
        try file.checkUsable(creating: creating)
        return file
    }

    static func describe(_ error: any Error) -> String {
        switch error {
        case let e as HavenError: return e.description
        case let e as StartupError: return e.description
        default: return "\(error)"
        }
    }

    /// A policy that loads with warnings (labels without Lao or Vietnamese) serves all the
    /// same; the operator learns of it here and in full from `haven policy check`.
    static func logWarnings(_ policy: Policy, _ logger: Logger) {
        guard let first = policy.warnings.first else { return }
        logger.notice("policy loaded with warnings; run 'haven policy check' for all of them",
                      metadata: ["count": "\(policy.warnings.count)", "first": "\(first)"])
    }

    private func serve() throws {
        // Checked before anything is opened: ordinary sessions get what the unauthenticated
        // connections and the reserved ones leave (ServerConfiguration.ordinarySessions).
        guard maxConnections - max(1, maxUnauthenticated) - max(0, reservedConnections) >= 1 else {
            throw StartupError("--max-connections (\(maxConnections)) must be more than --max-unauthenticated (\(maxUnauthenticated)) "
                               + "plus --reserved-connections (\(reservedConnections))")
        }
        DaemonSignals.block()
        do { try ProcessHardening.apply() } catch { throw StartupError("cannot keep the process out of core dumps and debuggers (\(error))") }
        ProcessHardening.raiseFileLimit()
        try Sodium.ensureInitialized()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var h = StreamLogHandler.standardError(label: label)
            h.logLevel = level
            return h
        }
        let logger = Logger(label: "havend")

        let directory = DataDirectory(data, rootKey: rootKey)
        try directory.checkPermissions()
        try SocketDirectory.check(socketPath: socket)
        let dataLock = try InstanceLock(path: directory.lockPath, what: "the vault in \(directory.path)")
        let socketLock = try InstanceLock(path: socket + ".lock", what: "the socket \(socket)")
        var auth = AuthenticationThrottle.Policy()
        auth.failuresBeforeLockout = max(1, authLockoutFailures)
        // Answers slow down after a third of the failures that lead to lockout.
        auth.failuresBeforeDelay = max(1, auth.failuresBeforeLockout / 3)
        auth.lockoutMilliseconds = authLockoutSeconds * 1000
        auth.windowMilliseconds = authLockoutSeconds * 1000
        let limits = HistoryLimits(notes: maxNotesPerRecord, consentEvents: maxConsentEventsPerRecord)
        let anchorFile = try anchor.map { (path) throws(HavenError) in try Self.checkAnchor(path, creating: createAnchor, directory) }
        let creation = AnchorCreation(createAnchor)
        let open: @Sendable (RootKey?) throws -> Vault = { [policy, allowDamagedAuditLog, auth] root in
            try creation.open { creating in
                try Vault.open(directory: directory, policyPath: policy, logger: logger, authPolicy: auth,
                               anchor: anchorFile, createAnchor: creating, allowDamagedAuditLog: allowDamagedAuditLog,
                               historyLimits: limits, rootKey: root)
            }
        }
        let startDetail = ["socket": socket, "pid": String(getpid())]
        if let done = try RootKeyCustody.recover(directory) { logger.notice("\(done)") }
        let gate: VaultGate
        switch directory.sealMode {
        case .file:
            let root = try RootKeyCustody.readFile(directory)
            gate = VaultGate(open: try open(root), root: root) { root, _, loop in
                // Opened again after a root key rotation, with the new key.
                let vault = try open(root)
                do {
                    try vault.announceStart(on: loop, detail: startDetail.merging(["rotated": "root key"]) { a, _ in a }).wait()
                } catch {
                    vault.shutdown()
                    throw error
                }
                return vault
            }
        case .passphrase, .shares:
            // Everything that can be checked without the key is checked now, so a broken
            // directory fails at start rather than at unseal.
            _ = try PolicyDirectory.load(policy)
            let unsealer = try Self.unsealer(directory)
            gate = VaultGate(sealed: unsealer) { root, attempts, loop in
                let vault = try open(root)
                do {
                    try vault.announceStart(on: loop, detail: startDetail.merging(["unsealed": unsealer.mode.rawValue]) { a, _ in a },
                                            preceding: attempts).wait()
                } catch {
                    vault.shutdown()  // its keys go with it; the daemon stays sealed
                    throw error
                }
                logger.info("unsealed; serving", metadata: ["vault": "\(vault.keys.vaultID)"])
                return vault
            }
        }

        var config = ServerConfiguration()
        config.maximumConnections = maxConnections
        config.maximumUnauthenticatedPerUid = max(1, maxUnauthenticatedPerUid)
        config.maximumUnauthenticated = max(1, maxUnauthenticated)
        config.maximumSessionsPerUser = max(1, maxConnectionsPerUser)
        config.maximumSessionsPerUid = max(1, maxConnectionsPerUid)
        config.reservedConnections = max(0, reservedConnections)
        config.idleTimeout = .seconds(idleTimeout)
        config.requestTimeout = .seconds(requestTimeout)
        config.unauthenticatedIdleTimeout = .seconds(unauthenticatedIdleTimeout)
        if let threads { config.threads = threads }
        let server = HavenServer(gate: gate, configuration: config, logger: logger)
        let listener: any Channel
        do {
            listener = try server.bind(socketPath: socket)
        } catch {
            gate.shutdown()
            throw StartupError("cannot listen on \(socket): \(error)")
        }
        if let vault = gate.vault {
            try vault.announceStart(on: server.group.next(), detail: startDetail).wait()
            logger.info("ready", metadata: ["vault": "\(vault.keys.vaultID)", "socket": "\(socket)",
                                            "policy": "\(vault.policies.policy.shortVersion)"])
            Self.logWarnings(vault.policies.policy, logger)
        } else {
            logger.notice("ready, sealed: nothing is served until the vault is unsealed",
                          metadata: ["vault": "\(gate.vaultID)", "socket": "\(socket)", "seal": "\(gate.status.summary)"])
        }

        while DaemonSignals.next() == SIGHUP {
            guard let vault = gate.vault else {
                logger.notice("policy reload skipped: the vault is sealed (the policy is read again when it is unsealed)")
                continue
            }
            switch try? vault.policy.reload(on: server.group.next()).wait() {
            case .success(let p):
                logger.info("policy reloaded", metadata: ["policy": "\(p.shortVersion)"])
                Self.logWarnings(p, logger)
            case .failure(let e): logger.error("policy reload refused; the previous policy stays in force", metadata: ["reason": "\(e.message)"])
            case nil: logger.error("policy reload could not be audited; the result is unknown")
            }
        }

        logger.info("stopping: no new connections; finishing requests in flight")
        try? listener.close().wait()
        server.drain(timeout: .seconds(10))
        gate.shutdown()
        try? server.shutdown()
        unlink(socket)
        _ = (dataLock, socketLock)
        logger.info("stopped")
    }
}

/// `--create-anchor` holds for the first open that succeeds, and only for it: a vault opened
/// again by the same daemon (unsealed after a seal, reopened after a rotation) must find the
/// anchor it made — one that vanished since (its volume unmounted) is refused, never made
/// again on whatever is mounted there now.
private final class AnchorCreation: Sendable {
    private let pending: Mutex<Bool>

    init(_ wanted: Bool) {
        pending = Mutex(wanted)
    }

    func open<T>(_ body: (Bool) throws -> T) rethrows -> T {
        let creating = pending.withLock { $0 }
        let opened = try body(creating)
        if creating { pending.withLock { $0 = false } }
        return opened
    }
}
