import HavenClient
import HavenCore

/// havend as one signed-in person sees it: every call goes over that person's own
/// authenticated session, so havend decides and audits it under their name. The desk has
/// no session of its own to fall back on.
public final class PersonVault: Sendable {
    let client: HavenClient

    public init(client: HavenClient) {
        self.client = client
    }

    public func get<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await client.get(path)
    }

    public func post<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await client.post(path, body)
    }

    public func post<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await client.post(path)
    }

    public func patch<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await client.patch(path, body)
    }

    public func delete<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await client.delete(path)
    }
}
