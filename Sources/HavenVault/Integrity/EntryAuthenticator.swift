import HavenCore
import HavenCrypto

/// The tag of each stored audit entry: keyed BLAKE2b under a key derived from the root key
/// (`KeyPurpose.auditAuthentication`) over the vault, the entry's sequence number, its leaf
/// hash (which covers every byte of the entry, including its link to the one before) and
/// the state it commits to (HavenAudit FORMAT.md, "entry tag").
///
/// Why beside the Merkle tree: the chain and the tree need no key, so without a tag anyone
/// could delete entries, renumber and re-link the rest, and present a log that is
/// internally consistent; signed checkpoints catch that only up to the last one. With the
/// tag, every entry written without the root key, moved to another position or given
/// another state is named at start and by `haven audit verify`.
public struct EntryAuthenticator: Sendable {
    let vault: VaultID
    let key: TagKey

    public init(vault: VaultID, key: TagKey) {
        self.vault = vault
        self.key = key
    }

    public func tag(seq: UInt64, leafHash: [UInt8], state: (key: String, tag: [UInt8])?) -> Tag16 {
        leafHash.withUnsafeBytes { leaf in
            guard let state else { return tag(seq: seq, leafHash: leaf, stateKey: nil, state: nil) }
            return Array(state.key.utf8).withUnsafeBytes { key in
                state.tag.withUnsafeBytes { tag(seq: seq, leafHash: leaf, stateKey: key, state: $0) }
            }
        }
    }

    /// The same, from the stored columns as they are (the start-up check reads millions).
    public func tag(seq: UInt64, leafHash: UnsafeRawBufferPointer, stateKey: UnsafeRawBufferPointer?,
                    state: UnsafeRawBufferPointer?) -> Tag16 {
        var m = AssociatedData(domain: "haven/audit-entry/v1")
        m.string(vault.rawValue)
        m.uint64(seq)
        m.blob(leafHash)
        if let stateKey, let state {
            m.uint8(1)
            m.string(utf8: stateKey)
            m.blob(state)
        } else {
            m.uint8(0)
        }
        return key.tag(m)
    }
}
