import HavenCore
import HavenCrypto
import HavenStore

/// The state tag of each row that grants or limits access: keyed BLAKE2b under a key derived
/// from the root key (`KeyPurpose.rowAuthentication`) over every column of the row, with the
/// row's identity and the vault's, so a tag never vouches for another row, another vault or
/// another version (FORMAT.md of HavenStore, "authenticated state").
///
/// A tag is not stored beside its row, where an older row would bring its own older tag:
/// the audit entry of each change carries the new tag, and the daemon compares the rows
/// with the latest tags the (authenticated) log holds. Someone who can write the files but
/// has no root key can neither make a tag for a row they invent or edit, nor make an older
/// row pass for the latest.
public struct RowAuthenticator: Sendable {
    let vault: VaultID
    let key: TagKey

    public init(vault: VaultID, key: TagKey) {
        self.vault = vault
        self.key = key
    }

    /// `users`: every column. The uid binding and the revocation are what an attacker would
    /// strip; the role and agency are what they would raise.
    public func user(_ u: EnrolledUser) -> Tag16 {
        var m = AssociatedData(domain: "haven/row/user/v1")
        m.string(vault.rawValue)
        m.string(u.name.rawValue)
        m.string(u.role.rawValue)
        m.string(u.agency.rawValue)
        m.blob(u.publicKey)
        m.optional(u.uid) { $0.uint32($1) }
        m.uint64(UInt64(bitPattern: u.createdAt.millisecondsSinceEpoch))
        m.string(u.createdBy.rawValue)
        m.optional(u.revokedAt) { $0.uint64(UInt64(bitPattern: $1.millisecondsSinceEpoch)) }
        m.optional(u.revokedBy) { $0.string($1.rawValue) }
        return key.tag(m)
    }

    /// `records`: every column; the wrapped key and sealed header by their BLAKE2b-256, so a
    /// header of any length costs one hash. The header holds agency, assignees, consent and
    /// field versions, so this one tag makes the whole record's access state fresh.
    public func record(_ r: StoredRecord) -> Tag16 {
        var m = AssociatedData(domain: "haven/row/record/v1")
        m.string(vault.rawValue)
        m.string(r.id.rawValue)
        m.string(r.type)
        m.string(r.agency)
        m.string(r.status)
        m.uint64(r.version)
        m.uint64(UInt64(bitPattern: r.createdAt.millisecondsSinceEpoch))
        m.uint64(UInt64(bitPattern: r.updatedAt.millisecondsSinceEpoch))
        m.uint32(r.dataKeyVersion)
        m.digest(r.wrappedKey.withUnsafeBytes { BLAKE2b.digest256($0) })
        m.digest(r.sealedHeader.withUnsafeBytes { BLAKE2b.digest256($0) })
        return key.tag(m)
    }

    /// `case_numbers`: every column but the lookup form (made from the number). The record
    /// and the agency are what a swap or an edit would change: a number that led to another
    /// record, or another agency's, would grant a lookup it was not given for.
    public func caseNumber(_ n: StoredCaseNumber) -> Tag16 {
        var m = AssociatedData(domain: "haven/row/case-number/v1")
        m.string(vault.rawValue)
        m.string(n.agency)
        m.uint64(UInt64(bitPattern: Int64(n.year)))
        m.uint64(UInt64(bitPattern: Int64(n.sequence)))
        m.string(n.number)
        m.string(n.record)
        return key.tag(m)
    }

    /// `case_number_marks`: an agency's highest count of a year. Lowering it (with the newest
    /// number's row deleted) would give that number again, to another record.
    public func caseNumberMark(_ m: CaseNumberMark) -> Tag16 {
        var m2 = AssociatedData(domain: "haven/row/case-number-mark/v1")
        m2.string(vault.rawValue)
        m2.string(m.agency)
        m2.uint64(UInt64(bitPattern: Int64(m.year)))
        m2.uint64(UInt64(bitPattern: Int64(m.sequence)))
        return key.tag(m2)
    }

    /// `vault_meta`: the vault's identity, public key, sealed signing key and creation time.
    public func vaultMeta(_ meta: VaultMeta) -> Tag16 {
        var m = AssociatedData(domain: "haven/row/vault-meta/v1")
        m.string(meta.vaultID.rawValue)
        m.blob(meta.vaultPublicKey)
        m.digest(meta.sealedSigningKey.withUnsafeBytes { BLAKE2b.digest256($0) })
        m.uint64(UInt64(bitPattern: meta.createdAt.millisecondsSinceEpoch))
        return key.tag(m)
    }

    /// `state_baseline`: one tag over every (key, tag) row in key order, absorbed a row at a
    /// time (a million records need no more memory than one). The count is absorbed last.
    public struct BaselineDigest {
        private let accumulator: TagKey.Accumulator
        private var count: UInt64 = 0

        init(_ authenticator: RowAuthenticator) {
            accumulator = TagKey.Accumulator(authenticator.key)
            var head = AssociatedData(domain: "haven/state-baseline/v1")
            head.string(authenticator.vault.rawValue)
            accumulator.absorb(head)
        }

        public mutating func add(key: String, tag: Tag16) {
            var row = AssociatedData(domain: "row")
            row.string(key)
            row.tag(tag)
            accumulator.absorb(row)
            count += 1
        }

        public mutating func finish() -> Tag16 {
            var end = AssociatedData(domain: "rows")
            end.uint64(count)
            accumulator.absorb(end)
            return accumulator.finish()
        }
    }

    public func baselineDigest() -> BaselineDigest { BaselineDigest(self) }
}
