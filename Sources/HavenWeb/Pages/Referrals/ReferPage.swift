import HavenAPI
import HavenClient
import HavenCore
import HavenDesk

/// GET+POST /records/:id/refer: refer a record of the person's agency to another agency for
/// a service, as `haven referral create` does. havend decides (the record's agency, the
/// offer, the survivor's consent, no second live referral) and its refusal is shown with
/// the form as the person filled it.
enum ReferPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        form(request.parameters["id"] ?? "", desk, values: .init())
    }

    static func refer(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        let raw = request.parameters["id"] ?? ""
        var values = ReferFormView.Values(agency: request.field("agency"), service: request.field("service"),
                                          reason: request.form["reason"], note: request.form["note"])
        if values.agency == nil { values.errors["agency"] = w("Choose the agency to refer to.") }
        if values.service == nil { values.errors["service"] = w("Choose the service.") }
        if request.field("reason") == nil { values.errors["reason"] = w("Say why the survivor is referred.") }
        guard values.errors.isEmpty, let agency = values.agency, let service = values.service, let purpose = request.field("reason") else {
            return form(raw, desk, values: values, status: 400)
        }
        guard let id = try? RecordID(raw) else { return form(raw, desk, values: values) }
        let note = request.field("note") == nil ? nil : request.form["note"]
        do throws(HavenError) {
            let made: ReferralWriteResponse = try await desk.vault.post(
                "/v1/records/\(HavenClient.escape(id.rawValue))/referrals",
                ReferralCreateRequest(to: agency, service: service, purpose: purpose, note: note))
            return .redirect("/referrals/\(made.ref)")
        } catch {
            return form(raw, desk, values: values, refused: error)
        }
    }

    /// The form; a path that names no record gets not_found, as havend would answer.
    static func form(_ raw: String, _ desk: Desk, values: ReferFormView.Values, refused: HavenError? = nil,
                     status: Int = 200) -> DeskResponse {
        let title = ReferFormView.title(desk.words)
        guard let id = try? RecordID(raw) else {
            return desk.refusalPage(title: title, section: .records,
                                    HavenError(.notFound, desk.words("There is no such record, or it is not shown to you."),
                                               hint: desk.words("Open records from your list of records.")))
        }
        let body = ReferFormView.render(record: id.rawValue, from: desk.agency, labels: desk.referralLabels, csrfField: desk.csrfField,
                                        values: values, refusal: refused.map { desk.refusal($0) } ?? .empty)
        return desk.page(title: title, section: .records, body: body, status: refused.map { RefusalView.status(for: $0.code) } ?? status)
    }
}
