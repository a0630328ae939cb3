import HavenCore

/// The CLI's exit statuses (SPEC §7), and the one place an error code becomes one.
/// A passphrase prompt ended by Ctrl-C, SIGTERM or a hang-up ends by that signal, once echo is
/// back on (`PassphraseInput`): the shell reports 130, 143 or 129 (README's table).
enum ExitStatus: Int32 {
    case ok = 0
    case error = 1
    case usage = 2
    case denied = 3
    case notFound = 4
    case unavailable = 5
    /// The SSH bridge is not set up or was refused (needs a person, not a retry).
    case bridge = 6

    init(_ code: ErrorCode) {
        switch code {
        case .denied, .unauthenticated, .authenticationFailed, .lockedOut:
            self = .denied
        case .notFound, .erased:
            self = .notFound
        case .unavailable, .auditUnavailable, .storeUnavailable, .sealed, .busy, .rateLimited, .tooManyConnections,
             .anchorUnavailable:
            self = .unavailable
        case .bridgeFailed:
            self = .bridge
        default:
            self = .error
        }
    }
}
