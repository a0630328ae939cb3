import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// Appends entries and checkpoints to the audit tables; used by the writer thread and by
/// `haven init`, so there is one way an entry reaches the database.
enum AuditAppender {
    /// Appends `event` to the chain and stores the entry (and a completed tile), with its tag
    /// and, when the request changed a row that grants access, that row's new state tag;
    /// `link` places an entry about a record in that record's chain (`StateLedger.link`).
    @discardableResult
    static func append(_ event: AuditEvent, to chain: inout AuditChain, at time: Timestamp, state: (StateKey, Tag16)? = nil,
                       link: AuditRecordLink? = nil, tags: EntryAuthenticator, on db: Connection) throws -> UInt64 {
        let appended = chain.append(event, at: time)
        let index = AuditIndex(time: chain.lastTime.millisecondsSinceEpoch, action: event.action, user: event.actor?.user,
                               record: event.record, decision: event.decision.rawValue, breakGlass: event.breakGlass != nil)
        let stored = state.map { (key: $0.0.text, tag: $0.1.bytes) }
        let mac = tags.tag(seq: appended.seq, leafHash: appended.leafHash, state: stored)
        try AuditTable.append(seq: appended.seq, entry: appended.bytes, leafHash: appended.leafHash, index: index,
                              state: stored, mac: mac.bytes, link: link, on: db)
        if let tile = appended.completedTile {
            try AuditTable.putSubtree(index: tile.index, hash: tile.hash, on: db)
        }
        return appended.seq
    }

    /// Signs a checkpoint of the chain as it stands, verifies the signature (never publish
    /// one that does not verify, as minisign does), and stores it.
    static func checkpoint(_ chain: AuditChain, vault: VaultID, key: SigningKey, at time: Timestamp,
                           on db: Connection) throws -> SignedCheckpoint {
        let cp = Checkpoint(vault: vault, size: chain.size, root: chain.frontier.root(), time: time)
        let signed = SignedCheckpoint.sign(cp, with: key)
        try signed.verify(with: key.publicKey, vault: vault)
        try AuditTable.putCheckpoint(size: cp.size, note: signed.canonicalJSON(), on: db)
        return signed
    }
}
