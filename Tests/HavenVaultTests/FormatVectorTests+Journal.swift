import Foundation
import HavenCore
import HavenCrypto
import HavenTestSupport
@testable import HavenVault
import Testing

/// The recovery journal's and tally's vectors (HavenBackup FORMAT.md): the lines Haven signs
/// are byte for byte those scripts/format-vectors.py computes with libsodium through ctypes,
/// and Haven reads that file back whole.
extension FormatVectorTests {
    struct JournalVector: Decodable {
        struct Part: Decodable { let seed, public_key, journal, tally: String }
        let recovery_journal: Part
    }

    func journalActs() throws -> [RecoveryAct] {
        let record = try RecordID(v.record_id)
        return [RecoveryAct(.consentWithdrawn(record: record, flag: .police), when: .init(millisecondsSinceEpoch: 1_767_225_660_000),
                            by: try UserName("intake"), seq: 41),
                RecoveryAct(.userRevoked(try UserName("leaver")), when: .init(millisecondsSinceEpoch: 1_767_225_720_000),
                            by: try UserName("admin"), seq: 44),
                RecoveryAct(.userRekeyed(try UserName("counsellor"), publicKey: Array(0x20..<0x40)),
                            when: .init(millisecondsSinceEpoch: 1_767_225_780_000), by: try UserName("admin"), seq: 47),
                RecoveryAct(.referralRevoked(record: record, referral: try ReferralID("aaaaaaaaaaaaaaaa")),
                            when: .init(millisecondsSinceEpoch: 1_767_225_840_000), by: try UserName("intake"), seq: 52),
                RecoveryAct(.recordErased(record), when: .init(millisecondsSinceEpoch: 1_767_225_900_000), by: try UserName("intake"), seq: 60),
                RecoveryAct(.referralClosed(record: record, referral: try ReferralID("bbbbbbbbbbbbbbbb")),
                            when: .init(millisecondsSinceEpoch: 1_767_225_960_000), by: try UserName("intake"), seq: 63),
                RecoveryAct(.referralDeclined(record: record, referral: try ReferralID("cccccccccccccccc")),
                            when: .init(millisecondsSinceEpoch: 1_767_226_020_000), by: try UserName("shelter-intake"), seq: 66)]
    }

    @Test func recoveryJournalLinesAndTally() throws {
        let j = try JSONDecoder().decode(JournalVector.self, from: try Data(contentsOf: URL(fileURLWithPath: Self.file))).recovery_journal
        let signer = try SigningKey(seed: SecureBytes(hex: j.seed))
        #expect(signer.publicKey.bytes == [UInt8](hex: j.public_key))
        var lines = [RecoveryJournal.headerLine(vault: vault, created: .init(millisecondsSinceEpoch: 1_767_225_600_000), signer: signer)]
        let acts = try journalActs()
        for act in acts {
            lines.append(RecoveryJournal.line(act, vault: vault, previous: RecoveryJournal.hash(lines.last!), signer: signer))
        }
        #expect(String(decoding: lines.joined(separator: [0x0A]) + [0x0A], as: UTF8.self) == j.journal)

        // The vector's file reads back whole; the tally Haven writes is the vector's.
        let dir = TemporaryDirectory("journal-vector")
        let anchor = AnchorFile(path: dir.path + "/anchor.json")
        try j.journal.write(toFile: anchor.path + ".journal", atomically: false, encoding: .utf8)
        let read = try RecoveryJournal(anchor: anchor).read(vault: vault, key: signer.publicKey)
        #expect(read.acts == acts && read.bytes == j.journal.utf8.count)
        var tally = RecoveryTally(anchor: anchor)
        tally.size = 64
        tally.journalBytes = read.bytes
        tally.journalHead = try #require(read.heads[read.bytes])
        let head = try RecoveryJournal(anchor: anchor).head()
        #expect(head.bytes == read.bytes && head.hash == tally.journalHead)
        tally.counts = .init([3, 2, 4, 5, 1, 7])
        try tally.write(vault: vault, signer: signer)
        #expect(try String(contentsOfFile: tally.path, encoding: .utf8) == j.tally)
        #expect(try RecoveryTally(anchor: anchor).read(vault: vault, key: signer.publicKey) == tally)

        // A tally of the v1 layout (0.19.0 builds before the head; the vector the script made
        // then) is read with an empty head, and only its length is checked.
        let v1 = "haven-tally-v1 00112233445566778899aabbccddeeff 64 1184 3 2 4 5 1 7 "
            + "SPf/4QjtKmoNsv95xr6HotZWusLcyKQZs8JzUyXATD62Yr4Y0voirPrVFhtYbpWlsPltVPIYQu9XkeaCgbTeDA==\n"
        try v1.write(toFile: tally.path, atomically: false, encoding: .utf8)
        let old = try #require(try RecoveryTally(anchor: anchor).read(vault: vault, key: signer.publicKey))
        #expect(old.size == 64 && old.journalBytes == 1184 && old.journalHead.isEmpty && old.counts == .init([3, 2, 4, 5, 1, 7]))
        try (v1.replacingOccurrences(of: " 64 ", with: " 65 ")).write(toFile: tally.path, atomically: false, encoding: .utf8)
        #expect(throws: HavenError.self) { try RecoveryTally(anchor: anchor).read(vault: vault, key: signer.publicKey) }
        try tally.write(vault: vault, signer: signer)

        // The head is found where the tally says, and not in a journal cut at a line
        // boundary nor one grown back to the same length with another line.
        let journal = RecoveryJournal(anchor: anchor)
        #expect(throws: Never.self) { try journal.check(read.bytes, head: tally.journalHead, current: read.bytes) }
        let body = j.journal.dropLast()
        let shorter = String(body[...body.lastIndex(of: "\n")!])
        try shorter.write(toFile: journal.path, atomically: false, encoding: .utf8)
        #expect(throws: HavenError.self) { try journal.check(read.bytes, head: tally.journalHead, current: journal.size()) }
        let regrown = shorter + String(repeating: "x", count: j.journal.utf8.count - shorter.utf8.count - 1) + "\n"
        try regrown.write(toFile: journal.path, atomically: false, encoding: .utf8)
        #expect(throws: HavenError.self) { try journal.check(read.bytes, head: tally.journalHead, current: journal.size()) }
        // With a tally there, an empty journal is never given a fresh header by an append.
        unlink(journal.path)
        #expect(throws: HavenError.self) { try journal.append(acts[0], vault: vault, signer: signer) }

        // A torn last line is refused, both when read and when appended to.
        try (j.journal + "record-erased 1767225960000").write(toFile: anchor.path + ".journal", atomically: false, encoding: .utf8)
        #expect(throws: HavenError.self) { try RecoveryJournal(anchor: anchor).read(vault: vault, key: signer.publicKey) }
        #expect(throws: HavenError.self) { try RecoveryJournal(anchor: anchor).append(acts[0], vault: vault, signer: signer) }
        // Appended to the whole file, a line chains to the last one.
        try j.journal.write(toFile: anchor.path + ".journal", atomically: false, encoding: .utf8)
        try RecoveryJournal(anchor: anchor).append(acts[1], vault: vault, signer: signer)
        #expect(try RecoveryJournal(anchor: anchor).read(vault: vault, key: signer.publicKey).acts == acts + [acts[1]])
    }
}
