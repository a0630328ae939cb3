import HavenDesk
import HavenPolicy

/// What haven-web was started with: where havend and the people's keys are, the policy and
/// translations loaded at start, the address and the idle timers.
public struct FrontConfiguration: Sendable {
    public let socketPath: String
    public let listen: ListenAddress
    public let keysDirectory: String
    public let policy: Policy
    public let catalog: Catalog
    /// The desk's public base URL when it is reached through a proxy or a forward.
    public let publicURL: String?
    public let tls: Bool
    public let idleWarningSeconds: Int
    public let idleLockSeconds: Int
    public let fontDirectory: String

    public init(socketPath: String, listen: ListenAddress, keysDirectory: String, policy: Policy, catalog: Catalog, publicURL: String?,
                tls: Bool, idleWarningSeconds: Int, idleLockSeconds: Int, fontDirectory: String) {
        self.socketPath = socketPath
        self.listen = listen
        self.keysDirectory = keysDirectory
        self.policy = policy
        self.catalog = catalog
        self.publicURL = publicURL
        self.tls = tls
        self.idleWarningSeconds = idleWarningSeconds
        self.idleLockSeconds = idleLockSeconds
        self.fontDirectory = fontDirectory
    }

    var scheme: String { tls ? "https" : "http" }
}
