import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// GET /records/:id: the record as havend releases it to the person, for the purpose they
/// chose, with its notes, consent and referrals. A role that works its cases from a list
/// reads for case management unless the person says otherwise; another role is asked why
/// before anything is read.
/// POST /records/:id/break-glass: the same page read in an emergency, with the reason.
enum RecordPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = request.parameters["id"] else { return notFound(desk) }
        let chosen = request.query["purpose"].flatMap(ReadPurpose.init(rawValue:))
        guard let purpose = chosen ?? (roleActions(desk).contains(Action.recordList.rawValue) ? .caseManagement : nil) else {
            let w = desk.words
            return desk.page(title: w("Record"), section: .records, body: RecordView.purposeForm(id: id, chosen: nil, words: w))
        }
        let before = request.query["notes_before"].flatMap { UInt64($0) }
        return await read(id, purpose: purpose, notesBefore: before, breakGlass: nil, desk)
    }

    static func breakGlass(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = request.parameters["id"] else { return notFound(desk) }
        let w = desk.words
        let purpose = ReadPurpose.from(request.field("purpose"))
        let reason = request.field("reason") ?? ""
        // The policy's rule, checked here first so a reason that says nothing is asked for
        // again without a refused read in the log; havend checks it all the same.
        guard BreakGlassReason.isMeaningful(reason) else {
            let form = RecordView.breakGlassForm(id: id, purpose: purpose, csrfField: desk.csrfField,
                                                 error: w("Say what the emergency is, in at least 20 letters."), words: w)
            return desk.page(title: w("Emergency access"), section: .records, body: form, status: 400)
        }
        return await read(id, purpose: purpose, notesBefore: nil, breakGlass: reason, desk)
    }

    static func read(_ id: String, purpose: ReadPurpose, notesBefore: UInt64?, breakGlass: String?, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        let body = ReadRecordRequest(purpose: purpose.audited, fields: nil, breakGlass: breakGlass, notesBefore: notesBefore)
        let record: ReadRecordResponse
        do throws(HavenError) {
            record = try await desk.vault.post("/v1/records/\(ReadRefusal.escape(id))/read", body)
        } catch {
            var page = desk.refusal(error)
            if error.code == .denied, breakGlass == nil, mayBreakGlass(desk) {
                page = page + RecordView.breakGlassForm(id: id, purpose: purpose, csrfField: desk.csrfField, error: nil, words: w)
            }
            return desk.page(title: w("Record"), section: .records, body: page, status: ReadRefusal.status(error))
        }
        let actions = roleActions(desk)
        // Consent and referrals are separate reads, each decided and audited by havend; a
        // role that may not see them gets the record without them.
        var consent: ConsentResponse?
        if actions.contains(Action.consentRead.rawValue) {
            consent = try? await desk.vault.get("/v1/records/\(ReadRefusal.escape(record.id))/consent")
        }
        let referrals = await recordReferrals(record.id, desk)
        let labels = ReadLabels(words: w, policy: desk.policy)
        let model = RecordView.Model(record: record, purpose: purpose, consent: consent, referrals: referrals, actions: actions)
        let title = RecordView.title(w)
        return desk.page(title: title, section: .records, body: RecordView.render(model, labels: labels))
    }

    /// The agency's referrals of this record, either way; nil when they cannot be listed.
    static func recordReferrals(_ id: String, _ desk: Desk) async -> [ReferralSummary]? {
        var found = [ReferralSummary]()
        var listed = false
        for direction in ["outgoing", "incoming"] {
            guard let list: ReferralListResponse = try? await desk.vault.get("/v1/referrals?direction=\(direction)") else { continue }
            listed = true
            found += list.referrals.filter { $0.record == id }
        }
        return listed ? found.sorted { $0.updatedAt > $1.updatedAt } : nil
    }

    static func roleActions(_ desk: Desk) -> Set<String> {
        guard let name = try? RoleName(desk.role), let role = desk.policy.role(name) else { return [] }
        return Set(role.actions.map(\.rawValue))
    }

    static func mayBreakGlass(_ desk: Desk) -> Bool {
        guard let name = try? RoleName(desk.role), let role = desk.policy.role(name) else { return false }
        return role.breakGlass != nil && role.separatedDuty == nil
    }

    static func notFound(_ desk: Desk) -> DeskResponse {
        desk.page(title: desk.words("Record"), section: .records, body: "<p>\(desk.words("This record cannot be found."))</p>", status: 404)
    }
}
