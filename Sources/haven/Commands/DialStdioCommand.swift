import ArgumentParser
import Foundation
import Glibc
import HavenAPI
import HavenClient
import HavenCore

/// `haven dial-stdio [--socket PATH]`: the vault host's end of `haven --host ssh://…`. It
/// joins its stdin and stdout to the daemon's socket and copies bytes both ways until either
/// side closes, as `docker system dial-stdio` does: the SSH account of a remote user runs it
/// as its forced command, and havend sees this process as the peer, as for a local client.
struct DialStdioCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dial-stdio", abstract: "Join stdin and stdout to the daemon's socket (what 'haven --host ssh://…' runs on the vault's host).",
        discussion: """
            Pin a remote person's SSH account to it in authorized_keys: \
            restrict,command="/usr/local/bin/haven dial-stdio --socket /run/haven/haven.sock" ssh-ed25519 AAAA… \
            (name the socket: sshd may set XDG_RUNTIME_DIR for the account, and the default would follow it); \
            a request for any other command (SSH_ORIGINAL_COMMAND) is refused with exit status 3. \
            It writes nothing of its own on stdout: first one line to the daemon, where the SSH \
            connection says it came from (SSH_CONNECTION, reported in the audit, not proven), then \
            the bytes as they come. Exit status 0 when the daemon closes the connection, 5 when it \
            cannot be reached.
            """)

    @Option(help: ArgumentHelp("The daemon's socket. Default: $HAVEN_SOCKET, else $XDG_RUNTIME_DIR/haven.sock, else /run/haven/haven.sock.",
                               valueName: "path"))
    var socket: String?
    @OptionGroup var output: OutputOptions

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        // Before the socket is touched: the account serves this and nothing else.
        guard ForcedCommand.allows(environment["SSH_ORIGINAL_COMMAND"]) else {
            throw HavenError(.denied, ForcedCommand.refusal,
                             hint: "connect with 'haven --host ssh://USER@HOST COMMAND' from your own machine")
        }
        // ssh going away while an answer is written must end this quietly, not by a signal.
        signal(SIGPIPE, SIG_IGN)
        let fd = try StdioRelay.connect(socketPath: ConnectionOptions.socketPath(given: socket))
        defer { close(fd) }
        try StdioRelay.send(Array(BridgePreamble.line(sshConnection: environment["SSH_CONNECTION"]).utf8), to: fd)
        try StdioRelay.run(input: STDIN_FILENO, output: STDOUT_FILENO, socket: fd)
    }
}
