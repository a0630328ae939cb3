import HavenCore

/// The vault's identity and sealed signing key, one row per key in `vault_meta`.
public struct VaultMeta: Sendable {
    public let vaultID: VaultID
    public let vaultPublicKey: [UInt8]
    /// The vault's Ed25519 seed in a sealed box under a root-derived key.
    public let sealedSigningKey: [UInt8]
    public let createdAt: Timestamp

    public init(vaultID: VaultID, vaultPublicKey: [UInt8], sealedSigningKey: [UInt8], createdAt: Timestamp) {
        self.vaultID = vaultID
        self.vaultPublicKey = vaultPublicKey
        self.sealedSigningKey = sealedSigningKey
        self.createdAt = createdAt
    }
}

public enum VaultMetaTable {
    public static func write(_ meta: VaultMeta, on db: Connection) throws {
        let rows: [(String, [UInt8])] = [
            ("vault_id", Array(meta.vaultID.rawValue.utf8)),
            ("vault_public_key", meta.vaultPublicKey),
            ("sealed_signing_key", meta.sealedSigningKey),
            ("created_at", Array(String(meta.createdAt.millisecondsSinceEpoch).utf8)),
        ]
        for (key, value) in rows {
            try db.statement("INSERT INTO vault_meta (key, value) VALUES (?, ?)").bind(1, key).bind(2, blob: value).run()
        }
    }

    public static func read(on db: Connection) throws -> VaultMeta {
        var values = [String: [UInt8]]()
        let s = try db.statement("SELECT key, value FROM vault_meta")
        while try s.step() { values[s.string(0)] = s.blob(1) }
        guard let id = values["vault_id"], let pub = values["vault_public_key"],
              let sealed = values["sealed_signing_key"], let created = values["created_at"],
              let ms = Int64(String(decoding: created, as: UTF8.self)) else {
            throw HavenError(.storeUnavailable, "the vault database has no vault identity",
                             hint: "is this a data directory made by 'haven init'?")
        }
        return VaultMeta(vaultID: try VaultID(String(decoding: id, as: UTF8.self)), vaultPublicKey: pub,
                         sealedSigningKey: sealed, createdAt: Timestamp(millisecondsSinceEpoch: ms))
    }
}
