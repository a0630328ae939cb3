import HavenAPI
import HavenCore
import HavenDesk
import HavenPolicy

/// GET and POST `/records/:id/erase`: `record erase` with a reason of the policy's list,
/// after a second page that asks once more. Nothing is sent to havend before that answer.
enum ErasePage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        return choose(id, reason: nil, reference: "", error: nil, notice: .empty, desk)
    }

    static func submit(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        let code = request.field("reason")
        let reference = request.field("reference")
        guard RecordWriteSupport.may(.recordErase, desk) else {
            return choose(id, reason: nil, reference: "", error: nil,
                          notice: RecordWriteSupport.notAllowed(desk.words("Your role may not erase records."), desk), desk, status: 403)
        }
        let reasons = EraseFormView.reasons(desk.policy, words: desk.words)
        guard let code, let reason = reasons.first(where: { $0.code == code }) else {
            return choose(id, reason: nil, reference: reference ?? "", error: desk.words("Choose why the record is erased."),
                          notice: .empty, desk, status: 400)
        }
        if let problem = problem(code, reference, desk) {
            return choose(id, reason: code, reference: reference ?? "", error: problem, notice: .empty, desk, status: 400)
        }
        guard request.form["confirm"] == "erase" else {
            let body = EraseFormView.confirm(recordID: id, reason: reason, reference: reference, csrfField: desk.csrfField,
                                             words: desk.words)
            return desk.page(title: desk.words("Erase the record?"), section: .records, body: body)
        }
        do throws(HavenError) {
            let _: EraseRecordResponse = try await desk.vault.post(RecordWriteSupport.apiPath(id, "/erase"),
                                                                   EraseRecordRequest(reason: code, reference: reference))
            return .redirect(RecordWriteSupport.recordPage(id))
        } catch {
            return choose(id, reason: code, reference: reference ?? "", error: nil, notice: desk.refusal(error), desk,
                          status: RecordWriteSupport.status(of: error))
        }
    }

    /// What is wrong with the reference for this reason, as the policy's rule says (havend
    /// checks it again with the same rule).
    static func problem(_ code: String, _ reference: String?, _ desk: Desk) -> String? {
        guard let rule = desk.policy.erasure.reasons[code]?.reference else { return nil }
        switch (rule, reference) {
        case (.required, nil):
            return desk.words("This reason needs a reference, such as the court order's number.")
        case (.none, .some):
            return desk.words("This reason takes no reference.")
        case (_, .some(let r)) where !ErasureReasons.isReference(r):
            return desk.words("A reference is 1 to 40 characters: letters A-Z, digits and / . - _ : with at least one digit, and no spaces.")
        default:
            return nil
        }
    }

    static func choose(_ id: String, reason: String?, reference: String, error: String?, notice: HTML, _ desk: Desk,
                       status: Int = 200) -> DeskResponse {
        let body: HTML = RecordWriteSupport.may(.recordErase, desk)
            ? EraseFormView.choose(recordID: id, reasons: EraseFormView.reasons(desk.policy, words: desk.words), reason: reason,
                                   reference: reference, error: error, notice: notice, csrfField: desk.csrfField, words: desk.words)
            : (notice == .empty ? "<p class=\"empty\">\(desk.words("Your role may not erase records."))</p>" : notice)
                + "<p><a href=\"/records/\(id)\">\(desk.words("Back to the record"))</a></p>"
        return desk.page(title: desk.words("Erase the record"), section: .records, body: body, status: status)
    }
}
