import Foundation
import Glibc
import HavenCore
import HavenCrypto
import HavenStore
import Logging

/// `ANCHOR.tally`: how much the vault held at its latest anchored checkpoint — records
/// created, updates, notes, consent grants, referrals and users enrolled, counted from the
/// log — signed, rewritten beside the anchor at each checkpoint. A restore of an older
/// archive subtracts the archive's own counts from it to say what was lost.
///
/// Why a file of its own and not a journal line: it changes at every checkpoint, and the
/// journal should hold acts, not grow every ten seconds. Why running counts: each
/// checkpoint counts only the entries since the tally before it (one range of the log's
/// primary key); a missing or foreign tally is counted again from the whole log once.
public struct RecoveryTally: Sendable, Equatable {
    /// What was made, by count, up to `size` entries of the log.
    public struct Counts: Sendable, Equatable {
        public var records = 0, updates = 0, notes = 0, grants = 0, referrals = 0, users = 0

        var all: [Int] { [records, updates, notes, grants, referrals, users] }

        init(_ v: [Int]) {
            (records, updates, notes, grants, referrals, users) = (v[0], v[1], v[2], v[3], v[4], v[5])
        }

        public init() {}

        /// The counts of the log's entries with `seq` in `range`, added to these.
        func adding(range: Range<UInt64>, on db: Connection) throws -> Counts {
            var out = self
            let s = try db.statement("""
                SELECT action, entry FROM audit_entries WHERE seq >= ? AND seq < ? AND decision = 'allow'
                AND action IN ('record.create', 'record.update', 'note.add', 'consent.record', 'referral.create', 'user.add')
                """)
            try s.bind(1, Int64(clamping: range.lowerBound)).bind(2, Int64(clamping: range.upperBound))
            let grant = Array(#""consent":"grant""#.utf8)
            while try s.step() {
                switch s.string(0) {
                case "record.create": out.records += 1
                case "record.update": out.updates += 1
                case "note.add": out.notes += 1
                case "referral.create": out.referrals += 1
                case "user.add": out.users += 1
                default:
                    // The entry's detail says grant or withdraw; in canonical JSON only there
                    // does "consent" hold a string (the top-level member is an object).
                    if s.withBlob(1, { Self.contains($0, grant) }) { out.grants += 1 }
                }
            }
            return out
        }

        static func contains(_ hay: UnsafeRawBufferPointer, _ needle: [UInt8]) -> Bool {
            guard hay.count >= needle.count else { return false }
            for i in 0...(hay.count - needle.count) where hay[i] == needle[0] {
                if (0..<needle.count).allSatisfy({ hay[i + $0] == needle[$0] }) { return true }
            }
            return false
        }

        /// What `self` holds beyond `earlier`.
        public func since(_ earlier: Counts) -> Counts { Counts(zip(all, earlier.all).map { max(0, $0 - $1) }) }
    }

    public let path: String
    /// The log size the counts are of.
    public var size: UInt64 = 0
    /// The journal's length when the tally was written: a journal found shorter was cut.
    public var journalBytes = 0
    /// The hash of the journal's line that ended at `journalBytes` (its chain head, which
    /// commits to every line before it): a journal cut and grown back to the same length,
    /// or made again, no longer has it there. 32 zero bytes for an empty journal; empty
    /// when read from a v1 tally, which had none.
    public var journalHead = [UInt8](repeating: 0, count: 32)
    public var counts = Counts()

    public init(anchor: AnchorFile) {
        path = anchor.path + ".tally"
    }

    /// v2 added the journal's head. A v1 tally (written by 0.19.0 builds before it) is
    /// still read, with an empty head: its length alone is checked once, and the next
    /// checkpoint writes v2.
    static let word = "haven-tally-v2"
    static let wordV1 = "haven-tally-v1"

    var words: [String] {
        [Self.word, "", String(size), String(journalBytes), Hex.encode(journalHead)] + counts.all.map(String.init)
    }

    func message(vault: VaultID) -> [UInt8] {
        var w = words
        w[1] = vault.rawValue
        return Array(w.joined(separator: "\n").utf8 + [0x0A])
    }

    /// The tally beside the anchor, checked; nil when there is none.
    public func read(vault: VaultID, key: PublicKey) throws(HavenError) -> RecoveryTally? {
        var st = stat()
        if stat(path, &st) != 0 && errno == ENOENT { return nil }
        let words = String(decoding: try KeyFiles.readSmallFile(path, limit: 4096), as: UTF8.self)
            .trimmingCharacters(in: .newlines).split(separator: " ")
        var tally = self
        if words.count == 11, words[0] == Self.wordV1 { return try readV1(words, vault: vault, key: key) }
        guard words.count == 12, words[0] == Self.word, words[1] == vault.rawValue, let size = UInt64(words[2]),
              let journal = Int(words[3]), let head = Hex.decode(String(words[4])), head.count == 32,
              let signature = Base64.decode(String(words[11])) else {
            throw HavenError(.integrityError, "\(path) is not a tally of vault \(vault)", hint: Self.hint)
        }
        let numbers = words[5..<11].compactMap { Int($0) }
        guard numbers.count == 6 else { throw HavenError(.integrityError, "\(path) is not a tally of vault \(vault)", hint: Self.hint) }
        (tally.size, tally.journalBytes, tally.journalHead, tally.counts) = (size, journal, head, Counts(numbers))
        do { try key.verify(signature: signature, message: tally.message(vault: vault)) } catch {
            throw HavenError(.integrityError, "\(path) is not signed by this vault's key", hint: Self.hint)
        }
        return tally
    }

    private func readV1(_ words: [Substring], vault: VaultID, key: PublicKey) throws(HavenError) -> RecoveryTally {
        let numbers = words[2..<10].compactMap { Int($0) }
        guard words[1] == vault.rawValue, numbers.count == 8, let size = UInt64(words[2]), let signature = Base64.decode(String(words[10])) else {
            throw HavenError(.integrityError, "\(path) is not a tally of vault \(vault)", hint: Self.hint)
        }
        do { try key.verify(signature: signature, message: Array(words.dropLast().joined(separator: "\n").utf8) + [0x0A]) } catch {
            throw HavenError(.integrityError, "\(path) is not signed by this vault's key", hint: Self.hint)
        }
        var tally = self
        (tally.size, tally.journalBytes, tally.journalHead, tally.counts) = (size, numbers[1], [], Counts(Array(numbers[2...])))
        return tally
    }

    static let hint = "put back the journal and tally from their copy on the backup drive"
}
