import Foundation
import HavenAPI
import HavenCore
import HavenDesk

/// GET /records/:id/print: the record on paper, read with the purpose of printing it for
/// the case file (so the audit log says a paper copy was made), without the menu.
enum RecordPrintPage {
    static let purpose = "printing the record for the paper case file (web desk)"

    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        guard let id = request.parameters["id"] else { return RecordPage.notFound(desk) }
        let body = ReadRecordRequest(purpose: purpose, fields: nil, breakGlass: nil)
        do throws(HavenError) {
            let r: ReadRecordResponse = try await desk.vault.post("/v1/records/\(ReadRefusal.escape(id))/read", body)
            let labels = ReadLabels(words: w, policy: desk.policy)
            let now = ISO8601DateFormatter().string(from: Date())
            let html = RecordPrintView.render(r, printedBy: desk.user, printedAt: now, labels: labels)
            let title = RecordPrintView.title(w)
            return .page(Layout.printPage(desk.frame(title: title, section: .none), body: html))
        } catch {
            return desk.page(title: w("Record"), section: .records, body: desk.refusal(error), status: ReadRefusal.status(error))
        }
    }
}
