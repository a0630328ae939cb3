import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

/// Fills a vault quickly, for benchmarks: the same rows the daemon would write (records
/// sealed under their own data keys, audit entries chained and checkpointed), but many per
/// transaction and without a daemon. Never used by havend.
public final class VaultSeeder {
    let directory: DataDirectory
    let db: Connection
    let keys: VaultKeys
    var chain: AuditChain
    var lastCheckpoint: UInt64

    public init(directory: DataDirectory) throws {
        self.directory = directory
        db = try Database.open(path: directory.databasePath)
        keys = try VaultKeys.load(directory: directory, meta: try VaultMetaTable.read(on: db))
        chain = try AuditState.load(on: db)
        lastCheckpoint = chain.size
    }

    /// Appends `count` realistic audit entries (record reads by several users), with a
    /// signed checkpoint every `checkpointEvery` entries, as the daemon does.
    public func appendAuditEntries(_ count: Int, checkpointEvery: UInt64 = 1000, batch: Int = 20_000) throws {
        var done = 0
        var t = Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)
        while done < count {
            try db.transaction {
                for _ in 0..<min(batch, count - done) {
                    let n = chain.size
                    let event = AuditEvent(
                        action: "record.read",
                        actor: .init(user: "counsellor-\(n % 40)", role: "counsellor", agency: "ossc-vientiane"),
                        peer: .init(uid: 1000, pid: Int32(n % 30_000)), record: RecordID(bytes: Random.bytes(16)).rawValue,
                        released: ["survivor_name", "phone", "incident_type", "counselling_notes"],
                        withheld: [.init(field: "health_notes", reason: "class health not permitted for role counsellor")],
                        purpose: "weekly counselling session", decision: .allow,
                        rule: "role counsellor may record.read on records in its reach (assigned)",
                        consent: ["counselling": "granted"], policyVersion: String(repeating: "ab", count: 32))
                    t = t.adding(milliseconds: 7)
                    try AuditAppender.append(event, to: &chain, at: t, on: db)
                    if chain.size - lastCheckpoint >= checkpointEvery {
                        _ = try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: t, on: db)
                        lastCheckpoint = chain.size
                    }
                    done += 1
                }
            }
        }
        if chain.size > lastCheckpoint {
            try db.transaction {
                _ = try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: t, on: db)
            }
            lastCheckpoint = chain.size
        }
    }

    public var auditSize: UInt64 { chain.size }
    public var vaultPublicKey: PublicKey { keys.publicKey }
    public var vaultID: VaultID { keys.vaultID }
}
