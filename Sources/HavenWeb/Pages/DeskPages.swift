/// Every signed-in page of the desk, by capability: one registrar per folder under Pages/.
enum DeskPages {
    static func routes() -> DeskRoutes {
        var routes = DeskRoutes()
        RecordReadPages.register(&routes)
        RecordWritePages.register(&routes)
        ReferralPages.register(&routes)
        return routes
    }
}
