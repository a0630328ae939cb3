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
///
/// Once closed (lock, sign-out, sweep, shutdown) it never reconnects: a request still in
/// flight when the lock came must not open havend again as the person. The key is
/// dropped at close, under the same lock the reconnect checks.
public final class PersonVault: Sendable {
    private struct Connection: Sendable {
        var client: HavenClient
        var key: SigningKey?
        var closed = false
    }

    private let current: Mutex<Connection>
    private let socketPath: String?

    public init(client: HavenClient) {
        current = Mutex(Connection(client: client, key: nil))
        socketPath = nil
    }

    /// A vault that can reconnect as the person holding `key`.
    public init(client: HavenClient, socketPath: String, key: SigningKey) {
        current = Mutex(Connection(client: client, key: key))
        self.socketPath = socketPath
    }

    var client: HavenClient { current.withLock { $0.client } }

    /// Whether `close()` has run.
    public var isClosed: Bool { current.withLock { $0.closed } }

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
        let client = current.withLock { value in
            value.closed = true
            value.key = nil
            return value.client
        }
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
        error.code == .unavailable && current.withLock { !$0.closed && $0.key != nil }
    }

    private func reconnect() async throws(HavenError) -> HavenClient {
        let lostConnection = HavenError(.unavailable, "the connection to havend was lost")
        guard let socketPath, let key = current.withLock({ $0.closed ? nil : $0.key }) else { throw lostConnection }
        let fresh = try await HavenClient.connect(socketPath: socketPath, key: key)
        // close() may have run while connecting: then the new session is closed at once.
        let old: HavenClient? = current.withLock { value in
            guard !value.closed else { return nil }
            let old = value.client
            value.client = fresh
            return old
        }
        guard let old else {
            await fresh.close()
            throw lostConnection
        }
        await old.close()
        return fresh
    }
}
