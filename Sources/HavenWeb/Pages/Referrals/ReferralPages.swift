/// The routes of this folder's pages: the referral lists and one referral with its steps,
/// and the form that refers a record.
enum ReferralPages {
    static func register(_ routes: inout DeskRoutes) {
        routes.get("/referrals", ReferralListPage.show)
        routes.get("/referrals/:ref", ReferralDetailPage.show)
        for verb in ReferralStepPage.verbs {
            routes.post("/referrals/:ref/\(verb)") { request, desk in await ReferralStepPage.take(verb, request, desk) }
        }
        routes.get("/records/:id/refer", ReferPage.show)
        routes.post("/records/:id/refer", ReferPage.refer)
    }
}
