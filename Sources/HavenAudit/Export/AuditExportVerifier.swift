import Foundation
import HavenCore
import HavenCrypto

/// Verifies an export file offline, line by line, with the vault's public key alone.
public struct AuditExportVerifier {
    private enum Stage {
        case header
        case checkpoints(remaining: Int)
        case consistency(remaining: Int)
        case entries(remaining: UInt64)
        case done
    }

    private let vaultKey: PublicKey
    private var stage = Stage.header
    public private(set) var header: AuditExport.Header?
    private var checkpoints = [SignedCheckpoint]()
    private var verifier: LogVerifier?
    private var batch = VerificationBatch()
    private var extra = VerificationReport()

    public init(vaultKey: PublicKey) {
        self.vaultKey = vaultKey
    }

    /// Feeds the next line (without its newline). Throws only when the file is not an
    /// export at all; everything about the log's integrity goes into the report.
    public mutating func consume(line: UnsafeRawBufferPointer) throws(HavenError) {
        // Header, checkpoint and proof lines are read as JSON, so a duplicate key is refused
        // there; entry lines are hashed as bytes under the signed tree, never read as JSON.
        if case .entries = stage {} else if let key = JSONValue.firstDuplicateKey(in: line) {
            throw HavenError(.invalidDocument, "a line of the export names '\(NameRules.printable(key))' twice")
        }
        switch stage {
        case .header:
            let h: AuditExport.Header
            do {
                h = try JSONDecoder().decode(AuditExport.Header.self, from: Data(line))
            } catch {
                throw HavenError(.invalidDocument, "not a Haven audit export (the first line is not its header)")
            }
            guard h.format == AuditExport.format, h.entries == h.size - h.from, h.size >= h.from else {
                throw HavenError(.invalidDocument, "unsupported or inconsistent export header (format \(NameRules.printable(h.format)))")
            }
            header = h
            stage = h.checkpoints > 0 ? .checkpoints(remaining: h.checkpoints) : next(after: .checkpoints(remaining: 0))
            if case .entries = stage { startEntries() }
            if case .done = stage { startEntries() }
        case .checkpoints(let remaining):
            do {
                checkpoints.append(try SignedCheckpoint(json: Array(line)))
            } catch {
                extra.add("a checkpoint line is malformed: \(error.message)")
            }
            stage = remaining > 1 ? .checkpoints(remaining: remaining - 1) : next(after: stage)
            if case .entries = stage { startEntries() }
            if case .done = stage { startEntries() }
        case .consistency(let remaining):
            checkConsistency(line)
            stage = remaining > 1 ? .consistency(remaining: remaining - 1) : next(after: stage)
            if case .entries = stage { startEntries() }
            if case .done = stage { startEntries() }
        case .entries(let remaining):
            // Gathered into batches, so the hashing runs on every core.
            batch.append(entry: line, storedLeafHash: nil)
            if batch.count == Self.batchSize { flush() }
            stage = remaining > 1 ? .entries(remaining: remaining - 1) : .done
        case .done:
            if !line.isEmpty { extra.add("unexpected content after the last entry") }
        }
    }

    private func next(after stage: Stage) -> Stage {
        guard let h = header else { return .done }
        switch stage {
        case .header, .checkpoints:
            if h.consistency > 0 { return .consistency(remaining: h.consistency) }
            return h.entries > 0 ? .entries(remaining: h.entries) : .done
        case .consistency:
            return h.entries > 0 ? .entries(remaining: h.entries) : .done
        case .entries, .done:
            return .done
        }
    }

    private mutating func startEntries() {
        guard verifier == nil, let h = header else { return }
        let vault = try? VaultID(h.vault)
        if vault == nil { extra.add("the header names no valid vault") }
        var prefix = MerkleFrontier()
        if h.from > 0 {
            let hashes = h.prefix.compactMap { Base64.decode($0) }
            if hashes.count == h.prefix.count, let f = MerkleFrontier(size: h.from, subtreeHashes: hashes) {
                prefix = f
            } else {
                extra.add("the header's prefix does not describe a tree of \(h.from) entries")
                return
            }
        }
        let previous = h.previousLeaf.flatMap { Hex.decode($0) }
        verifier = LogVerifier(vaultKey: vaultKey, vault: vault, checkpoints: checkpoints, start: h.from, prefix: prefix,
                               previousLeaf: previous)
    }

    private mutating func checkConsistency(_ line: UnsafeRawBufferPointer) {
        guard let c = try? JSONDecoder().decode(AuditExport.Consistency.self, from: Data(line)), let proof = c.proofBytes else {
            extra.add("a consistency proof line is malformed")
            return
        }
        guard let old = checkpoints.first(where: { $0.checkpoint.size == c.from }),
              let new = checkpoints.first(where: { $0.checkpoint.size == c.to }) else {
            extra.add("consistency proof \(c.from)→\(c.to) refers to a checkpoint the file does not hold")
            return
        }
        if !MerkleProofs.verifyConsistency(oldSize: c.from, oldRoot: old.checkpoint.root, newSize: c.to,
                                           newRoot: new.checkpoint.root, proof: proof) {
            extra.add("consistency proof from size \(c.from) to \(c.to) does not verify: the later log does not extend the earlier one",
                      checkpoint: c.to)
        }
    }

    static let batchSize = 32_768

    private mutating func flush() {
        verifier?.add(batch)
        batch.removeAll()
    }

    /// The report once every line has been consumed.
    public mutating func finish() -> VerificationReport {
        flush()
        if header == nil { extra.add("the file is empty") }
        if verifier == nil { startEntries() }
        switch stage {
        case .checkpoints, .consistency, .entries:
            extra.add("the file ends early: it declares more lines than it holds")
        default:
            break
        }
        var report = verifier?.finish() ?? VerificationReport()
        for p in extra.problems { report.add(p.message, seq: p.seq, checkpoint: p.checkpoint) }
        if let h = header, report.ok, report.verifiedSize < h.size {
            report.add("the last \(h.size - report.verifiedSize) entries are not covered by a signed checkpoint in the file",
                       firstBad: report.verifiedSize)
        }
        return report
    }
}
