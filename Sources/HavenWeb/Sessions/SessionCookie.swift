import Foundation
import HavenCrypto

/// The desk's cookies: the session's, the form token before sign-in, and the language
/// before sign-in. The session cookie's value is 32 random bytes; the desk keeps only its
/// SHA-256, so a memory dump of the store does not hand out live cookies.
enum SessionCookie {
    /// `__Host-`: the browser keeps it only if Secure, Path=/ and without Domain, so no
    /// other host (or plain-HTTP page on the same name) can set or overwrite it.
    static let session = "__Host-haven-session"
    /// The form token for pages before sign-in (double-submit, checked with Origin).
    static let form = "__Host-haven-form"
    /// The language chosen before sign-in (not a secret).
    static let language = "haven-lang"

    static func setSession(_ value: String) -> String {
        "\(session)=\(value); Secure; HttpOnly; SameSite=Strict; Path=/"
    }

    static func expireSession() -> String {
        "\(session)=; Secure; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
    }

    static func setForm(_ value: String) -> String {
        "\(form)=\(value); Secure; HttpOnly; SameSite=Strict; Path=/"
    }

    static func setLanguage(_ value: String) -> String {
        "\(language)=\(value); Secure; SameSite=Strict; Path=/; Max-Age=31536000"
    }

    /// The store's key for a cookie value.
    static func digest(_ value: String) -> String {
        SHA256.hash(Array(value.utf8)).map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    /// The cookies of a `Cookie` header by name (the first of a repeated name).
    static func parse(_ header: String?) -> [String: String] {
        var out: [String: String] = [:]
        for piece in (header ?? "").split(separator: ";") {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let name = pair[0].trimmingCharacters(in: .whitespaces)
            if out[name] == nil { out[name] = pair[1].trimmingCharacters(in: .whitespaces) }
        }
        return out
    }
}
