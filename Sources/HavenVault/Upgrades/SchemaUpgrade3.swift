import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore

/// The upgrade of a vault from schema 2 to 3, run once by havend inside the schema
/// migration's transaction: every existing entry gets its tag, the state of every row that
/// grants access is written to `state_baseline`, and one `vault.migrate` entry commits to a
/// tag over that baseline (and is covered by a signed checkpoint).
///
/// The log is checked against its signed checkpoints first, and the upgrade refused if it
/// fails: tagging a log blesses it, so a log rewritten before the upgrade must not be.
struct SchemaUpgrade3 {
    let db: Connection
    let keys: VaultKeys
    let meta: VaultMeta
    let now: Timestamp

    /// Checks the untagged log, as the previous release would have at start. Throws a
    /// refusal naming the first problem.
    static func checkLegacyLog(databasePath: String, keys: VaultKeys, cadence: CheckpointCadence) throws -> StoredLogScan {
        let scan = try StoredLogScan.run(databasePath: databasePath, vaultKey: keys.publicKey, vault: keys.vaultID, entries: nil)
        if let problem = StartupCheck.logProblem(scan, cadence: cadence) {
            throw HavenError(.integrityError, "refusing to upgrade the vault to schema 3: \(problem)",
                             hint: "run 'haven audit verify' with the previous release on a copy; the upgrade tags the log as it stands")
        }
        return scan
    }

    func run(legacy scan: StoredLogScan) throws {
        // Tags for every entry written so far (their leaf hashes were checked against their bytes).
        var leaves = [(UInt64, [UInt8])]()
        try AuditTable.forEachEntry(in: 0..<scan.tree.size, on: db) { seq, _, leaf in leaves.append((seq, Array(leaf))) }
        for (seq, leaf) in leaves {
            try AuditTable.setTag(seq: seq, mac: keys.entries.tag(seq: seq, leafHash: leaf, state: nil).bytes, on: db)
        }

        // The baseline: the state of every row that grants access, as it is now.
        var states = [(StateKey, Tag16)]()
        states.append((.vaultMeta, keys.rows.vaultMeta(meta)))
        let users = try UserTable.all(on: db)
        for user in users { states.append((.user(user.name), keys.rows.user(user))) }
        var records = 0
        var after: RecordID?
        while true {
            let page = try RecordTable.list(scope: .all, after: after, limit: 1000, on: db)
            for row in page { states.append((.record(row.id), keys.rows.record(row))) }
            records += page.count
            guard page.count == 1000 else { break }
            after = page.last?.id
        }
        for (key, tag) in states { try StateBaselineTable.insert(key: key.text, tag: tag.bytes, on: db) }
        var digest = keys.rows.baselineDigest()
        try StateBaselineTable.forEach(on: db) { key, tag in digest.add(key: key, tag: Tag16(tag)!) }
        let baseline = digest.finish()

        let lastTime = scan.lastEntry.flatMap { try? AuditEntry(canonicalBytes: $0) }?.time ?? Timestamp(millisecondsSinceEpoch: 0)
        var chain = AuditChain(frontier: scan.tree, lastLeafHash: scan.lastLeafHash ?? [], lastTime: lastTime)
        try AuditAppender.append(AuditEvent(
            action: "vault.migrate", decision: .allow,
            rule: "schema 2 upgraded to 3: every entry tagged and the state of every row that grants access committed",
            detail: ["from_schema": "2", "to_schema": "3", "entries": String(leaves.count), "users": String(users.count),
                     "records": String(records)]),
            to: &chain, at: now, state: (.baseline, baseline), tags: keys.entries, on: db)
        _ = try AuditAppender.checkpoint(chain, vault: keys.vaultID, key: keys.signingKey, at: now, on: db)
    }
}
