import ArgumentParser
import Foundation
import HavenClient
import HavenCore
import HavenCrypto

/// `--json` for scripts; human output otherwise.
struct OutputOptions: ParsableArguments {
    @Flag(help: "Print JSON for scripts instead of human-readable output.")
    var json = false
}

/// The options every daemon command takes may come before the subcommand too, as with
/// docker and kubectl: `haven --socket S --key K record list`. They are moved to where the
/// subcommand declares them; anything else before the subcommand is left for the parser.
enum GlobalOptions {
    static let withValue: Set<String> = ["--socket", "--host", "--vault-id", "--key", "--timeout"]
    static let flags: Set<String> = ["--json"]

    /// What `haven --help` says of them: each subcommand's help lists them, the root's
    /// would not, and it is the page a new user reads first.
    static let help = """
        Global options, before or after the subcommand (haven --key me.key record list):
        --socket <path>: the daemon's socket; default $HAVEN_SOCKET, else \
        $XDG_RUNTIME_DIR/haven.sock, else /run/haven/haven.sock.
        --host <url>: a vault on another machine, through SSH: ssh://[user@]host[:port] runs \
        'ssh -T HOST haven dial-stdio' and speaks to that vault over it; your key stays here. \
        Default $HAVEN_HOST; $HAVEN_SSH_COMMAND is the ssh program and its options (default ssh).
        --vault-id <id>: the id of the vault you mean (its operator gives it); your key signs \
        nothing for a vault that answers with another. Default $HAVEN_VAULT_ID.
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
