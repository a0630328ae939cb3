import HavenCore

/// havend's refusal as the person reads it: what happened and what to do, in their
/// language, with havend's own message beneath (it names the field or the rule, in English).
public enum RefusalView {
    public static func render(_ error: HavenError, words w: Words) -> HTML {
        let (what, todo) = explanation(error.code, words: w)
        let detail: HTML = error.hint.map { "<p class=\"refusal-detail\">\(error.message) — \($0)</p>" }
            ?? "<p class=\"refusal-detail\">\(error.message)</p>"
        return """
        <div class="refusal" role="alert" data-code="\(error.code.rawValue)"><p class="refusal-what"><strong>\(what)</strong></p>\
        <p class="refusal-todo">\(todo)</p>\(detail)</div>
        """
    }

    /// The HTTP status a page answers with when havend refused it with `code`.
    public static func status(for code: ErrorCode) -> Int {
        switch code {
        case .denied, .unauthenticated, .authenticationFailed, .lockedOut: return 403
        case .notFound: return 404
        case .erased: return 410
        case .conflict, .limitReached: return 409
        case .rateLimited, .tooManyConnections: return 429
        case .sealed, .auditUnavailable, .storeUnavailable, .busy, .unavailable, .anchorUnavailable: return 503
        case .payloadTooLarge: return 413
        case .internalError, .integrityError, .ioError, .bridgeFailed: return 500
        default: return 400
        }
    }

    /// What happened and what to do, for each kind of refusal.
    static func explanation(_ code: ErrorCode, words w: Words) -> (String, String) {
        switch code {
        case .denied:
            return (w("You may not do this."), w("Your role or agency does not allow it. Ask your supervisor if you need it."))
        case .unauthenticated, .authenticationFailed, .lockedOut:
            return (w("The vault did not accept your key."), w("Sign out and sign in again. If it happens again, tell the administrator."))
        case .notFound:
            return (w("This was not found."), w("It may have been removed, or it is not within your reach. Go back to your records."))
        case .erased:
            return (w("This record was erased."), w("Nothing of it can be read any more."))
        case .conflict, .limitReached:
            return (w("This could not be saved as it is."), w("Someone may have changed it meanwhile. Open it again and check before you repeat the change."))
        case .rateLimited:
            return (w("Too many requests in a short time."), w("Wait a little, then try again."))
        case .tooManyConnections:
            return (w("Too many people are connected."), w("Wait a little, then try again."))
        case .sealed:
            return (w("The vault is sealed."), w("Nothing can be read or saved until the operators unseal it."))
        case .auditUnavailable, .storeUnavailable, .busy, .unavailable, .anchorUnavailable:
            return (w("The vault cannot answer right now."), w("Nothing was changed. Try again in a few minutes; if it lasts, tell the administrator."))
        case .internalError, .integrityError, .ioError, .bridgeFailed:
            return (w("Something went wrong in the vault."), w("Nothing was changed. Tell the administrator what you were doing."))
        default:
            return (w("Some of what was entered was not accepted."), w("Check the values and try again."))
        }
    }
}
