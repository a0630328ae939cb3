import HavenAPI
import HavenCore
import HavenDesk

/// GET /referrals: the referrals sent to the person's agency and those it sent, as havend
/// lists them to this person (only those they are a party to).
enum ReferralListPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        do throws(HavenError) {
            let incoming: ReferralListResponse = try await desk.vault.get("/v1/referrals?direction=incoming")
            let outgoing: ReferralListResponse = try await desk.vault.get("/v1/referrals?direction=outgoing")
            return desk.page(title: w("Referrals"), section: .referrals,
                             body: ReferralListView.render(incoming: incoming, outgoing: outgoing, labels: desk.referralLabels))
        } catch {
            return desk.refusalPage(title: w("Referrals"), section: .referrals, error)
        }
    }
}
