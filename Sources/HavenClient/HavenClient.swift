import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import NIOCore
import NIOHTTP1
import NIOPosix

/// A session with the daemon: a connection authenticated by the user's key, and typed
/// calls that turn every error answer into the server's `HavenError`.
public final class HavenClient: Sendable {
    public let connection: ClientConnection
    public let session: SessionResponse?

    init(connection: ClientConnection, session: SessionResponse?) {
        self.connection = connection
        self.session = session
    }

    /// Connects and, with a key, opens a session by answering the connection's challenge.
    public static func connect(socketPath: String, key: SigningKey?,
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               answerTimeout: TimeAmount = ClientConnection.defaultAnswerTimeout) async throws(HavenError) -> HavenClient {
        let connection = try await ClientConnection.connect(socketPath: socketPath, group: group, answerTimeout: answerTimeout)
        guard let key else { return HavenClient(connection: connection, session: nil) }
        do {
            let session = try await authenticate(connection, key: key)
            return HavenClient(connection: connection, session: session)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// Connects to `address` (a socket, or an SSH bridge run with `sshCommand`) and, with a
    /// key, opens a session by answering the connection's challenge.
    /// With `vaultID`, it signs nothing for a vault whose challenge names another id.
    public static func connect(to address: VaultAddress, key: SigningKey?, sshCommand: [String] = ["ssh"], vaultID: String? = nil,
                               group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                               answerTimeout: TimeAmount = ClientConnection.defaultAnswerTimeout) async throws(HavenError) -> HavenClient {
        let connection = try await ClientConnection.connect(to: address, sshCommand: sshCommand, group: group, answerTimeout: answerTimeout)
        guard let key else { return HavenClient(connection: connection, session: nil) }
        do {
            let session = try await authenticate(connection, key: key, vaultID: vaultID)
            return HavenClient(connection: connection, session: session)
        } catch {
            await connection.close()
            throw error
        }
    }

    /// The client's half of the handshake (FORMAT.md, "authentication").
    static func authenticate(_ connection: ClientConnection, key: SigningKey, vaultID: String? = nil) async throws(HavenError) -> SessionResponse {
        let challenge: ChallengeResponse = try await decode(connection.send(method: .POST, path: "/v1/auth/challenge"))
        try check(challenge, isFor: vaultID)
        let publicKey = Base64.encode(key.publicKey.bytes)
        let (uid, pid) = try peer(signedFor: challenge, bridged: connection.isBridged)
        let transcript = AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce,
                                              uid: uid, pid: pid, publicKey: publicKey)
        let body = SessionRequest(publicKey: publicKey, signature: Base64.encode(key.sign(transcript)))
        return try await decode(connection.send(method: .POST, path: "/v1/auth/session", body: encode(body)))
    }

    /// The uid and pid the signature names: the daemon checks them against the connection's
    /// peer. On a local socket that is this process, and it signs its own, never what the
    /// challenge reports: a client pointed at a socket that relays to another must not sign
    /// the relay's identity for it. Through the SSH bridge the peer is the bridge's process on
    /// the vault's host, which only the daemon can name.
    static func peer(signedFor challenge: ChallengeResponse, bridged: Bool) throws(HavenError) -> (uid: UInt32, pid: Int32) {
        guard bridged else { return (getuid(), getpid()) }
        guard let uid = challenge.peerUID, let pid = challenge.peerPID else {
            throw HavenError(.bridgeFailed, "the vault's havend is too old for --host (its challenge does not name the bridge's process)",
                             hint: "upgrade havend on the vault's host to this release")
        }
        return (uid, pid)
    }

    /// Refuses a challenge from a vault other than the one the user named. The signature
    /// binds the vault id, but the client signs whatever id the far end sends: a host the
    /// user bridges to could relay another vault's challenge, taken through an account of its
    /// own there, and have the user sign a session on that vault. Naming the vault closes it.
    static func check(_ challenge: ChallengeResponse, isFor vaultID: String?) throws(HavenError) {
        guard let vaultID, challenge.vaultID != vaultID else { return }
        throw HavenError(.denied, "the vault that answered is \(SSHDestination.shown(challenge.vaultID)), not the one you named (\(SSHDestination.shown(vaultID))): nothing was signed",
                         hint: "check --vault-id or HAVEN_VAULT_ID against the id the vault's operator gave you; if it is right, the host you reached is not that vault's")
    }

    public func get<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await Self.decode(connection.send(method: .GET, path: path))
    }

    public func post<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await Self.decode(connection.send(method: .POST, path: path, body: Self.encode(body)))
    }

    public func post<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await Self.decode(connection.send(method: .POST, path: path))
    }

    public func delete<T: Decodable>(_ path: String) async throws(HavenError) -> T {
        try await Self.decode(connection.send(method: .DELETE, path: path))
    }

    public func patch<T: Decodable, B: Encodable>(_ path: String, _ body: B) async throws(HavenError) -> T {
        try await Self.decode(connection.send(method: .PATCH, path: path, body: Self.encode(body)))
    }

    public func close() async {
        await connection.close()
    }

    static func encode<B: Encodable>(_ body: B) -> [UInt8] {
        (try? [UInt8](JSONEncoder().encode(body))) ?? []
    }

    /// Decodes a 2xx answer as `T`; anything else becomes the server's error.
    static func decode<T: Decodable>(_ response: ClientResponse) throws(HavenError) -> T {
        guard (200..<300).contains(response.status) else {
            if let err = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)) {
                throw err.havenError
            }
            throw HavenError(.internalError, "havend answered \(response.status) without an error body")
        }
        do {
            return try JSONDecoder().decode(T.self, from: Data(response.body))
        } catch {
            throw HavenError(.internalError, "havend's answer could not be read (\(T.self))")
        }
    }

    /// Percent-encodes a path segment or query value: every byte of its UTF-8 is written
    /// `%XX` except RFC 3986's unreserved ASCII (`A-Z a-z 0-9 - . _ ~`).
    ///
    /// Only ASCII passes: Foundation's `alphanumerics` also lets Lao, Vietnamese and every
    /// other script's letters and digits through raw, bytes a request line must not carry,
    /// and that the server would then read however its URL parser chooses.
    public static func escape(_ s: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
