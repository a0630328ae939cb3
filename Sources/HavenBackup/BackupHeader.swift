import Foundation
import HavenAudit
import HavenCore
import HavenCrypto

/// What a backup archive says about itself, in the clear and covered by its signature:
/// which vault, when, how long its audit log was and the latest signed checkpoint in it,
/// and how the vault's root key is kept (with the passphrase seal or share set, which
/// hold no usable secret), so a restore can open it the same way.
public struct BackupHeader: Sendable, Equatable {
    public let vaultID: VaultID
    public let vaultPublicKey: [UInt8]
    public let createdAt: Timestamp
    public let auditSize: UInt64
    public let checkpoint: SignedCheckpoint?
    public let seal: SealMode
    /// DATA/root.passphrase or DATA/root.shares, as bytes; nil for `seal` file.
    public let sealFile: [UInt8]?
    /// The secretstream header of the encrypted snapshot.
    public let streamHeader: [UInt8]

    public init(vaultID: VaultID, vaultPublicKey: [UInt8], createdAt: Timestamp, auditSize: UInt64, checkpoint: SignedCheckpoint?,
                seal: SealMode, sealFile: [UInt8]?, streamHeader: [UInt8]) {
        self.vaultID = vaultID
        self.vaultPublicKey = vaultPublicKey
        self.createdAt = createdAt
        self.auditSize = auditSize
        self.checkpoint = checkpoint
        self.seal = seal
        self.sealFile = sealFile
        self.streamHeader = streamHeader
    }

    /// Canonical JSON: keys sorted, no blanks, so the bytes signed are the bytes parsed.
    public var bytes: [UInt8] {
        var w = JSONWriter()
        w.object { o in
            o.field("audit_size", auditSize)
            o.key("checkpoint")
            if let checkpoint { checkpoint.write(to: &o) } else { o.null() }
            o.field("created_at", createdAt.rfc3339)
            o.field("format", "haven-backup-v1")
            o.field("seal", seal.rawValue)
            o.field("seal_file", sealFile.map { Base64.encode($0) })
            o.field("stream_header", Base64.encode(streamHeader))
            o.field("vault_id", vaultID.rawValue)
            o.field("vault_public_key", Base64.encode(vaultPublicKey))
        }
        return w.bytes
    }

    public init(bytes: [UInt8]) throws(HavenError) {
        let bad = HavenError(.invalidDocument, "the backup archive's header is damaged")
        guard let o = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
              o["format"] as? String == "haven-backup-v1",
              let vault = o["vault_id"] as? String, let id = try? VaultID(vault),
              let key = (o["vault_public_key"] as? String).flatMap(Base64.decode),
              let created = (o["created_at"] as? String).flatMap(Timestamp.init(parsing:)),
              let size = (o["audit_size"] as? NSNumber)?.uint64Value,
              let seal = (o["seal"] as? String).flatMap(SealMode.init(rawValue:)),
              let stream = (o["stream_header"] as? String).flatMap(Base64.decode) else { throw bad }
        var checkpoint: SignedCheckpoint?
        if let c = o["checkpoint"], !(c is NSNull) {
            guard let json = try? JSONSerialization.data(withJSONObject: c) else { throw bad }
            checkpoint = try SignedCheckpoint(json: [UInt8](json))
        }
        var sealFile: [UInt8]?
        if let f = o["seal_file"], !(f is NSNull) {
            guard let s = f as? String, let decoded = Base64.decode(s) else { throw bad }
            sealFile = decoded
        }
        self.init(vaultID: id, vaultPublicKey: key, createdAt: created, auditSize: size, checkpoint: checkpoint, seal: seal,
                  sealFile: sealFile, streamHeader: stream)
        // Only the canonical form is accepted: a header is what was signed, byte for byte.
        guard self.bytes == bytes else { throw bad }
    }
}
