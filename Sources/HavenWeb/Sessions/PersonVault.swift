import HavenClient
import HavenCore
import HavenCrypto
import Synchronization

/// havend as one signed-in person sees it: every call goes over that person's own
/// authenticated session, so havend decides and audits it under their name. The desk has
/// no session of its own to fall back on.
///
/// havend closes a session that stays idle; the desk's sessions idle for minutes between
/// pages. When the connection is found closed, a new session is opened with the person's
/// key (held while they are signed in) and a read is asked again; a change is not repeated
/// (it may have been made), the person sees the refusal and the next call reconnects.
public final class PersonVault: Sendable {
    private let current: Mutex<HavenClient>
    private let socketPath: String?
    private let key: SigningKey?

    public init(client: HavenClient) {
        current = Mutex(client)
        socketPath = nil
        key = nil
    }

    /// A vault that can reconnect as the person holding `key`.
    public init(client: HavenClient, socketPath: String, key: SigningKey) {
        current = Mutex(client)
        self.socketPath = socketPath
        self.key = key
    }

    var client: HavenClient { current.withLock { $0 } }

    public func get<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        do {
            return try await client.get(path)
        } catch where lost(error) {
            let fresh = try await reconnect()
            return try await fresh.get(path)
        }
    }

    public func post<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await write { (c) throws(HavenError) -> T in try await c.post(path, body) }
    }

    public func post<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await write { (c) throws(HavenError) -> T in try await c.post(path) }
    }

    public func patch<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await write { (c) throws(HavenError) -> T in try await c.patch(path, body) }
    }

    public func delete<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await write { (c) throws(HavenError) -> T in try await c.delete(path) }
    }

    /// Closes the person's havend session (lock, sign-out, shutdown).
    public func close() async {
        await client.close()
    }

    private func write<T>(_ call: (HavenClient) async throws(HavenError) -> T) async throws(HavenError) -> T {
        do {
            return try await call(client)
        } catch where lost(error) {
            _ = try? await reconnect()
            throw error
        }
    }

    private func lost(_ error: HavenError) -> Bool {
        error.code == .unavailable && key != nil
    }

    private func reconnect() async throws(HavenError) -> HavenClient {
        guard let socketPath, let key else { throw HavenError(.unavailable, "the connection to havend was lost") }
        let fresh = try await HavenClient.connect(socketPath: socketPath, key: key)
        let old = current.withLock { value in
            let old = value
            value = fresh
            return old
        }
        await old.close()
        return fresh
    }
}
