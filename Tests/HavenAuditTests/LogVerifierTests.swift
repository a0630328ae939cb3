@testable import HavenAudit
import HavenCore
import HavenCrypto
import Testing

/// The verifier against an in-memory log, with every kind of tampering.
@Suite struct LogVerifierTests {
    let key = SigningKey.generate()
    let vault = VaultID(bytes: Array(repeating: 3, count: 16))

    struct Log {
        var entries: [[UInt8]] = []
        var leaves: [[UInt8]] = []
        var checkpoints: [SignedCheckpoint] = []
    }

    func makeLog(_ n: Int, checkpointEvery: Int = 10) -> Log {
        var chain = AuditChain()
        var log = Log()
        for i in 0..<n {
            let event = AuditEvent(action: "record.read", actor: .init(user: "u\(i % 3)", role: "intake", agency: "a"),
                                   record: "r\(i)", released: ["survivor_name"], purpose: "p \(i)", decision: .allow, rule: "rule")
            let a = chain.append(event, at: Timestamp(millisecondsSinceEpoch: 1_000_000 + Int64(i)))
            log.entries.append(a.bytes)
            log.leaves.append(a.leafHash)
            if (i + 1) % checkpointEvery == 0 || i == n - 1 {
                log.checkpoints.append(.sign(Checkpoint(vault: vault, size: chain.size, root: chain.frontier.root(),
                                                        time: Timestamp(millisecondsSinceEpoch: 2_000_000)), with: key))
            }
        }
        return log
    }

    /// Verifies entry by entry, and again in parallel batches: both must say the same.
    func verify(_ log: Log, stored: Bool = true, key: PublicKey? = nil) -> VerificationReport {
        var v = LogVerifier(vaultKey: key ?? self.key.publicKey, vault: vault, checkpoints: log.checkpoints)
        for (i, e) in log.entries.enumerated() { v.add(entry: e, storedLeafHash: stored ? log.leaves[i] : nil) }
        let single = v.finish()
        for batchSize in [7, 4096] {
            var b = LogVerifier(vaultKey: key ?? self.key.publicKey, vault: vault, checkpoints: log.checkpoints)
            var batch = VerificationBatch()
            for (i, e) in log.entries.enumerated() {
                e.withUnsafeBytes { entry in
                    if stored { log.leaves[i].withUnsafeBytes { batch.append(entry: entry, storedLeafHash: $0) } }
                    else { batch.append(entry: entry, storedLeafHash: nil) }
                }
                if batch.count == batchSize { b.add(batch); batch.removeAll() }
            }
            b.add(batch)
            let batched = b.finish()
            #expect(batched == single, "batches of \(batchSize) disagree: \(batched.problems) vs \(single.problems)")
        }
        return single
    }

    func edit(_ entry: [UInt8], _ from: String, _ to: String) -> [UInt8] {
        Array(String(decoding: entry, as: UTF8.self).replacingOccurrences(of: from, with: to).utf8)
    }

    @Test func anUntouchedLogVerifies() {
        let r = verify(makeLog(57))
        #expect(r.ok, "\(r.problems)")
        #expect(r.entries == 57 && r.verifiedSize == 57 && r.checkpoints == 6)
    }

    /// Across chunk boundaries (4096) and with checkpoints at odd sizes.
    @Test func aLogOfSeveralChunksVerifiesAndTamperingIsFoundInAnyChunk() {
        var log = makeLog(9_000, checkpointEvery: 997)
        #expect(verify(log).ok)
        log.entries[5000] = edit(log.entries[5000], "\"decision\":\"allow\"", "\"decision\":\"deny\"")
        log.leaves[5000] = MerkleHash.leaf(log.entries[5000])
        #expect(verify(log).firstBadSeq == 5000)
        log.entries.remove(at: 4100)
        log.leaves.remove(at: 4100)
        #expect(verify(log).firstBadSeq == 4100)
    }

    @Test func anEditedEntryIsNamed() {
        var log = makeLog(40)
        log.entries[17] = edit(log.entries[17], "\"decision\":\"allow\"", "\"decision\":\"deny\"")
        let r = verify(log)
        #expect(!r.ok && r.firstBadSeq == 17)
        // Also when its stored hash was updated to match (only the chain and the roots know).
        log.leaves[17] = MerkleHash.leaf(log.entries[17])
        let r2 = verify(log)
        #expect(r2.firstBadSeq == 17, "\(r2.problems)")
        #expect(r2.problems.contains { $0.message.contains("seq 17: altered") })
    }

    @Test func aDeletedEntryIsNamed() {
        var log = makeLog(40)
        log.entries.remove(at: 23)
        log.leaves.remove(at: 23)
        let r = verify(log)
        #expect(r.firstBadSeq == 23)
        #expect(r.problems.first?.message.contains("found entry 24") == true)
    }

    @Test func reorderedEntriesAreNamed() {
        var log = makeLog(40)
        log.entries.swapAt(5, 6)
        log.leaves.swapAt(5, 6)
        let r = verify(log)
        #expect(r.firstBadSeq == 5)
    }

    @Test func aTruncatedTailIsNamed() {
        var log = makeLog(40)
        log.entries.removeLast(3)
        log.leaves.removeLast(3)
        let r = verify(log)
        #expect(r.firstBadSeq == 37)
        #expect(r.problems.contains { $0.message.hasPrefix("log truncated") })
    }

    @Test func aReplacedSignatureIsNamed() {
        var log = makeLog(40)
        let cp = log.checkpoints[1]
        var sig = cp.signature
        sig[0] ^= 1
        log.checkpoints[1] = SignedCheckpoint(checkpoint: cp.checkpoint, keyID: cp.keyID, signature: sig)
        let r = verify(log)
        #expect(!r.ok)
        #expect(r.problems.contains { $0.checkpoint == 20 && $0.message.contains("signature does not verify") })
    }

    @Test func aCheckpointFromAnotherVaultIsRefused() {
        var log = makeLog(40)
        let other = SigningKey.generate()
        let foreign = SignedCheckpoint.sign(Checkpoint(vault: VaultID(bytes: Array(repeating: 9, count: 16)), size: 30,
                                                       root: log.checkpoints[2].checkpoint.root,
                                                       time: Timestamp(millisecondsSinceEpoch: 0)), with: other)
        log.checkpoints.append(foreign)
        let r = verify(log)
        #expect(!r.ok)
        #expect(r.problems.contains { $0.message.contains("is of vault") })
        // Signed by another key but claiming this vault: refused by key.
        log.checkpoints[log.checkpoints.count - 1] = .sign(Checkpoint(vault: vault, size: 30, root: foreign.checkpoint.root,
                                                                      time: foreign.checkpoint.time), with: other)
        #expect(verify(log).problems.contains { $0.message.contains("names key") })
    }

    @Test func aConsistentlyRewrittenHistoryFailsAgainstTheSignedRoots() {
        // Rebuild the whole log from entry 12 on, with new hashes and links: only the
        // signatures, which the rewriter cannot make, give it away.
        let original = makeLog(40)
        var chain = AuditChain()
        var rewritten = Log(entries: [], leaves: [], checkpoints: original.checkpoints)
        for (i, e) in original.entries.enumerated() {
            var event = try! AuditEntry(canonicalBytes: e).event
            if i == 12 { event.decision = .deny }
            let a = chain.append(event, at: Timestamp(millisecondsSinceEpoch: 1_000_000 + Int64(i)))
            rewritten.entries.append(a.bytes)
            rewritten.leaves.append(a.leafHash)
        }
        let r = verify(rewritten)
        #expect(!r.ok)
        #expect(r.firstBadSeq == 10)  // the last good checkpoint was at size 10
        #expect(r.problems.first?.message.contains("an entry in seq 10..19 was altered") == true)
    }

    @Test func entryHeadReadsCanonicalEntriesOnly() {
        let log = makeLog(3)
        for (i, e) in log.entries.enumerated() {
            let head = e.withUnsafeBytes { EntryHead($0) }
            #expect(head?.seq == UInt64(i))
        }
        for bad in [#"{"v":1,"seq":01,"#, #"{"v":2,"seq":1,"#, "", #"{"v":1,"seq":99999999999999999999,"#] {
            #expect(Array(bad.utf8).withUnsafeBytes { EntryHead($0) } == nil)
        }
    }

    @Test func entriesRoundTripCanonically() throws {
        for e in makeLog(5).entries {
            #expect(try AuditEntry(canonicalBytes: e).canonicalBytes() == e)
        }
        let spaced = Array(String(decoding: makeLog(1).entries[0], as: UTF8.self).replacingOccurrences(of: ",", with: ", ").utf8)
        #expect(throws: HavenError.self) { try AuditEntry(canonicalBytes: spaced) }
    }

    @Test func exportVerifiesOfflineFromAnyStartingPoint() throws {
        let log = makeLog(300, checkpointEvery: 50)
        for from in [0, 1, 128, 257, 299] {
            let t = MerkleTree(size: 300, source: InMemoryLeaves(log.leaves))
            let prefix = try t.subtreeHashes(ofPrefix: UInt64(from))
            let cps = log.checkpoints.filter { $0.checkpoint.size > UInt64(from) }
            let proof = try t.consistencyProof(from: cps[0].checkpoint.size)
            let header = AuditExport.Header(vault: vault, vaultKeyID: key.publicKey.keyID, from: UInt64(from), size: 300, prefix: prefix,
                                            previousLeaf: from > 0 ? log.leaves[from - 1] : nil, checkpoints: cps.count, consistency: 1)
            var lines = [header.line()] + cps.map { $0.canonicalJSON() }
            lines.append(AuditExport.Consistency(from: cps[0].checkpoint.size, to: 300, proof: proof).line())
            lines += log.entries[from...]
            var v = AuditExportVerifier(vaultKey: key.publicKey)
            for l in lines { try l.withUnsafeBytes { try v.consume(line: $0) } }
            let r = v.finish()
            #expect(r.ok, "from \(from): \(r.problems)")
            // One changed byte anywhere in the entries fails.
            var bad = lines
            bad[bad.count - 1][30] ^= 0x01
            var v2 = AuditExportVerifier(vaultKey: key.publicKey)
            for l in bad { try l.withUnsafeBytes { try v2.consume(line: $0) } }
            #expect(!v2.finish().ok, "from \(from)")
        }
    }
}

/// A checkpoint is read by auditors' own tools too: one that names a key twice is refused.
@Suite struct CheckpointDuplicateKeyTests {
    @Test func aCheckpointWithASecondSizeIsRefused() throws {
        let key = SigningKey.generate()
        let cp = SignedCheckpoint.sign(Checkpoint(vault: VaultID(bytes: Array(0..<16)), size: 5, root: Array(repeating: 7, count: 32),
                                                  time: Timestamp(millisecondsSinceEpoch: 1_790_000_000_000)), with: key)
        let json = cp.canonicalJSON()
        #expect(try SignedCheckpoint(json: json) == cp)
        let doubled = Array(json.dropLast()) + Array(#","size":500}"#.utf8)
        #expect(throws: HavenError.self) { _ = try SignedCheckpoint(json: doubled) }
    }
}
