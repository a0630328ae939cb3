import HavenAPI
import HavenCore
import HavenDesk

/// POST /records/:id/name: one survivor's name for the list, at the person's request. An
/// audited read of the record type's name fields and nothing else, with the purpose saying
/// exactly that; the answer is the name as plain text for the desk's script.
enum RecordNamePage {
    static func reveal(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        guard let id = request.parameters["id"] else { return .text(w("This record cannot be found."), status: 404) }
        let labels = ReadLabels(words: w, policy: desk.policy)
        // The row's record type when the script sends it (`type`, from the row's data-type);
        // else the name fields every type shares. Never the whole record.
        let fields = labels.nameFields(of: request.field("type"))
        guard !fields.isEmpty else { return .text(w("Open the record to see the name."), status: 404) }
        let body = ReadRecordRequest(purpose: ReadPurpose.revealName, fields: fields, breakGlass: nil)
        do throws(HavenError) {
            let r: ReadRecordResponse = try await desk.vault.post("/v1/records/\(ReadRefusal.escape(id))/read", body)
            let names = fields.compactMap { r.fields[$0] ?? nil }.filter { !$0.isEmpty }
            if names.isEmpty {
                return .text(r.withheld.isEmpty ? w("No name recorded.") : w("The name is not shown to your role."),
                             status: r.withheld.isEmpty ? 200 : 403)
            }
            return .text(names.joined(separator: " "))
        } catch {
            let status = ReadRefusal.status(error)
            switch status {
            case 403: return .text(w("You may not see this name."), status: 403)
            case 404: return .text(w("This record cannot be found."), status: 404)
            case 429: return .text(w("Too many requests: wait a moment and try again."), status: 429)
            default: return .text(w("The name cannot be shown now: {reason}", ["reason": error.message]), status: status)
            }
        }
    }
}
