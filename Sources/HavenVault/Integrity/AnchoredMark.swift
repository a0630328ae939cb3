import HavenCore
import HavenCrypto
import HavenStore

/// `vault_meta.anchored`: the size of the latest checkpoint this data directory wrote to its
/// anchor, signed by the vault's key — what lets a start recognise an older anchor (the
/// weekly copy on the backup drive) put in place of the current one.
///
/// Why signed, and by the vault's key: someone who can write the files but holds no root
/// key cannot lower the size to fit an older anchor, nor copy a checkpoint's signature
/// here (the domain differs). The signing key survives a root key rotation, so the mark
/// does too. Why written after the anchor, never before: a crash between the two leaves a
/// mark no larger than the anchor, which the start accepts (`AnchorAtStart`).
///
/// An older value replayed from an older copy of this same directory is not caught here;
/// whoever holds that copy holds an older directory and its anchor anyway — the case only
/// an external witness can catch (SECURITY.md).
public struct AnchoredMark: Equatable, Sendable {
    public let size: UInt64

    /// The signed bytes: a domain of its own, the vault, the size.
    static func message(vault: VaultID, size: UInt64) -> [UInt8] {
        var m = AssociatedData(domain: "haven/anchored/v1")
        m.string(vault.rawValue)
        m.uint64(size)
        return m.bytes
    }

    /// The stored value: the size (8 bytes, big-endian), then the Ed25519 signature.
    public static func encode(size: UInt64, vault: VaultID, signer: SigningKey) -> [UInt8] {
        withUnsafeBytes(of: size.bigEndian) { Array($0) } + signer.sign(message(vault: vault, size: size))
    }

    /// The mark, checked; nil when this directory never wrote an anchor with this release.
    static func read(on db: Connection, vault: VaultID, key: PublicKey) throws(HavenError) -> AnchoredMark? {
        let stored: [UInt8]?
        do {
            stored = try VaultMetaTable.anchored(on: db)
        } catch {
            throw HavenError(.storeUnavailable, "cannot read vault_meta: \(error)")
        }
        guard let stored else { return nil }
        let refusal = HavenError(.integrityError, "refusing to start: vault_meta 'anchored' is not signed by this vault "
                                 + "(edited outside Haven)",
                                 hint: "the vault's files were changed without its key; restore the data directory from a backup")
        guard stored.count == 8 + PublicKey.signatureBytes else { throw refusal }
        let size = stored.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        do {
            try key.verify(signature: Array(stored.dropFirst(8)), message: message(vault: vault, size: size))
        } catch {
            throw refusal
        }
        return AnchoredMark(size: size)
    }

    static func write(size: UInt64, keys: VaultKeys, on db: Connection) throws {
        try VaultMetaTable.setAnchored(encode(size: size, vault: keys.vaultID, signer: keys.signingKey), on: db)
    }
}
