import Foundation
import HavenCore
import HavenCrypto

/// The audit export file (FORMAT.md, "export"): JSON Lines, verifiable offline with the
/// vault's public key alone.
///
///     line 1                 header
///     next `checkpoints`     signed checkpoints, canonical JSON, ascending size
///     next `consistency`     consistency proofs between consecutive checkpoints
///     next `entries`         the entries, each exactly its canonical bytes
///
/// Checkpoints come first so a verifier can stream a log of any length in constant memory.
public enum AuditExport {
    public static let format = "haven-audit-export-v1"

    public struct Header: Codable, Sendable, Equatable {
        public let format: String
        public let vault: String
        public let vaultKeyID: String
        /// Sequence number of the first entry in the file.
        public let from: UInt64
        /// The log size the file ends at (= from + entries).
        public let size: UInt64
        /// Hashes of the complete subtrees of entries 0..<from (base64), largest first.
        public let prefix: [String]
        /// Leaf hash of entry from-1 (hex), to check the first entry's link.
        public let previousLeaf: String?
        public let entries: UInt64
        public let checkpoints: Int
        public let consistency: Int

        public init(vault: VaultID, vaultKeyID: String, from: UInt64, size: UInt64, prefix: [[UInt8]], previousLeaf: [UInt8]?,
                    checkpoints: Int, consistency: Int) {
            self.format = AuditExport.format
            self.vault = vault.rawValue
            self.vaultKeyID = vaultKeyID
            self.from = from
            self.size = size
            self.prefix = prefix.map { Base64.encode($0) }
            self.previousLeaf = previousLeaf.map { Hex.encode($0) }
            self.entries = size - from
            self.checkpoints = checkpoints
            self.consistency = consistency
        }

        enum CodingKeys: String, CodingKey {
            case format, vault, from, size, prefix, entries, checkpoints, consistency
            case vaultKeyID = "vault_key_id"
            case previousLeaf = "previous_leaf"
        }

        public func line() -> [UInt8] {
            var w = JSONWriter()
            w.object { o in
                o.field("format", format)
                o.field("vault", vault)
                o.field("vault_key_id", vaultKeyID)
                o.field("from", from)
                o.field("size", size)
                o.field("prefix", strings: prefix)
                o.field("previous_leaf", previousLeaf)
                o.field("entries", entries)
                o.field("checkpoints", checkpoints)
                o.field("consistency", consistency)
            }
            return w.bytes
        }
    }

    /// A consistency proof between two checkpoints of the file.
    public struct Consistency: Codable, Sendable, Equatable {
        public let from: UInt64
        public let to: UInt64
        public let proof: [String]

        public init(from: UInt64, to: UInt64, proof: [[UInt8]]) {
            self.from = from
            self.to = to
            self.proof = proof.map { Base64.encode($0) }
        }

        public func line() -> [UInt8] {
            var w = JSONWriter()
            w.object { o in
                o.field("from", from)
                o.field("to", to)
                o.field("proof", strings: proof)
            }
            return w.bytes
        }

        public var proofBytes: [[UInt8]]? {
            let decoded = proof.compactMap { Base64.decode($0) }
            return decoded.count == proof.count ? decoded : nil
        }
    }
}
