import HavenAPI
import HavenCore
import HavenDesk

/// GET and POST `/records/:id/note`: `note add`, in a class the person's role may write.
enum NotePage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        return form(id, text: "", chosen: nil, error: nil, notice: .empty, desk)
    }

    static func submit(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        let text = request.form["text"] ?? ""
        let chosen = request.form["class"]
        guard !classes(desk).isEmpty else {
            return form(id, text: "", chosen: nil, error: nil, notice: RecordWriteSupport.notAllowed(desk.words("Your role may not add notes."), desk),
                        desk, status: 403)
        }
        guard let noteClass = chosen, classes(desk).contains(noteClass) else {
            return form(id, text: text, chosen: nil, error: nil,
                        notice: "<p class=\"refusal\" role=\"alert\">\(desk.words("Choose the kind of note."))</p>", desk, status: 400)
        }
        if let problem = problem(text, desk.words) {
            return form(id, text: text, chosen: noteClass, error: problem, notice: .empty, desk, status: 400)
        }
        do throws(HavenError) {
            let _: RecordWriteResponse = try await desk.vault.post(RecordWriteSupport.apiPath(id, "/notes"),
                                                                    AddNoteRequest(noteClass: noteClass, text: text))
            return .redirect(RecordWriteSupport.recordPage(id))
        } catch {
            return form(id, text: text, chosen: noteClass, error: nil, notice: desk.refusal(error), desk,
                        status: RecordWriteSupport.status(of: error))
        }
    }

    /// The note classes the role may write, in the policy's order of classes.
    static func classes(_ desk: Desk) -> [String] {
        guard RecordWriteSupport.may(.noteAdd, desk), let role = RecordWriteSupport.role(desk) else { return [] }
        return role.noteClasses.keys.sorted().map(\.rawValue)
    }

    static func problem(_ text: String, _ words: Words) -> String? {
        if text.allSatisfy(\.isWhitespace) { return words("Write the note.") }
        if text.unicodeScalars.count > NoteFormView.maximumLength {
            return words("At most {count} characters.", ["count": String(NoteFormView.maximumLength)])
        }
        if text.unicodeScalars.contains(where: RecordFormCheck.isRefusedControl) {
            return words("This contains a control character, which cannot be stored. Type the value again.")
        }
        return nil
    }

    static func form(_ id: String, text: String, chosen: String?, error: String?, notice: HTML, _ desk: Desk,
                     status: Int = 200) -> DeskResponse {
        let body = NoteFormView.render(recordID: id, classes: classes(desk), text: text, chosen: chosen, error: error,
                                       notice: notice, csrfField: desk.csrfField, words: desk.words)
        return desk.page(title: desk.words("Add a note"), section: .records, body: body, status: status)
    }
}
