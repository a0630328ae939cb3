/// Everything around a page's own content: who is signed in, in which language, the form
/// token, and where the page sits in the menu. Built by the front for each request.
public struct PageFrame: Sendable {
    /// The menu entry a page belongs to (marked as the current one).
    public enum Section: String, Sendable, CaseIterable {
        case records, newRecord = "new", find, referrals, none
    }

    public let title: String
    public let section: Section
    public let words: Words
    /// The signed-in person's havend user name, role and agency; nil before sign-in.
    public let person: (user: String, role: String, agency: String)?
    /// The session's CSRF token, for `csrfField` and the script's requests.
    public let csrfToken: String?
    /// Idle warning and lock, in seconds, for the desk's script.
    public let idleWarningSeconds: Int
    public let idleLockSeconds: Int

    public init(title: String, section: Section, words: Words, person: (user: String, role: String, agency: String)?,
                csrfToken: String?, idleWarningSeconds: Int, idleLockSeconds: Int) {
        self.title = title
        self.section = section
        self.words = words
        self.person = person
        self.csrfToken = csrfToken
        self.idleWarningSeconds = idleWarningSeconds
        self.idleLockSeconds = idleLockSeconds
    }

    /// The hidden input every POST form carries (`_csrf`).
    public var csrfField: HTML {
        "<input type=\"hidden\" name=\"_csrf\" value=\"\(csrfToken ?? "")\">"
    }
}
