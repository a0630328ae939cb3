import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenExtract
import HavenStore
@testable import HavenVault
import Testing

/// The services that serve no record's values, driven without a socket: statistics, audit,
/// users and sessions, extracts, backups, custody and the policy reload.
@Suite struct VaultServicesTests {
    @Test func statisticsArePublishedForEndedPeriodsToTheAnalystOnly() throws {
        let h = try ServiceHarness()
        _ = try RecordServicesTests.create(h)
        let year = Calendar(identifier: .gregorian).component(.year, from: Date()) - 1
        let ended = IncidentStatisticsRequest(from: "\(year)-01", to: "\(year)-12", by: ["incident_type"])
        let report = try h.vault.statistics.incidents(h.ctx("noy"), request: ended).wait()
        #expect(report.dimensions == ["incident_type"] && (report.auditSeq ?? 0) > 0)
        #expect(h.refusal(h.vault.statistics.incidents(h.ctx("ana"), request: ended)) == .denied)
        let running = IncidentStatisticsRequest(from: "\(year + 1)-01", to: "\(year + 1)-12", by: ["incident_type"])
        #expect(h.refusal(h.vault.statistics.incidents(h.ctx("noy"), request: running)) == .invalidValue)
    }

    @Test func theAuditorReadsEntriesAndVerifiesTheLogAndNoOneElseDoes() throws {
        let h = try ServiceHarness()
        let id = try RecordServicesTests.create(h)
        var filter = AuditFilter()
        filter.record = id
        let page = try h.vault.audit.entries(h.ctx("dara"), filter: filter, cursor: nil, limit: nil).wait()
        #expect(String(decoding: page, as: UTF8.self).contains("\"action\":\"record.create\""))
        #expect(h.refusal(h.vault.audit.entries(h.ctx("ana"), filter: filter, cursor: nil, limit: nil)) == .denied)
        let report = try h.vault.audit.verify(h.ctx("dara")).wait()
        #expect(report.problems.isEmpty && report.entries > 0)
    }

    @Test func usersAreAddedRekeyedAndRevokedAndTheirSessionsEndWithThem() throws {
        let h = try ServiceHarness()
        let key = SigningKey.generate().publicKey
        let users = h.vault.users
        let add = AddUserRequest(name: "mali", role: "counsellor", agency: "ossc-vientiane",
                                 publicKey: KeyFileFormat.encodePublic(key), uid: nil)
        #expect(try users.add(h.ctx("admin"), request: add).wait().status == "active")
        #expect(h.refusal(users.add(h.ctx("ana"), request: add)) == .denied)
        let newKey = KeyFileFormat.encodePublic(SigningKey.generate().publicKey)
        #expect(try users.rekey(h.ctx("admin"), name: "mali", request: RekeyUserRequest(publicKey: newKey)).wait().status == "active")
        #expect(try h.vault.sessions.status(h.ctx("bounmy")).wait().role == "counsellor")
        _ = try users.revoke(h.ctx("admin"), name: "bounmy").wait()
        // The revoked user's open session is refused from its next request on.
        #expect(h.refusal(h.vault.sessions.status(h.ctx("bounmy"))) == .unauthenticated)
    }

    @Test func anExtractIsIssuedToTheCourtAndVerifiesOffline() throws {
        let h = try ServiceHarness()
        let id = try RecordServicesTests.create(h)
        let request = ExtractRequest(purpose: "hearing of 12 January", basis: "court_order", courtOrder: "PC-2026-114",
                                     fields: ["incident_type"])
        let envelope = try h.vault.extracts.issue(h.ctx("kham"), id: id, request: request).wait()
        let verified = try ExtractVerifier.verify(envelope.withUnsafeBytes { Array($0) }, vaultKey: h.vault.keys.publicKey)
        #expect(verified.payload.recordID == id && verified.payload.fields.map(\.name) == ["incident_type"])
        #expect(h.refusal(h.vault.extracts.issue(h.ctx("dara"), id: id, request: request)) == .denied)
    }

    @Test func backupsAreMadeFetchedAndRemovedByTheAdministratorOnly() throws {
        let h = try ServiceHarness()
        let backups = h.vault.backups
        #expect(h.refusal(backups.create(h.ctx("dara"))) == .denied)
        let made = try backups.create(h.ctx("admin")).wait()
        let chunk = try backups.chunk(h.ctx("admin"), name: made.name, offset: 0).wait()
        #expect(chunk.size == made.size && Base64.decode(chunk.data)?.count == min(made.size, BackupService.chunkBytes))
        #expect(h.refusal(backups.chunk(h.ctx("admin"), name: "../haven.db", offset: 0)) == .invalidValue)
        _ = try backups.delete(h.ctx("admin"), name: made.name).wait()
        #expect(h.refusal(backups.chunk(h.ctx("admin"), name: made.name, offset: 0)) == .notFound)
        #expect(try backups.countRestores() == 0)
    }

    @Test func onlyTheKeyManagerMaySealAndABrokenPolicyIsNotLoaded() throws {
        let h = try ServiceHarness()
        #expect(h.refusal(h.vault.custody.sealRequest(h.ctx("bounmy"), mode: .passphrase)) == .denied)
        // A vault kept in a file would open again at once: sealing it is refused, and said.
        #expect(h.refusal(h.vault.custody.sealRequest(h.ctx("admin"), mode: .file)) == .conflict)
        let version = h.vault.policies.policy.version
        let broken = PolicyService(pipeline: h.vault.policy.pipeline, path: h.root + "/no-such-policy")
        guard case .failure = try broken.reload(on: h.group.next()).wait() else {
            Issue.record("a missing policy directory was loaded")
            return
        }
        #expect(h.vault.policies.policy.version == version)
    }
}
