import HavenCore
import HavenDesk
import HavenPolicy

/// What every referral page takes from the person's desk: the labels in their language and
/// who they are to a referral.
extension Desk {
    var referralLabels: ReferralLabels { ReferralLabels(words: words, policy: policy) }

    var referralViewer: ReferralViewer {
        let reach = (try? RoleName(role)).flatMap { policy.role($0)?.reach }
        return ReferralViewer(user: user, agency: agency, reachesAgency: reach == .agency)
    }

    /// A page that says only havend's refusal, with the status it fits.
    func refusalPage(title: String, section: PageFrame.Section, _ error: HavenError) -> DeskResponse {
        page(title: title, section: section, body: refusal(error), status: RefusalView.status(for: error.code))
    }
}
