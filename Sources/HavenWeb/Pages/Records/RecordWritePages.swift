/// The pages that change records: a new record from the schema, an edit, a note, an
/// assignment, consent, and an erasure; each through the API call the CLI makes, each
/// answered with a redirect to the record page once havend has taken the change.
enum RecordWritePages {
    static func register(_ routes: inout DeskRoutes) {
        routes.get("/records/new", NewRecordPage.show)
        routes.post("/records/new", NewRecordPage.submit)
        routes.get("/records/:id/note", NotePage.show)
        routes.post("/records/:id/note", NotePage.submit)
        routes.get("/records/:id/consent", ConsentPage.show)
        routes.post("/records/:id/consent", ConsentPage.submit)
        routes.get("/records/:id/edit", EditRecordPage.show)
        routes.post("/records/:id/edit", EditRecordPage.submit)
        routes.get("/records/:id/assign", AssignPage.show)
        routes.post("/records/:id/assign", AssignPage.assign)
        routes.post("/records/:id/unassign", AssignPage.unassign)
        routes.get("/records/:id/erase", ErasePage.show)
        routes.post("/records/:id/erase", ErasePage.submit)
    }
}
