import HavenClient
import HavenCrypto
import HavenTestSupport

extension TestVault {
    /// A session over the real socket, for raw HTTP (replays, malformed bodies). A stuck
    /// daemon fails the test after a minute rather than holding it forever.
    func client(as user: String?) async throws -> HavenClient {
        let key = try user.map { try signingKey($0) }
        return try await HavenClient.connect(socketPath: socket, key: key, answerTimeout: .seconds(60))
    }
}
