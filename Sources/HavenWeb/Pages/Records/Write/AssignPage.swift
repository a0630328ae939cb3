import HavenAPI
import HavenCore
import HavenDesk

/// GET and POST `/records/:id/assign`, POST `/records/:id/unassign`: `record assign` and
/// `record unassign`, with the user name typed (havend lists users only to administrators).
enum AssignPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        return form(id, user: "", notice: .empty, desk)
    }

    static func assign(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        await change(request, desk, suffix: "/assign")
    }

    static func unassign(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        await change(request, desk, suffix: "/unassign")
    }

    static func change(_ request: DeskRequest, _ desk: Desk, suffix: String) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        guard let user = request.field("user") else {
            return form(id, user: "", notice: "<p class=\"refusal\" role=\"alert\">\(desk.words("Type the user's name."))</p>", desk, status: 400)
        }
        do throws(HavenError) {
            let _: RecordWriteResponse = try await desk.vault.post(RecordWriteSupport.apiPath(id, suffix), AssignRequest(user: user))
            return .redirect(RecordWriteSupport.recordPage(id))
        } catch {
            return form(id, user: suffix == "/assign" ? user : "", notice: desk.refusal(error), desk,
                        status: RecordWriteSupport.status(of: error))
        }
    }

    static func form(_ id: String, user: String, notice: HTML, _ desk: Desk, status: Int = 200) -> DeskResponse {
        let roles = RecordWriteSupport.role(desk)?.assignableRoles.map(\.rawValue).sorted() ?? []
        let body: HTML = RecordWriteSupport.may(.recordAssign, desk)
            ? AssignFormView.render(recordID: id, assignableRoles: roles, user: user, notice: notice, csrfField: desk.csrfField,
                                    words: desk.words)
            : notice + "<p class=\"empty\">\(desk.words("Your role may not assign records."))</p><p><a href=\"/records/\(id)\">\(desk.words("Back to the record"))</a></p>"
        return desk.page(title: desk.words("Assign the record"), section: .records, body: body, status: status)
    }
}
