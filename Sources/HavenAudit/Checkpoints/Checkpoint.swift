import Foundation
import HavenCore
import HavenCrypto

/// A statement by the vault: "my audit log had `size` entries with this root at this time"
/// (FORMAT.md, "checkpoint").
public struct Checkpoint: Sendable, Equatable {
    public let vault: VaultID
    public let size: UInt64
    public let root: [UInt8]
    public let time: Timestamp

    public init(vault: VaultID, size: UInt64, root: [UInt8], time: Timestamp) {
        self.vault = vault
        self.size = size
        self.root = root
        self.time = time
    }

    /// The exact bytes the vault key signs. The first line names the format, so a signature
    /// over a checkpoint can never be replayed as a signature over anything else Haven signs.
    public func signedBody() -> [UInt8] {
        Array("haven-checkpoint-v1\nvault \(vault.rawValue)\nsize \(size)\nroot \(Base64.encode(root))\ntime \(time.rfc3339)\n".utf8)
    }
}

/// A checkpoint with the vault's Ed25519 signature over its body.
public struct SignedCheckpoint: Sendable, Equatable, Codable {
    public let checkpoint: Checkpoint
    public let keyID: String
    public let signature: [UInt8]

    public init(checkpoint: Checkpoint, keyID: String, signature: [UInt8]) {
        self.checkpoint = checkpoint
        self.keyID = keyID
        self.signature = signature
    }

    public static func sign(_ checkpoint: Checkpoint, with key: SigningKey) -> SignedCheckpoint {
        SignedCheckpoint(checkpoint: checkpoint, keyID: key.publicKey.keyID, signature: key.sign(checkpoint.signedBody()))
    }

    /// Checks the signature with `key` and, when given, that the checkpoint is of `vault`.
    public func verify(with key: PublicKey, vault: VaultID? = nil) throws(HavenError) {
        if let vault, checkpoint.vault != vault {
            throw HavenError(.invalidDocument, "checkpoint at size \(checkpoint.size) is of vault \(checkpoint.vault), not \(vault)")
        }
        guard keyID == key.keyID else {
            throw HavenError(.invalidDocument, "checkpoint at size \(checkpoint.size) names key \(keyID), not the vault key \(key.keyID)")
        }
        do {
            try key.verify(signature: signature, message: checkpoint.signedBody())
        } catch {
            throw HavenError(.invalidDocument, "checkpoint at size \(checkpoint.size): signature does not verify with the vault key")
        }
    }

    /// Canonical JSON, as stored and exported.
    public func canonicalJSON() -> [UInt8] {
        var w = JSONWriter(capacity: 256)
        write(to: &w)
        return w.bytes
    }

    public func write(to w: inout JSONWriter) {
        w.object { o in
            o.field("vault", checkpoint.vault.rawValue)
            o.field("size", checkpoint.size)
            o.field("root", Base64.encode(checkpoint.root))
            o.field("time", checkpoint.time.rfc3339)
            o.field("key_id", keyID)
            o.field("signature", Base64.encode(signature))
        }
    }

    public init(json: [UInt8]) throws(HavenError) {
        if let key = JSONValue.firstDuplicateKey(in: json) {
            throw HavenError(.invalidDocument, "checkpoint names '\(NameRules.printable(key))' twice")
        }
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(json))
        } catch {
            throw HavenError(.invalidDocument, "checkpoint is not valid JSON of the checkpoint format")
        }
        try self.init(wire: wire)
    }

    public init(from decoder: any Decoder) throws {
        try self.init(wire: try Wire(from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try Wire(vault: checkpoint.vault.rawValue, size: checkpoint.size, root: Base64.encode(checkpoint.root),
                 time: checkpoint.time.rfc3339, key_id: keyID, signature: Base64.encode(signature)).encode(to: encoder)
    }

    init(wire: Wire) throws(HavenError) {
        guard let root = Base64.decode(wire.root), root.count == MerkleHash.byteCount,
              let sig = Base64.decode(wire.signature), let time = Timestamp(parsing: wire.time) else {
            throw HavenError(.invalidDocument, "checkpoint at size \(wire.size) is malformed")
        }
        self.init(checkpoint: Checkpoint(vault: try VaultID(wire.vault), size: wire.size, root: root, time: time),
                  keyID: wire.key_id, signature: sig)
    }

    public struct Wire: Codable, Sendable {
        let vault: String
        let size: UInt64
        let root: String
        let time: String
        let key_id: String
        let signature: String
    }
}
