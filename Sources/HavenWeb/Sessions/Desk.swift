import HavenCore
import HavenDesk
import HavenPolicy

/// What a signed-in page handler works with: the person's own havend session, their words,
/// the policy's schema and labels, and the page frame with their CSRF token.
public struct Desk: Sendable {
    /// The person as havend named them when their session opened.
    public let user: String
    public let role: String
    public let agency: String
    public let words: Words
    public let csrfToken: String
    /// The policy directory haven-web was started with (the same files as havend's).
    public let policy: Policy
    public let vault: PersonVault
    public let idleWarningSeconds: Int
    public let idleLockSeconds: Int

    public init(user: String, role: String, agency: String, words: Words, csrfToken: String, policy: Policy, vault: PersonVault,
                idleWarningSeconds: Int, idleLockSeconds: Int) {
        self.user = user
        self.role = role
        self.agency = agency
        self.words = words
        self.csrfToken = csrfToken
        self.policy = policy
        self.vault = vault
        self.idleWarningSeconds = idleWarningSeconds
        self.idleLockSeconds = idleLockSeconds
    }

    /// The frame of a page in `section`.
    public func frame(title: String, section: PageFrame.Section) -> PageFrame {
        PageFrame(title: title, section: section, words: words, person: (user, role, agency), csrfToken: csrfToken,
                  idleWarningSeconds: idleWarningSeconds, idleLockSeconds: idleLockSeconds)
    }

    /// A whole page in the desk's layout.
    public func page(title: String, section: PageFrame.Section, body: HTML, status: Int = 200) -> DeskResponse {
        .page(Layout.page(frame(title: title, section: section), body: body), status: status)
    }

    /// The hidden CSRF input every POST form carries.
    public var csrfField: HTML { frame(title: "", section: .none).csrfField }

    /// havend's refusal in plain words with what to do, for the page that asked.
    public func refusal(_ error: HavenError) -> HTML {
        RefusalView.render(error, words: words)
    }
}
