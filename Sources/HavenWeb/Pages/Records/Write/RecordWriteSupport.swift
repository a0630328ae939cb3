import HavenClient
import HavenCore
import HavenDesk
import HavenPolicy

/// What every page that changes a record needs: the record id from the path (checked
/// before it reaches a form's action or havend's path), the person's role as the policy
/// reads it, the schema's words in their language, and havend's refusals as pages.
enum RecordWriteSupport {
    /// The `:id` of the path when it is a record id; nil otherwise (a page answers 404
    /// without asking havend, so no other text is ever echoed into a form's action).
    static func recordID(_ request: DeskRequest) -> String? {
        guard let raw = request.parameters["id"], let id = try? RecordID(raw) else { return nil }
        return id.rawValue
    }

    /// havend's path for a record (`/v1/records/ID` + `suffix`).
    static func apiPath(_ id: String, _ suffix: String = "") -> String {
        "/v1/records/\(HavenClient.escape(id))\(suffix)"
    }

    /// The desk's path of a record page, where every successful change leads.
    static func recordPage(_ id: String) -> String {
        "/records/\(id)"
    }

    static func role(_ desk: Desk) -> RolePolicy? {
        (try? RoleName(desk.role)).flatMap { desk.policy.roles[$0] }
    }

    static func may(_ action: Action, _ desk: Desk) -> Bool {
        role(desk)?.actions.contains(action) ?? false
    }

    static func labels(_ desk: Desk) -> SchemaLabels {
        SchemaLabels(policy: desk.policy, language: desk.words.language.rawValue)
    }

    /// The HTTP status that fits havend's refusal (the front's one table of them).
    static func status(of error: HavenError) -> Int {
        RefusalView.status(for: error.code)
    }

    /// A page that only says why nothing could be done, with a way back to the record.
    static func refusalPage(_ error: HavenError, title: String, recordID: String?, _ desk: Desk) -> DeskResponse {
        let back: HTML = recordID.map { HTML("<p><a href=\"/records/\($0)\">\(desk.words("Back to the record"))</a></p>") }
            ?? "<p><a href=\"/records\">\(desk.words("Back to the records"))</a></p>"
        return desk.page(title: title, section: .records, body: desk.refusal(error) + back, status: status(of: error))
    }

    /// The answer to a path whose record id is not one.
    static func noSuchRecord(_ desk: Desk) -> DeskResponse {
        refusalPage(HavenError(.notFound, desk.words("There is no such record."), hint: nil),
                    title: desk.words("Record not found"), recordID: nil, desk)
    }

    /// What the policy already says the role may not do, shown as havend's refusals are
    /// (havend would refuse it the same way; asking it would only add a denied entry).
    static func notAllowed(_ text: String, _ desk: Desk) -> HTML {
        desk.refusal(HavenError(.denied, text))
    }
}
