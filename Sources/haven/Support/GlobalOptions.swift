import ArgumentParser
import Foundation
import HavenClient
import HavenCore
import HavenCrypto

/// Options every command that talks to the daemon takes (SPEC §1).
struct ConnectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The daemon's socket. Default: $HAVEN_SOCKET, else $XDG_RUNTIME_DIR/haven.sock, else /run/haven/haven.sock.",
                               valueName: "path"))
    var socket: String?

    @Option(help: ArgumentHelp("Your private key file. Default: $HAVEN_KEY.", valueName: "file"))
    var key: String?

    @Option(help: ArgumentHelp("Seconds to wait for each answer from the daemon before giving up (exit 5).", valueName: "seconds"))
    var timeout: Int = 120

    func validate() throws {
        guard (1...86_400).contains(timeout) else { throw ValidationError("--timeout must be between 1 and 86400 seconds") }
    }

    var socketPath: String {
        let env = ProcessInfo.processInfo.environment
        if let socket { return socket }
        if let s = env["HAVEN_SOCKET"], !s.isEmpty { return s }
        if let dir = env["XDG_RUNTIME_DIR"], !dir.isEmpty { return dir + "/haven.sock" }
        return "/run/haven/haven.sock"
    }

    /// Runs `body` with an authenticated client, closing the connection afterwards.
    func withClient<R>(_ body: (HavenClient) async throws -> R) async throws -> R {
        try await Self.using(try await connect(), body)
    }

    /// Runs `body` with a connection that has not authenticated (a sealed vault can
    /// authenticate no one), closing it afterwards.
    func withAnonymousClient<R>(_ body: (HavenClient) async throws -> R) async throws -> R {
        try await Self.using(try await HavenClient.connect(socketPath: socketPath, key: nil, answerTimeout: .seconds(Int64(timeout))), body)
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
        return try await HavenClient.connect(socketPath: socketPath, key: key, answerTimeout: .seconds(Int64(timeout)))
    }
}

/// `--json` for scripts; human output otherwise.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    var json = false
}

/// The options every daemon command takes may come before the subcommand too, as with
/// docker and kubectl: `haven --socket S --key K record list`. They are moved to where the
/// subcommand declares them; anything else before the subcommand is left for the parser.
enum GlobalOptions {
    static let withValue: Set<String> = ["--socket", "--key", "--timeout"]
    static let flags: Set<String> = ["--json"]

    /// What `haven --help` says of them: each subcommand's help lists them, the root's
    /// would not, and it is the page a new user reads first.
    static let help = """
        Global options, before or after the subcommand (haven --key me.key record list):
        --socket <path>: the daemon's socket; default $HAVEN_SOCKET, else \
        $XDG_RUNTIME_DIR/haven.sock, else /run/haven/haven.sock.
        --key <file>: your private key file (not the .pub); default $HAVEN_KEY.
        --timeout <seconds>: how long to wait for each answer from the daemon (default 120).
        --json: JSON for scripts, and errors as {"error": {"code", "message", "hint"}} on stderr.

        Shell completion ('haven completion bash') completes agencies, roles and record \
        types from the policy in $HAVEN_POLICY, else /etc/haven/policy, without contacting the daemon.
        """

    /// The global options at the front of `arguments`, and the words after them.
    static func leading(_ arguments: [String]) -> (moved: [String], rest: [String]) {
        var moved = [String]()
        var i = 0
        while i < arguments.count {
            let a = arguments[i]
            let name = String(a.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(a) || (withValue.contains(name) && a.contains("=")) {
                moved.append(a)
                i += 1
            } else if withValue.contains(a), i + 1 < arguments.count {
                moved += [a, arguments[i + 1]]
                i += 2
            } else {
                break
            }
        }
        return (moved, Array(arguments[i...]))
    }

    /// `moved` placed after the subcommand's own words in `rest`.
    static func placed(_ moved: [String], in rest: [String]) -> [String] {
        guard !moved.isEmpty else { return rest }
        var rest = rest
        // After "--" every word is an argument, so the options go before it.
        let end = rest.firstIndex(of: "--") ?? rest.endIndex
        rest.insert(contentsOf: moved, at: end)
        return rest
    }
}
