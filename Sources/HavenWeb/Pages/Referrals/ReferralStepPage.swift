import HavenAPI
import HavenClient
import HavenCore
import HavenDesk

/// POST /referrals/:ref/accept|decline|revoke|close|assign|unassign: the same calls as `haven referral
/// <verb>`. Done, the person goes back to the referral (303); refused, the referral page is
/// shown again with havend's words and what they typed, under the status that fits.
enum ReferralStepPage {
    static let verbs = ["accept", "decline", "revoke", "close", "assign", "unassign"]

    static func take(_ verb: String, _ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let raw = request.parameters["ref"] ?? ""
        let kept = ReferralStepForms.Kept(verb: verb, reason: request.form["reason"], assign: request.form["assign"])
        guard let ref = try? ReferralID(raw) else {
            return desk.refusalPage(title: desk.words("Referral"), section: .referrals, ReferralDetailPage.notFound(desk.words))
        }
        let body: ReferralStepRequest
        switch verb {
        case "accept": body = ReferralStepRequest(assign: request.field("assign"))
        case "unassign": body = ReferralStepRequest()
        case "assign":
            guard let user = request.field("assign") else {
                return await ReferralDetailPage.render(raw, desk, refused: HavenError(.invalidValue, desk.words("Name the user of your agency who works it.")), kept: kept)
            }
            body = ReferralStepRequest(assign: user)
        default:
            guard let reason = request.field("reason") else {
                return await ReferralDetailPage.render(raw, desk, refused: HavenError(.invalidValue, desk.words("Give a reason.")), kept: kept)
            }
            body = ReferralStepRequest(reason: reason)
        }
        do throws(HavenError) {
            let _: ReferralWriteResponse = try await desk.vault.post("/v1/referrals/\(HavenClient.escape(ref.rawValue))/\(verb)", body)
            return .redirect("/referrals/\(ref.rawValue)")
        } catch {
            return await ReferralDetailPage.render(raw, desk, refused: error, kept: kept)
        }
    }
}
