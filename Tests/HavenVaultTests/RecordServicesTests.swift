import Foundation
import HavenAPI
import HavenCore
import HavenCrypto
@testable import HavenVault
import Testing

/// The record-facing services driven as the server drives them, without a socket: records,
/// consent, referrals and search, each through the one pipeline to the real store and log.
@Suite struct RecordServicesTests {
    static let fields = ["survivor_name": "Nguyễn Thị Hà", "phone": "020 5551 2345", "date_of_birth": "1998-03-07",
                         "incident_type": "physical_assault", "province": "la-vientiane-capital"]

    static func create(_ h: ServiceHarness, by user: String = "ana", assign: [String]? = nil) throws -> String {
        try h.vault.records.create(h.ctx(user), request: CreateRecordRequest(type: "gbv_incident", fields: fields, assign: assign))
            .wait().id
    }

    static func value(_ result: RecordReadResult, _ field: String) -> String? {
        result.fields.first { $0.0.rawValue == field }?.1?.string()
    }

    @Test func recordsAreCreatedReadChangedListedAndErased() throws {
        let h = try ServiceHarness()
        let records = h.vault.records
        let id = try Self.create(h)
        let read = try records.read(h.ctx("ana"), id: id, request: ReadRecordRequest(purpose: "intake review", fields: nil, breakGlass: nil))
            .wait()
        #expect(Self.value(read, "survivor_name") == "Nguyễn Thị Hà" && read.version == 1 && read.auditSeq > 0)
        // An unassigned counsellor reads nothing; assigned, they do.
        let counsellorRead = ReadRecordRequest(purpose: "counselling session", fields: ["incident_type"], breakGlass: nil)
        #expect(h.refusal(records.read(h.ctx("bounmy"), id: id, request: counsellorRead)) == .denied)
        #expect(try records.assign(h.ctx("ana"), id: id, request: AssignRequest(user: "bounmy")).wait().version == 2)
        #expect(try records.update(h.ctx("ana"), id: id, request: UpdateRecordRequest(fields: ["phone": "020 5551 9999"])).wait().version == 3)
        #expect(try records.addNote(h.ctx("ana"), id: id, request: AddNoteRequest(noteClass: "incident", text: "first visit")).wait().version == 4)
        let listed = try records.list(h.ctx("ana"), after: nil, limit: nil).wait()
        #expect(listed.records.map(\.id) == [id] && listed.records[0].assignees == ["bounmy"])
        // A connection without a session is refused before anything is looked up.
        #expect(h.refusal(records.list(h.ctx(nil), after: nil, limit: nil)) == .unauthenticated)
        let erased = try records.erase(h.ctx("ana"), id: id,
                                       request: EraseRecordRequest(reason: "survivor_request"))
            .wait()
        #expect(erased.erasedBy == "ana")
        #expect(h.refusal(records.read(h.ctx("ana"), id: id, request: ReadRecordRequest(purpose: "check", fields: nil, breakGlass: nil)))
                == .erased)
    }

    @Test func consentIsRecordedAsAChangeAndShownWithItsHistory() throws {
        let h = try ServiceHarness()
        let id = try Self.create(h)
        let consent = h.vault.consent
        _ = try consent.change(h.ctx("ana"), id: id, request: ConsentChangeRequest(flag: "police", action: "grant", evidence: nil,
                                                                                  expires: nil)).wait()
        _ = try consent.change(h.ctx("ana"), id: id, request: ConsentChangeRequest(flag: "police", action: "withdraw", evidence: nil,
                                                                                  expires: nil)).wait()
        let shown = try consent.show(h.ctx("ana"), id: id).wait()
        #expect(shown.historyTotal == 2 && shown.history.map(\.kind) == ["grant", "withdraw"])
        #expect(shown.flags.first { $0.flag == "police" }?.state == "withdrawn")
        // The analyst counts, and reads no record's consent.
        #expect(h.refusal(consent.show(h.ctx("noy"), id: id)) == .denied)
    }

    @Test func aReferralIsSeenWholeByTheReceivingAgencyOnlyOnceAccepted() throws {
        let h = try ServiceHarness()
        let id = try Self.create(h)
        _ = try h.vault.consent.change(h.ctx("ana"), id: id, request: ConsentChangeRequest(flag: "shelter", action: "grant",
                                                                                          evidence: nil, expires: nil)).wait()
        let referrals = h.vault.referrals
        let made = try referrals.create(h.ctx("ana"), id: id, request: ReferralCreateRequest(
            to: "lwu-shelter-vientiane", service: "shelter", purpose: "safe housing", note: nil)).wait()
        let waiting = try referrals.list(h.ctx("phet"), incoming: true, status: nil).wait()
        #expect(waiting.referrals.map(\.ref) == [made.ref] && waiting.referrals[0].record == nil)
        _ = try referrals.change(h.ctx("phet"), ref: made.ref, .accept, request: ReferralStepRequest()).wait()
        #expect(try referrals.show(h.ctx("phet"), ref: made.ref).wait().referral.record == id)
        // Another agency has no referral of that number: it is answered as one that does not exist.
        #expect(h.refusal(referrals.show(h.ctx("vong"), ref: made.ref)) == .notFound)
    }

    @Test func searchListsWhatTheCallerMayReadAndTellsPoliceNothingOfTheRest() throws {
        let h = try ServiceHarness()
        let id = try Self.create(h)
        let query = FindRecordsRequest(name: nil, phone: "+856 20 5551 2345", dob: nil, purpose: "survivor returned")
        let found = try h.vault.search.find(h.ctx("ana"), request: query).wait()
        #expect(found.matches.map(\.id) == [id] && found.elsewhere.isEmpty)
        // A second record with the same phone is created all the same, with the first named.
        let again = try h.vault.records.create(h.ctx("ana"), request: CreateRecordRequest(type: "gbv_incident", fields: Self.fields,
                                                                                         assign: nil)).wait()
        #expect(again.possibleDuplicates?.records.map(\.id) == [id])
        // The police may search, and read neither record: they learn nothing of them
        // (find_elsewhere: none), not even that one may exist.
        let police = try h.vault.search.find(h.ctx("vong"), request: query).wait()
        #expect(police.matches.isEmpty && police.elsewhere.isEmpty && !police.mayExistElsewhere)
    }
}
