/// What an account pinned to `haven dial-stdio` (authorized_keys: `restrict,command="…"`)
/// may have asked for.
///
/// sshd runs the forced command whatever the client asked, and puts what it asked in
/// SSH_ORIGINAL_COMMAND. A request for anything else (`ssh vault cat /etc/passwd`) is refused
/// out loud, before the socket is touched, rather than quietly answered with a vault
/// connection: whoever tries the account for something else learns it serves nothing else,
/// and a test can show that it does not. Nothing asked (unset) is what a plain `ssh host`
/// sends; the forced command then serves the vault protocol, as it would for the bridge.
public enum ForcedCommand {
    public static let refusal = "this account may only run 'haven dial-stdio'"

    /// Whether `original` (SSH_ORIGINAL_COMMAND, nil when unset) is the bridge's own
    /// request: exactly `haven dial-stdio`, or `PATH/haven dial-stdio`.
    public static func allows(_ original: String?) -> Bool {
        guard let original else { return true }
        let words = original.split(separator: " ", omittingEmptySubsequences: false)
        guard words.count == 2, words[1] == "dial-stdio" else { return false }
        let program = words[0]
        if program == "haven" { return true }
        return program.hasPrefix("/") && program.hasSuffix("/haven") && !program.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false })
    }
}
