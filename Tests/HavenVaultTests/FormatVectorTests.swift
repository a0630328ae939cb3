import Foundation
import HavenAPI
import HavenCore
@_spi(FormatVectors) import HavenCrypto
import HavenStats
import HavenStore
import HavenTestSupport
import HavenVault
import Testing

/// Haven's own formats pinned to committed bytes (Tests/Fixtures/format-v1/vectors.json),
/// computed from the format documents by scripts/format-vectors.py with Python's hashlib and
/// libsodium, not by this code: the subkeys, every row's state tag, the baseline tag, the
/// audit entry tag, a sealed field with a fixed key and nonce, a record header's exact
/// bytes in both formats, a note's sealed metadata and a sealed consent event, the
/// authentication transcript, and the root key's passphrase seal and share file. A format change fails here until it ships as a
/// new version with vectors of its own.
@Suite struct FormatVectorTests {
    static let file = Repository.fixtures + "/format-v1/vectors.json"

    struct Vectors: Decodable {
        let root_key: String
        let vault_id: String
        let record_id: String
        let subkeys: [String: String]
        let user_rows: [User]
        let record_row: Record
        let vault_meta_row: Meta
        let baseline: Baseline
        let entry_tags: [EntryTag]
        let sealed_field: SealedField
        let record_header: Header
        let record_header_v2: Header
        let note_metadata: HistoryRow
        let consent_event: HistoryRow
        let auth_transcript: Transcript
        let root_passphrase_seal: RootSeal
        let root_share: RootShare
        let root_share_set: RootShareSet
        let blind_index: [BlindIndexVector]
        let record_statistics: StatisticsVector
        let record_header_v3: Header
        let referral_event: HistoryRow
        let referral_event_assign: HistoryRow
        let statistics_release: ReleaseVector
        let anchored_mark: AnchoredVector
        let case_number_rows: [CaseNumberVector]
        let case_number_marks: [CaseNumberMarkVector]

        struct CaseNumberMarkVector: Decodable {
            let agency, tag: String
            let year, seq: Int
        }

        struct CaseNumberVector: Decodable {
            let agency, number, record, tag: String
            let year, seq: Int
        }

        struct AnchoredVector: Decodable {
            let seed, public_key, message, value: String
            let size: UInt64
        }

        struct ReleaseVector: Decodable {
            let key, nonce, plaintext, box: String
            let year: Int
        }

        struct StatisticsVector: Decodable {
            let key, row_tag, nonce, month, plaintext, box: String
            let consent_expires: Int64
            let values: [String]
        }

        struct User: Decodable {
            let name, role, agency, public_key, created_by, tag: String
            let uid: UInt32?
            let created_at: Int64
            let revoked_at: Int64?
            let revoked_by: String?
        }
        struct Record: Decodable {
            let id, type, agency, status, wrapped_key, header, tag: String
            let version: UInt64
            let created_at, updated_at: Int64
            let data_key_version: UInt32
        }
        struct Meta: Decodable {
            let public_key, sealed_signing_key, tag: String
            let created_at: Int64
        }
        struct Baseline: Decodable {
            let rows: [[String]]
            let tag: String
        }
        struct EntryTag: Decodable {
            let seq: UInt64
            let leaf_hash, tag: String
            let state: [String]?
        }
        struct SealedField: Decodable {
            let data_key, nonce, field, value, box: String
            let version: UInt64
        }
        struct Header: Decodable {
            let bytes: String
        }
        struct HistoryRow: Decodable {
            let data_key, nonce, plaintext, box: String
            let index: UInt64
        }
        struct RootSeal: Decodable {
            let passphrase, salt, nonce, bytes: String
            let opslimit, memlimit: UInt64
        }
        struct RootShare: Decodable {
            let values, bytes: String
            let index: UInt8
            let threshold, count: Int
        }
        struct BlindIndexVector: Decodable {
            let agency, field, form: String
            let bits: Int
            let value: UInt32
        }
        struct RootShareSet: Decodable {
            let threshold, count: Int
            let shares: [String]
            let bytes: String
        }
        struct Transcript: Decodable {
            let vault, nonce, public_key, bytes: String
            let uid: UInt32
            let pid: Int32
        }
    }

    let v: Vectors
    let root: RootKey
    let vault: VaultID

    init() throws {
        v = try JSONDecoder().decode(Vectors.self, from: try Data(contentsOf: URL(fileURLWithPath: Self.file)))
        root = try RootKey(material: SecureBytes(hex: v.root_key))
        vault = try VaultID(v.vault_id)
    }

    var rows: RowAuthenticator { RowAuthenticator(vault: vault, key: TagKey(rootKey: root, purpose: .rowAuthentication)) }
    var entries: EntryAuthenticator { EntryAuthenticator(vault: vault, key: TagKey(rootKey: root, purpose: .auditAuthentication)) }

    @Test func subkeysAreLibsodiumsKDFOfTheRootKey() {
        let purposes: [(String, KeyPurpose)] = [("hvrowtag", .rowAuthentication), ("hvaudtag", .auditAuthentication),
                                                ("hvdkwrap/1", .dataKeyWrapping), ("hvsignky/1", .signingKeySealing)]
        for (name, purpose) in purposes {
            #expect(root.derive(purpose, version: 1).withUnsafeBytes { Array($0) } == [UInt8](hex: v.subkeys[name]!), "\(name)")
        }
    }

    @Test func userRowTags() throws {
        for u in v.user_rows {
            let user = EnrolledUser(name: try UserName(u.name), role: try RoleName(u.role), agency: try AgencyName(u.agency),
                                    publicKey: [UInt8](hex: u.public_key), uid: u.uid,
                                    createdAt: Timestamp(millisecondsSinceEpoch: u.created_at), createdBy: try UserName(u.created_by),
                                    revokedAt: u.revoked_at.map { Timestamp(millisecondsSinceEpoch: $0) },
                                    revokedBy: try u.revoked_by.map { (n) throws(HavenError) in try UserName(n) })
            #expect(rows.user(user).hex == u.tag, "\(u.name)")
        }
    }

    @Test func recordRowTag() throws {
        let r = v.record_row
        #expect(RecordID(bytes: Array(0xA0...0xAF)).rawValue == r.id)
        let row = StoredRecord(id: try RecordID(r.id), type: r.type, agency: r.agency, status: r.status, version: r.version,
                               createdAt: Timestamp(millisecondsSinceEpoch: r.created_at),
                               updatedAt: Timestamp(millisecondsSinceEpoch: r.updated_at), dataKeyVersion: r.data_key_version,
                               wrappedKey: [UInt8](hex: r.wrapped_key), sealedHeader: [UInt8](hex: r.header))
        #expect(rows.record(row).hex == r.tag)
    }

    @Test func caseNumberRowTags() {
        for n in v.case_number_rows {
            let row = StoredCaseNumber(agency: n.agency, year: n.year, sequence: n.seq, number: n.number, record: n.record)
            #expect(rows.caseNumber(row).hex == n.tag, "\(n.number)")
            #expect(CaseNumber(prefix: String(n.number.prefix { $0 != "-" }), year: n.year, sequence: n.seq).description == n.number)
        }
    }

    @Test func caseNumberMarkTags() {
        for m in v.case_number_marks {
            let mark = CaseNumberMark(agency: m.agency, year: m.year, sequence: m.seq)
            #expect(rows.caseNumberMark(mark).hex == m.tag, "\(m.agency) \(m.seq)")
        }
    }

    @Test func vaultMetaTag() {
        let m = v.vault_meta_row
        let meta = VaultMeta(vaultID: vault, vaultPublicKey: [UInt8](hex: m.public_key), sealedSigningKey: [UInt8](hex: m.sealed_signing_key),
                             createdAt: Timestamp(millisecondsSinceEpoch: m.created_at))
        #expect(rows.vaultMeta(meta).hex == m.tag)
    }

    @Test func baselineTagOverRowsInKeyOrder() {
        var digest = rows.baselineDigest()
        for row in v.baseline.rows.sorted(by: { Array($0[0].utf8).lexicographicallyPrecedes(Array($1[0].utf8)) }) {
            digest.add(key: row[0], tag: Tag16(hex: row[1])!)
        }
        #expect(digest.finish().hex == v.baseline.tag)
    }

    @Test func auditEntryTags() {
        for e in v.entry_tags {
            let state = e.state.map { (key: $0[0], tag: [UInt8](hex: $0[1])) }
            #expect(entries.tag(seq: e.seq, leafHash: [UInt8](hex: e.leaf_hash), state: state).hex == e.tag, "seq \(e.seq)")
        }
    }

    @Test func sealedFieldWithAFixedKeyAndNonce() throws {
        let f = v.sealed_field
        let cipher = RecordCipher(vault: vault, record: try RecordID(v.record_id), dataKey: SecureBytes(hex: f.data_key),
                                  dataKeyVersion: 1)
        let name = try FieldName(f.field)
        #expect(Hex.encode(cipher.sealField(name, version: f.version, value: f.value, fixedNonce: [UInt8](hex: f.nonce))) == f.box)
        let opened = try [UInt8](hex: f.box).withUnsafeBytes { try cipher.openField(name, version: f.version, box: $0) }
        #expect(opened.withUnsafeBytes { String(decoding: $0, as: UTF8.self) } == f.value)
        // The same box under the field's previous version does not open: the version is bound.
        #expect(throws: CryptoError.authenticationFailure) {
            try [UInt8](hex: f.box).withUnsafeBytes { _ = try cipher.openField(name, version: f.version - 1, box: $0) }
        }
    }

    func vectorHeader() throws -> (header: RecordHeader, notes: [NoteMetadata], events: [ConsentEvent]) {
        let t = { (ms: Int64) in Timestamp(millisecondsSinceEpoch: ms) }
        let events = [
            ConsentEvent(flag: .counselling, kind: .grant, recordedBy: try UserName("intake"), recordedAt: t(1_790_000_100_000),
                         evidence: "sha256:0f3c", expiresAt: t(1_822_000_000_000)),
            ConsentEvent(flag: .police, kind: .withdraw, recordedBy: try UserName("intake"), recordedAt: t(1_790_000_200_000)),
        ]
        let notes = [NoteMetadata(index: 1, fieldClass: .counselling, author: try UserName("counsellor"), createdAt: t(1_790_000_300_000))]
        let header = RecordHeader(
            id: try RecordID(v.record_id), type: try RecordTypeName("gbv_incident"), agency: try AgencyName("ossc-vientiane"),
            version: 4, createdAt: t(1_790_000_000_000), createdBy: try UserName("intake"), updatedAt: t(1_790_000_300_000),
            updatedBy: try UserName("counsellor"), assignees: [try UserName("counsellor"), try UserName("bounmy")],
            fieldVersions: [try FieldName("survivor_name"): 2, try FieldName("incident_type"): 1],
            noteCount: 1, consent: ConsentState(history: events))
        return (header, notes, events)
    }

    /// A format-1 header (every release before history rows) still opens, with its history.
    @Test func recordHeaderOfFormat1StillOpens() throws {
        let (expected, notes, events) = try vectorHeader()
        var header = try RecordHeader(canonicalJSON: Array(v.record_header.bytes.utf8))
        #expect(header.inlineHistory == InlineHistory(notes: notes, consent: events))
        header.inlineHistory = nil
        #expect(header == expected)
    }

    @Test func recordHeaderCanonicalBytes() throws {
        var (header, _, _) = try vectorHeader()
        header.consent.append(ConsentEvent(flag: .counselling, kind: .grant, recordedBy: try UserName("counsellor"),
                                           recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_250_000)))
        #expect(String(decoding: header.canonicalJSON(), as: UTF8.self) == v.record_header_v2.bytes)
        #expect(try RecordHeader(canonicalJSON: Array(v.record_header_v2.bytes.utf8)) == header)
    }

    /// Format 3: a record referred to a shelter (accepted, assigned) and to the police.
    func referredHeader() throws -> (RecordHeader, ReferralEvent) {
        var (header, _, _) = try vectorHeader()
        let t = { (ms: Int64) in Timestamp(millisecondsSinceEpoch: ms) }
        header.consent.append(ConsentEvent(flag: .counselling, kind: .grant, recordedBy: try UserName("counsellor"),
                                           recordedAt: t(1_790_000_250_000)))
        let shelter = try AgencyName("lwu-shelter-vientiane"), intake = try UserName("intake")
        var toShelter = Referral(id: try ReferralID("aaaqeayeaudaocaj"), service: "shelter", from: try AgencyName("ossc-vientiane"),
                                 to: shelter, createdBy: intake, createdAt: t(1_790_000_260_000))
        _ = header.recordReferral(toShelter)
        toShelter.status = .accepted
        toShelter.updatedBy = try UserName("shelter-desk")
        toShelter.updatedAt = t(1_790_000_270_000)
        toShelter.assignee = try UserName("shelter-counsellor")
        _ = header.recordReferral(toShelter)
        _ = header.recordReferral(Referral(id: try ReferralID("bibsgmbzhaqcamya"), service: "police",
                                           from: try AgencyName("ossc-vientiane"), to: try AgencyName("police-vientiane"),
                                           createdBy: intake, createdAt: t(1_790_000_280_000)))
        let event = ReferralEvent(referral: toShelter.id, kind: .create, by: intake, at: t(1_790_000_260_000), service: "shelter",
                                  to: shelter, text: "safe housing tonight", note: "arrives with two children")
        return (header, event)
    }

    @Test func recordHeaderOfFormat3WithReferrals() throws {
        let (header, _) = try referredHeader()
        #expect(header.format == 3 && header.referralEvents == 3)
        #expect(String(decoding: header.canonicalJSON(), as: UTF8.self) == v.record_header_v3.bytes)
        #expect(try RecordHeader(canonicalJSON: Array(v.record_header_v3.bytes.utf8)) == header)
        // A record that never had a referral keeps format 2, byte for byte.
        var (plain, _, _) = try vectorHeader()
        plain.consent.append(ConsentEvent(flag: .counselling, kind: .grant, recordedBy: try UserName("counsellor"),
                                          recordedAt: Timestamp(millisecondsSinceEpoch: 1_790_000_250_000)))
        #expect(plain.format == 2 && String(decoding: plain.canonicalJSON(), as: UTF8.self) == v.record_header_v2.bytes)
        // Format 3 must carry its referrals: an empty list, or more referrals than steps, is damage.
        let marker = "\"referrals\":{\"events\":3,\"latest\":["
        guard let start = v.record_header_v3.bytes.range(of: marker) else {
            Issue.record("the format-3 vector has no referrals member")
            return
        }
        let empty = v.record_header_v3.bytes[..<start.upperBound] + "]}}"
        #expect(throws: HavenError.integrity) { try RecordHeader(canonicalJSON: Array(empty.utf8)) }
        let fewer = v.record_header_v3.bytes.replacingOccurrences(of: #""referrals":{"events":3"#, with: #""referrals":{"events":1"#)
        #expect(throws: HavenError.integrity) { try RecordHeader(canonicalJSON: Array(fewer.utf8)) }
    }

    @Test func sealedReferralEvent() throws {
        let (_, event) = try referredHeader()
        let r = v.referral_event
        let cipher = RecordCipher(vault: vault, record: try RecordID(v.record_id), dataKey: SecureBytes(hex: r.data_key),
                                  dataKeyVersion: 1)
        #expect(String(decoding: event.canonicalJSON(), as: UTF8.self) == r.plaintext)
        #expect(Hex.encode(cipher.sealReferralEvent(event, index: r.index, fixedNonce: [UInt8](hex: r.nonce))) == r.box)
        #expect(try [UInt8](hex: r.box).withUnsafeBytes { try cipher.openReferralEvent(index: r.index, box: $0) } == event)
        // Bound to its place and its kind: the next index, or opened as a consent event, fails.
        #expect(throws: HavenError.integrity) { try [UInt8](hex: r.box).withUnsafeBytes { _ = try cipher.openReferralEvent(index: 2, box: $0) } }
        #expect(throws: HavenError.integrity) { try [UInt8](hex: r.box).withUnsafeBytes { _ = try cipher.openConsentEvent(index: 1, box: $0) } }
        let e = v.consent_event
        #expect(throws: HavenError.integrity) { try [UInt8](hex: e.box).withUnsafeBytes { _ = try cipher.openReferralEvent(index: 1, box: $0) } }
    }

    @Test func sealedNoteMetadataAndConsentEvent() throws {
        let (_, notes, events) = try vectorHeader()
        let n = v.note_metadata, e = v.consent_event
        let cipher = RecordCipher(vault: vault, record: try RecordID(v.record_id), dataKey: SecureBytes(hex: n.data_key),
                                  dataKeyVersion: 1)
        #expect(String(decoding: notes[0].canonicalJSON(), as: UTF8.self) == n.plaintext)
        #expect(Hex.encode(cipher.sealNoteMetadata(notes[0], fixedNonce: [UInt8](hex: n.nonce))) == n.box)
        #expect(try [UInt8](hex: n.box).withUnsafeBytes { try cipher.openNoteMetadata(index: n.index, box: $0) } == notes[0])
        #expect(String(decoding: events[0].canonicalJSON(), as: UTF8.self) == e.plaintext)
        #expect(Hex.encode(cipher.sealConsentEvent(events[0], index: e.index, fixedNonce: [UInt8](hex: e.nonce))) == e.box)
        #expect(try [UInt8](hex: e.box).withUnsafeBytes { try cipher.openConsentEvent(index: e.index, box: $0) } == events[0])
        // Each box is bound to its place: the next index, or the other kind of row, does not open.
        #expect(throws: HavenError.integrity) { try [UInt8](hex: n.box).withUnsafeBytes { _ = try cipher.openNoteMetadata(index: 2, box: $0) } }
        #expect(throws: HavenError.integrity) { try [UInt8](hex: e.box).withUnsafeBytes { _ = try cipher.openConsentEvent(index: 2, box: $0) } }
        #expect(throws: HavenError.integrity) { try [UInt8](hex: n.box).withUnsafeBytes { _ = try cipher.openConsentEvent(index: 1, box: $0) } }
    }

    @Test func authenticationTranscript() {
        let a = v.auth_transcript
        #expect(String(decoding: AuthTranscript.bytes(vaultID: a.vault, nonce: a.nonce, uid: a.uid, pid: a.pid, publicKey: a.public_key),
                       as: UTF8.self) == a.bytes)
    }

    /// The root key sealed under a passphrase (Argon2id, then XChaCha20-Poly1305) and one
    /// share of it as a file: exactly these bytes, and both open back.
    @Test func rootKeyPassphraseSealAndShareFile() throws {
        let s = v.root_passphrase_seal
        let passphrase = SecureBytes(utf8: s.passphrase)
        let cost = PassphraseSeal.Cost(opsLimit: s.opslimit, memLimit: s.memlimit)
        let seal = try PassphraseSeal.seal(root, passphrase: passphrase, vault: vault, cost: cost, salt: [UInt8](hex: s.salt), nonce: [UInt8](hex: s.nonce))
        #expect(seal.bytes.withUnsafeBytes { Hex.encode(Array($0)) } == s.bytes)
        let opened = try PassphraseSeal(bytes: SecureBytes(hex: s.bytes)).open(passphrase: passphrase, vault: vault)
        #expect(opened.withUnsafeBytes { Array($0) } == [UInt8](hex: v.root_key))
        let sh = v.root_share
        let file = try ShareFile(share: Shamir.Share(index: sh.index, values: SecureBytes(hex: sh.values)), vault: vault,
                                 threshold: sh.threshold, count: sh.count)
        #expect(file.bytes.withUnsafeBytes { Hex.encode(Array($0)) } == sh.bytes)
        let read = try ShareFile(bytes: SecureBytes(hex: sh.bytes), what: "the vector")
        #expect(read.index == sh.index && read.vault == vault && read.share.values.withUnsafeBytes { Hex.encode(Array($0)) } == sh.values)

        // The data directory's share set: each member's check value, in index order.
        let ss = v.root_share_set
        let members = try ss.shares.map { try ShareFile(bytes: SecureBytes(hex: $0), what: "a member") }
        let set = try ShareSet(shares: members)
        #expect(Hex.encode(set.bytes) == ss.bytes && set.threshold == ss.threshold && set.count == ss.count)
        #expect(try ShareSet(bytes: [UInt8](hex: ss.bytes)) == set)
        for m in members { try set.check(m, what: "a member") }
        #expect(throws: HavenError.self) { try set.check(read, what: "the lone share") }
    }

    /// Blind index values of the format vectors' root key (format 2, per agency), from the
    /// independent script; one form at two agencies has two values.
    @Test func blindIndexValues() {
        for b in v.blind_index {
            #expect(BlindIndex(rootKey: root, agency: b.agency, field: b.field, bits: b.bits).value(b.form) == b.value,
                    "\(b.agency) \(b.field) \(b.form)")
        }
        let name = v.blind_index.filter { $0.field == "survivor_name" && $0.form == "nguyenthiha" }
        #expect(Set(name.map(\.agency)).count == 2 && Set(name.map(\.value)).count == 2)
    }

    /// The committed file is exactly what the committed script prints.
    @Test(.enabled(if: VectorScript.python3 != nil, "needs python3 to rerun scripts/format-vectors.py"))
    func theCommittedScriptReproducesTheCommittedVectors() throws {
        let out = try VectorScript.text("format-vectors.py")
        #expect(out == String(decoding: try Data(contentsOf: URL(fileURLWithPath: Self.file)), as: UTF8.self))
    }
}
