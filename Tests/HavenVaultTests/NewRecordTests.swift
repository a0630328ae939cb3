import Foundation
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
@testable import HavenVault
import Testing

/// A new record made without a database: what `NewRecord` seals opens only as the record it
/// was made for, nothing it makes carries a value in clear, and a refused decision seals
/// nothing. One test per way a new record could leak or be swapped.
@Suite struct NewRecordTests {
    static let policy = SearchIndexerTests.policy
    static let type = policy.recordTypes[try! RecordTypeName("gbv_incident")]!
    static let values: [String: String] = [
        "survivor_name": "ນາງ ສົມພອນ ວົງສາ", "phone": "020 5551 2345", "date_of_birth": "1998-03-07",
        "incident_type": "rape", "province": "la-vientiane-capital", "sex": "female", "address": "Ban Nongbone, house 17",
    ]

    struct Made {
        let record: NewRecord
        let keys: VaultKeys
        let dataKey: SecureBytes
    }

    static let intake = EnrolledUser(name: try! UserName("ana"), role: try! RoleName("intake"), agency: try! AgencyName("ossc-vientiane"),
                                     publicKey: SigningKey.generate().publicKey.bytes, uid: nil, createdAt: Timestamp(millisecondsSinceEpoch: 0),
                                     createdBy: try! UserName("admin"))

    static func decision(for user: EnrolledUser, _ values: [(FieldSpec, String)]) -> Decision {
        policy.decide(AccessRequest(subject: RequestPipeline.subject(of: user), action: .recordCreate, recordType: type,
                                    fields: values.map(\.0.name), now: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)))
    }

    static func make(by user: EnrolledUser = intake, keys: VaultKeys = SearchIndexerTests.keys()) throws -> Made {
        let values = try RecordValues.validated(Self.values, of: type, requireAll: true)
        let dataKey = DataKey.generate()
        let record = try NewRecord(values: values, of: type, by: user, assignees: [], decision: decision(for: user, values),
                                   at: Timestamp(millisecondsSinceEpoch: 1_700_000_000_000), keys: keys,
                                   search: SearchIndexer(policy: policy, keys: keys), statistics: RecordStatisticsDeriver(policy: policy),
                                   dataKey: dataKey)
        return Made(record: record, keys: keys, dataKey: dataKey)
    }

    @Test func aRefusedDecisionSealsNothing() throws {
        let police = EnrolledUser(name: try UserName("vong"), role: try RoleName("police"), agency: try AgencyName("police-vientiane"),
                                  publicKey: SigningKey.generate().publicKey.bytes, uid: nil,
                                  createdAt: Timestamp(millisecondsSinceEpoch: 0), createdBy: try UserName("admin"))
        let values = try RecordValues.validated(Self.values, of: Self.type, requireAll: true)
        let keys = SearchIndexerTests.keys()
        let refused = Self.decision(for: police, values)
        #expect(!refused.allowed)
        do throws(HavenError) {
            _ = try NewRecord(values: values, of: Self.type, by: police, assignees: [], decision: refused,
                              at: Timestamp(millisecondsSinceEpoch: 0), keys: keys, search: SearchIndexer(policy: Self.policy, keys: keys),
                              statistics: RecordStatisticsDeriver(policy: Self.policy))
            Issue.record("a record was made on a refused decision")
        } catch {
            #expect(error.code == .denied)
        }
    }

    @Test func everyValueOpensAsVersionOneOfItsFieldUnderTheRecordsOwnKey() throws {
        let made = try Self.make()
        let r = made.record
        #expect(r.fields.count == Self.values.count)
        let unwrapped = try made.keys.dataKeys.unwrap(r.row.wrappedKey, record: r.id, dataKeyVersion: 1)
        #expect(unwrapped.withUnsafeBytes { Array($0) } == made.dataKey.withUnsafeBytes { Array($0) })
        let cipher = RecordCipher(vault: made.keys.vaultID, record: r.id, dataKey: unwrapped, dataKeyVersion: 1)
        for field in r.fields {
            let name = try FieldName(field.name)
            #expect(field.version == 1 && r.header.fieldVersions[name] == 1)
            let opened = try field.ciphertext.withUnsafeBytes { try cipher.openField(name, version: 1, box: $0) }
            #expect(opened.string() == Self.values[field.name])
        }
        let header = try r.row.sealedHeader.withUnsafeBytes { b throws(HavenError) in try cipher.openHeader(b, version: r.row.version) }
        #expect(header.id == r.id && header.agency == Self.intake.agency && header.createdBy == Self.intake.name)
        // The plain columns agree with the sealed header, as `RecordOpener` requires.
        #expect(r.row.type == header.type.rawValue && r.row.agency == header.agency.rawValue && r.row.status == header.status.rawValue)
        #expect(r.state == made.keys.rows.record(r.row))
    }

    @Test func aValueMovedToAnotherFieldOrRecordDoesNotOpen() throws {
        let a = try Self.make()
        let b = try Self.make(keys: a.keys)
        let cipherA = RecordCipher(vault: a.keys.vaultID, record: a.record.id, dataKey: a.dataKey, dataKeyVersion: 1)
        let name = try FieldName("survivor_name"), phone = try FieldName("phone")
        let ofB = b.record.fields.first { $0.name == name.rawValue }!
        let ofA = a.record.fields.first { $0.name == name.rawValue }!
        #expect(throws: CryptoError.self) { try ofB.ciphertext.withUnsafeBytes { try cipherA.openField(name, version: 1, box: $0) } }
        #expect(throws: CryptoError.self) { try ofA.ciphertext.withUnsafeBytes { try cipherA.openField(phone, version: 1, box: $0) } }
        #expect(throws: CryptoError.self) { try ofA.ciphertext.withUnsafeBytes { try cipherA.openField(name, version: 2, box: $0) } }
    }

    @Test func noPlaintextInAnythingItMakes() throws {
        let r = try Self.make().record
        var made = r.row.wrappedKey + r.row.sealedHeader + r.statisticsRow.sealed + r.statisticsRow.rowTag
        for f in r.fields { made += f.ciphertext }
        for s in r.searchRows { made += Array(s.field.utf8) + withUnsafeBytes(of: s.value) { Array($0) } }
        for value in Self.values.values where value.utf8.count >= 4 {
            let needle = Array(value.utf8)
            let found = made.indices.dropLast(needle.count - 1).contains { Array(made[$0..<$0 + needle.count]) == needle }
            #expect(!found, "a value of the new record is in its rows in clear")
        }
    }

    @Test func searchRowsAreTheIndexersAndStatisticsOpenOnlyBesideTheRowsState() throws {
        let made = try Self.make()
        let r = made.record
        let indexer = SearchIndexer(policy: Self.policy, keys: made.keys)
        let values = try RecordValues.validated(Self.values, of: Self.type, requireAll: true)
        #expect(r.searchRows == indexer.entries(values.map { ($0.0.name, $0.1) }, agency: r.row.agency) && r.searchRows.count == 3)
        let id = Array(r.id.rawValue.utf8)
        let opener = made.keys.statistics.opener()
        let stats = try r.statisticsRow.sealed.withUnsafeBytes { b in
            try id.withUnsafeBytes { i in try opener.open(b, record: i, rowTag: r.state) { RecordStatistics(decoding: Array($0)) } }
        }
        #expect(stats?.values[.incidentType] == "rape" && stats?.values[.province] == "la-vientiane-capital")
        let other = made.keys.rows.record(StoredRecord(id: r.id, type: r.row.type, agency: r.row.agency, status: r.row.status,
                                                      version: 2, createdAt: r.row.createdAt, updatedAt: r.row.updatedAt,
                                                      dataKeyVersion: 1, wrappedKey: r.row.wrappedKey, sealedHeader: r.row.sealedHeader))
        #expect(throws: CryptoError.self) {
            try r.statisticsRow.sealed.withUnsafeBytes { b in
                try id.withUnsafeBytes { i in try opener.open(b, record: i, rowTag: other) { _ in 0 } }
            }
        }
    }
}
