import ArgumentParser
import Foundation
import HavenClient
import HavenCore
import HavenCrypto

/// Options every command that talks to the daemon takes (SPEC §1): where it is (a socket
/// here, or `--host ssh://…` for a vault on another machine), the caller's key, and how
/// long to wait.
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's socket. Default: $HAVEN_SOCKET, else $XDG_RUNTIME_DIR/haven.sock, else /run/haven/haven.sock.",
                               valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("A vault on another machine, reached through SSH: ssh://[user@]host[:port]. Default: $HAVEN_HOST.",
                               valueName: "url"))
    var host: String?

    @Option(help: ArgumentHelp("The id of the vault you mean (its operator gives it): sign nothing for another. Default: $HAVEN_VAULT_ID.",
                               valueName: "id"))
    var vaultId: String?

    @Option(help: ArgumentHelp("Your private key file. Default: $HAVEN_KEY.", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("Seconds to wait for each answer from the daemon before giving up (exit 5).", valueName: "seconds"))
    var timeout: Int = 120

    func validate() throws {
        guard (1...86_400).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 86400 seconds") }
        _ = try address()
    }

    /// The socket path the rules give: --socket, $HAVEN_SOCKET, $XDG_RUNTIME_DIR/haven.sock,
    /// /run/haven/haven.sock.
    static func socketPath(given socket: String?) -> String {
        let env = ProcessInfo.processInfo.environment
        if let socket { return socket }
        if let s = env["HAVEN_SOCKET"], !s.isEmpty { return s }
        if let dir = env["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/haven.sock" }
        return "/run/haven/haven.sock"
    }

    var socketPath: String { Self.socketPath(given: socket) }

    /// HAVEN_HOST, when set and not blank.
    static var hostFromEnvironment: String? {
        ProcessInfo.processInfo.environment["HAVEN_HOST"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// The vault id the user pinned: --vault-id, else HAVEN_VAULT_ID when set and not blank.
    var vaultID: String? {
        if let vaultId { return vaultId }
        return ProcessInfo.processInfo.environment["HAVEN_VAULT_ID"].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// Where the daemon is: --host, else $HAVEN_HOST, else the socket. A host with --socket
    /// is a usage mistake: the socket on the vault's host is the SSH account's to choose
    /// (its forced command), and silently ignoring one given here would mislead.
    func address() throws -> VaultAddress {
        let (given, name) = host.map { ($0, "--host") } ?? (Self.hostFromEnvironment.map { ($0, "HAVEN_HOST") } ?? (nil, ""))
        guard let given else { return .socket(socketPath) }
        if socket != nil {
            throw ValidationError("--socket cannot be used with \(name): on the vault's host the socket is set by the SSH account's forced command")
        }
        do {
            return .ssh(try SSHDestination(parsing: given))
        } catch {
            throw ValidationError("\(name): \(error.reason)")
        }
    }

    /// HAVEN_SSH_COMMAND, split on spaces (no shell); `ssh` by default.
    static var sshCommand: [String] {
        VaultAddress.sshCommand(ProcessInfo.processInfo.environment["HAVEN_SSH_COMMAND"])
    }

    /// For a mode of a command that works on this machine only (`operator status --data`,
    /// `audit verify --file`): an explicit --host is a usage mistake naming why; HAVEN_HOST
    /// is refused too when the mode acts on a vault here, and ignored when it reads files.
    func refuseHost(command: String, because reason: String, environmentToo: Bool) throws {
        if host != nil { throw ValidationError("'haven \(command)' \(reason), so --host does not apply") }
        if environmentToo, Self.hostFromEnvironment != nil {
            throw ValidationError("HAVEN_HOST is set, but 'haven \(command)' \(reason): unset HAVEN_HOST, or run it on the vault's host")
        }
    }

    /// Connects without a session or with one, to the address the options give.
    private func open(key: SigningKey?) async throws -> HavenClient {
        try await HavenClient.connect(to: try address(), key: key, sshCommand: Self.sshCommand, vaultID: vaultID, answerTimeout: .seconds(Int64(timeout)))
    }

    /// Runs `body` with an authenticated client, closing the connection afterwards.
    func withClient<R>(_ body: (HavenClient) async throws -> R) async throws -> R {
        try await Self.using(try await connect(), body)
    }

    /// Runs `body` with a connection that has not authenticated (a sealed vault can
    /// authenticate no one), closing it afterwards.
    func withAnonymousClient<R>(_ body: (HavenClient) async throws -> R) async throws -> R {
        try await Self.using(try await open(key: nil), body)
    }

    /// Runs `body` with `client` and closes it, whatever `body` does.
    private static func using<R>(_ client: HavenClient, _ body: (HavenClient) async throws -> R) async throws -> R {
        do {
            let result = try await body(client)
            await client.close()
            return result
        } catch {
            await client.close()
            throw error
        }
    }

    /// Connects and authenticates with the caller's key.
    func connect() async throws -> HavenClient {
        guard let path = key ?? ProcessInfo.processInfo.environment["HAVEN_KEY"], !path.isEmpty else {
            throw HavenError(.invalidKey, "no key given", hint: "pass --key FILE or set HAVEN_KEY to your private key file")
        }
        // Before the mode rule: a public key is not made private by a chmod.
        if KeyFiles.kind(ofFile: path) == .ed25519Public {
            let secret = path.hasSuffix(".pub") ? String(path.dropLast(4)) : "the file without .pub"
            throw HavenError(.invalidKey, "\(path) is a public key; --key takes your private key file (\(secret))",
                             hint: "a key pair is two files: NAME (private, mode 0600) and NAME.pub")
        }
        let seed = try KeyFiles.readSecret(kind: .ed25519Secret, path: path)
        let key: SigningKey
        do {
            key = try SigningKey(seed: seed)
        } catch {
            throw HavenError(.invalidKey, "\(path): not a usable Ed25519 key")
        }
        return try await open(key: key)
    }
}
