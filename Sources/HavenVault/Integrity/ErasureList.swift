import Glibc
import HavenCore
import HavenCrypto

/// `ANCHOR.erasures`: the erasure list of releases up to 0.18, kept beside the anchor, read
/// at a restore so that an older anchor directory still erases again what it lists (every
/// line, as before: an erasure applied twice is one). Since then erasures go to the
/// recovery journal (`RecoveryJournal`) with the other acts. One line per erasure, signed
/// by the vault's key — "RECORD-ID ERASED-AT-MS USER SIGNATURE-BASE64" — because a line
/// someone slipped into the file would otherwise destroy a record at the next restore.
public struct ErasureList: Sendable {
    public let path: String
    static let domain = "haven-erasure-v1"

    public init(anchor: AnchorFile) {
        path = anchor.path + ".erasures"
    }

    /// One erasure: which record, when, by whom.
    public struct Entry: Sendable, Equatable {
        public let record: RecordID
        public let tombstone: RecordTombstone
    }

    static func message(_ vault: VaultID, _ e: Entry) -> [UInt8] {
        Array("\(domain)\n\(vault)\n\(e.record)\n\(e.tombstone.erasedAt.millisecondsSinceEpoch)\n\(e.tombstone.erasedBy)\n".utf8)
    }

    /// The erasures listed, each checked against the vault's key; a line that fails is an
    /// error, never skipped (a damaged list must be looked at, not half applied). No file: none.
    public func read(vault: VaultID, key: PublicKey) throws(HavenError) -> [Entry] {
        var st = stat()
        if stat(path, &st) != 0 && errno == ENOENT { return [] }
        let text = String(decoding: try KeyFiles.readSmallFile(path, limit: 64 << 20), as: UTF8.self)
        var out = [Entry]()
        for (n, line) in text.split(separator: "\n").enumerated() {
            let parts = line.split(separator: " ")
            guard parts.count == 4, let id = try? RecordID(String(parts[0])), let ms = Int64(parts[1]),
                  let by = try? UserName(String(parts[2])), let signature = Base64.decode(String(parts[3])) else {
                throw HavenError(.integrityError, "\(path), line \(n + 1): not an erasure line")
            }
            // Who created the record is not in the line: the restored tombstone takes it from the record.
            let entry = Entry(record: id, tombstone: RecordTombstone(createdBy: by, erasedAt: Timestamp(millisecondsSinceEpoch: ms), erasedBy: by))
            do {
                try key.verify(signature: signature, message: Self.message(vault, entry))
            } catch {
                throw HavenError(.integrityError, "\(path), line \(n + 1): not signed by this vault's key",
                                 hint: "remove lines not written by havend, then restore again")
            }
            out.append(entry)
        }
        return out
    }
}
