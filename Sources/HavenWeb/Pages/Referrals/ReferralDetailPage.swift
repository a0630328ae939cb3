import HavenAPI
import HavenClient
import HavenCore
import HavenDesk

/// GET /referrals/:ref: one referral, its steps and the forms of the steps the person's side
/// may take. To someone with no part in it havend answers not_found, and so does the page.
enum ReferralDetailPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        await render(request.parameters["ref"] ?? "", desk)
    }

    /// The page, with a refused step's refusal and typed words when a step was just refused.
    static func render(_ raw: String, _ desk: Desk, refused: HavenError? = nil, kept: ReferralStepForms.Kept = .init()) async -> DeskResponse {
        let w = desk.words
        let title = ReferralDetailView.title(w)
        guard let ref = try? ReferralID(raw) else { return desk.refusalPage(title: title, section: .referrals, notFound(desk.words)) }
        do throws(HavenError) {
            let detail: ReferralDetail = try await desk.vault.get("/v1/referrals/\(HavenClient.escape(ref.rawValue))")
            let body = ReferralDetailView.render(detail, viewer: desk.referralViewer, labels: desk.referralLabels, csrfField: desk.csrfField,
                                                 refusal: refused.map { desk.refusal($0) } ?? .empty, kept: kept)
            return desk.page(title: title, section: .referrals, body: body, status: refused.map { RefusalView.status(for: $0.code) } ?? 200)
        } catch {
            return desk.refusalPage(title: title, section: .referrals, refused ?? error)
        }
    }

    /// What a path that names no referral gets: the same words as one hidden from the person.
    static func notFound(_ w: Words) -> HavenError {
        HavenError(.notFound, w("There is no such referral, or it is not shown to you."), hint: w("Open referrals from the list of referrals."))
    }
}
