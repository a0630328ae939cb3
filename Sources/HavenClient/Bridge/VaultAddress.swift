/// Where the vault's daemon is reached: its Unix socket on this machine, or through SSH on
/// the machine it runs on (`haven dial-stdio` there joins ssh to that machine's socket).
public enum VaultAddress: Sendable, Equatable {
    case socket(String)
    case ssh(SSHDestination)

    /// The address as a user gives it: the socket's path, or the ssh:// URL.
    public var description: String {
        switch self {
        case .socket(let path): path
        case .ssh(let destination): destination.url
        }
    }

    /// ssh's own connect timeout for a bridge whose answers may take `answerTimeout`
    /// seconds: reaching the host never needs more than half a minute.
    public static func sshConnectTimeout(answerTimeout seconds: Int) -> Int {
        max(1, min(seconds, 30))
    }

    /// HAVEN_SSH_COMMAND: the ssh program and its leading options, split on spaces (no
    /// shell is involved, so nothing in it is expanded); `ssh` when unset or blank.
    public static func sshCommand(_ value: String?) -> [String] {
        let words = (value ?? "").split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        return words.isEmpty ? ["ssh"] : words
    }
}
