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

    /// The signing key sealed again under a new root key (rotation).
    public static func setSealedSigningKey(_ sealed: [UInt8], on db: Connection) throws {
        try db.statement("UPDATE vault_meta SET value = ? WHERE key = 'sealed_signing_key'").bind(1, blob: sealed).run()
    }

    /// Which seal file is current (BLAKE2b of its bytes), written with each rotation so that
    /// a start after a crash keeps the seal file the database agrees with. A hint for
    /// recovery only: a wrong one makes the unseal fail, never succeed.
    public static func setCustody(_ digest: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('custody', ?)").bind(1, blob: digest).run()
    }

    public static func custody(on db: Connection) throws -> [UInt8]? {
        let s = try db.statement("SELECT value FROM vault_meta WHERE key = 'custody'")
        defer { db.resetStatements() }
        return try s.step() ? s.blob(0) : nil
    }

    /// `anchored` (the anchor's size this directory last wrote, signed): kept beside the identity.
    public static func anchored(on db: Connection) throws -> [UInt8]? {
        let s = try db.statement("SELECT value FROM vault_meta WHERE key = 'anchored'")
        defer { db.resetStatements() }
        return try s.step() ? s.blob(0) : nil
    }

    public static func setAnchored(_ value: [UInt8], on db: Connection) throws {
        try db.statement("INSERT OR REPLACE INTO vault_meta (key, value) VALUES ('anchored', ?)").bind(1, blob: value).run()
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
