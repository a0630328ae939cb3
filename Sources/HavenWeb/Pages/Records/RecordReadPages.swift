/// The routes of this folder's pages: the lists, a record, its print view, a name shown on
/// request, and the search for a returning survivor.
enum RecordReadPages {
    static func register(_ routes: inout DeskRoutes) {
        routes.get("/records", RecordListPage.show)
        routes.post("/records/:id/name", RecordNamePage.reveal)
        routes.get("/records/:id", RecordPage.show)
        routes.post("/records/:id/break-glass", RecordPage.breakGlass)
        routes.get("/records/:id/print", RecordPrintPage.show)
        routes.get("/find", FindPage.show)
        routes.post("/find", FindPage.find)
    }
}
