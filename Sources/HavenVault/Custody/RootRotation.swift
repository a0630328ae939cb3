import HavenAudit
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// `haven operator rotate-root`: the vault moved from one root key to another in one
/// SQLite transaction, run while the vault is closed (the gate answers `sealed` meanwhile).
///
/// Invariant: the database opens with the old key until the transaction commits and with
/// the new one after, never with neither — every value that depends on the root key
/// changes in that one commit:
/// - each record's data key, unwrapped with the old key and wrapped with the new;
/// - the vault's signing key, sealed again (the vault's public key does not change, so
///   checkpoints, extracts and vault.pub stay valid);
/// - the tag of every audit entry, recomputed under the new key over the same stored bytes;
/// - `state_baseline`, replaced by the state of every row under the new key, committed to
///   by the rotation's own entry (the start-up check reads only the last baseline);
/// - the search index, emptied: its values are keyed under the old root, and the vault
///   rebuilds it under the new one as it opens again (`DerivedRowsRebuild`);
/// - each year's statistics release, opened and sealed again under the new key: it is
///   what was published, and cannot be computed again;
/// - each case number's tag, checked under the old key and made under the new.
/// Before any of it, the log and every row are checked under the old key, as at start:
/// a rotation must not bless rows changed outside Haven.
struct RootRotation {
    let directory: DataDirectory
    let old: VaultKeys
    let newRoot: RootKey
    let logger: Logger

    struct Outcome {
        let records: Int
        let entries: UInt64
        let checkpoint: SignedCheckpoint
    }

    /// `event` is the rotation's entry (who asked); `custody` the digest of the new seal
    /// file, if the vault is sealed; `progress(done, total)` is called as rows are done.
    func run(event: AuditEvent, custody: [UInt8]?, now: Timestamp, progress: (Int, Int) -> Void) throws -> Outcome {
        let db = try Database.open(path: directory.databasePath)
        let meta = try VaultMetaTable.read(on: db)
        guard meta.vaultID == old.vaultID else { throw HavenError(.integrityError, "the database is of another vault") }
        let verified = try StartupCheck(databasePath: directory.databasePath, db: db, keys: old, meta: meta,
                                        cadence: CheckpointCadence(.init()), anchor: nil, allowDamagedLog: false).run()
        let new = VaultKeys(vaultID: meta.vaultID, rootKey: newRoot, signingKey: old.signingKey)
        let recordCount = Int(try RecordTable.count(on: db))
        let total = recordCount + Int(verified.chain.size)
        try db.run("BEGIN IMMEDIATE")
        do {
            var states = [(StateKey, Tag16)]()
            var done = 0
            var after: RecordID?
            while true {
                let page = try RecordTable.list(scope: .all, after: after, limit: 1000, on: db)
                for row in page {
                    guard case .fresh = verified.ledger.check(row.id, stored: old.rows.record(row), in: .writer) else {
                        throw HavenError(.integrityError, "record \(row.id) is not in its last audited state; nothing was rotated",
                                         hint: "restore the data directory from a backup, then rotate")
                    }
                    var wrapped = row.wrappedKey
                    if row.status != RecordTombstone.status {
                        let dataKey = try old.dataKeys.unwrap(row.wrappedKey, record: row.id, dataKeyVersion: row.dataKeyVersion)
                        wrapped = new.dataKeys.wrap(dataKey, record: row.id, dataKeyVersion: row.dataKeyVersion)
                        try RecordTable.setWrappedKey(row.id, wrapped, on: db)
                    }
                    let rewrapped = StoredRecord(id: row.id, type: row.type, agency: row.agency, status: row.status, version: row.version,
                                                 createdAt: row.createdAt, updatedAt: row.updatedAt, dataKeyVersion: row.dataKeyVersion,
                                                 wrappedKey: wrapped, sealedHeader: row.sealedHeader)
                    states.append((.record(row.id), new.rows.record(rewrapped)))
                    done += 1
                    if done % 1000 == 0 { progress(done, total) }
                }
                guard page.count == 1000 else { break }
                after = page.last?.id
            }

            let resealed = VaultMeta(vaultID: meta.vaultID, vaultPublicKey: meta.vaultPublicKey,
                                     sealedSigningKey: SigningKeySeal.seal(old.signingKey, vault: meta.vaultID, rootKey: newRoot),
                                     createdAt: meta.createdAt)
            try VaultMetaTable.setSealedSigningKey(resealed.sealedSigningKey, on: db)
            if let custody { try VaultMetaTable.setCustody(custody, on: db) }
            states.append((.vaultMeta, new.rows.vaultMeta(resealed)))
            for user in verified.users { states.append((.user(user.name), new.rows.user(user))) }

            // Every entry's tag under the new key, over the columns it already covers.
            var tags = [(UInt64, Tag16)]()
            tags.reserveCapacity(Int(verified.chain.size))
            try AuditTable.forEachAuthenticatedEntry(in: 0..<verified.chain.size, on: db) { row in
                tags.append((row.seq, new.entries.tag(seq: row.seq, leafHash: row.leafHash, stateKey: row.stateKey, state: row.state)))
            }
            for (seq, tag) in tags {
                try AuditTable.setTag(seq: seq, mac: tag.bytes, on: db)
                done += 1
                if done % 1000 == 0 { progress(done, total) }
            }

            try SearchIndexTable.removeAll(on: db)
            try StatisticsTable.removeAll(on: db)
            for release in try StatisticsReleaseTable.all(on: db) {
                let bytes: [UInt8]
                do {
                    bytes = try old.releases.open(release.sealed, year: release.year)
                } catch {
                    throw HavenError(.integrityError, "the statistics release of \(release.year) does not open (changed outside Haven);"
                                     + " nothing was rotated", hint: "restore the data directory from a backup, then rotate")
                }
                try StatisticsReleaseTable.reseal(year: release.year, sealed: new.releases.seal(bytes, year: release.year), on: db)
            }
            var numbers = [StoredCaseNumber]()
            try CaseNumberTable.forEach(on: db) { row, tag in
                guard Tag16(tag) == old.rows.caseNumber(row) else {
                    throw HavenError(.integrityError, CaseNumbers.finding(row) + "; nothing was rotated",
                                     hint: "restore the data directory from a backup, then rotate")
                }
                numbers.append(row)
            }
            for row in numbers { try CaseNumberTable.setTag(row, tag: new.rows.caseNumber(row).bytes, on: db) }
            for (mark, tag) in try CaseNumberTable.marks(on: db) {
                guard Tag16(tag) == old.rows.caseNumberMark(mark) else {
                    throw HavenError(.integrityError, CaseNumberCheck.markFinding(mark) + "; nothing was rotated",
                                     hint: "restore the data directory from a backup, then rotate")
                }
                try CaseNumberTable.setMarkTag(mark, tag: new.rows.caseNumberMark(mark).bytes, on: db)
            }
            try StateBaselineTable.removeAll(on: db)
            for (key, tag) in states { try StateBaselineTable.insert(key: key.text, tag: tag.bytes, on: db) }
            var digest = new.rows.baselineDigest()
            try StateBaselineTable.forEach(on: db) { key, tag in digest.add(key: key, tag: Tag16(tag)!) }
            var chain = verified.chain
            var e = event
            e.detail["records"] = String(recordCount)
            e.detail["entries_tagged"] = String(tags.count)
            _ = try AuditAppender.append(e, to: &chain, at: now, state: (.baseline, digest.finish()), tags: new.entries, on: db)
            let checkpoint = try AuditAppender.checkpoint(chain, vault: meta.vaultID, key: old.signingKey, at: now, on: db)
            try db.run("COMMIT")
            progress(total, total)
            db.resetStatements()
            return Outcome(records: recordCount, entries: chain.size, checkpoint: checkpoint)
        } catch {
            db.rollbackQuietly()
            throw error
        }
    }
}
