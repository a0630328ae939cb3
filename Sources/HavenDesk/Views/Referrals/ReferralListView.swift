import HavenAPI

/// The referrals page: those sent to the person's agency and those it sent, each a row of
/// what the referral is (service, agencies, state, dates) and never anything of the survivor.
public enum ReferralListView {
    public static func render(incoming: ReferralListResponse, outgoing: ReferralListResponse, labels: ReferralLabels) -> HTML {
        let w = labels.words
        let unverified = incoming.unverified + outgoing.unverified
        let warning: HTML = unverified == 0 ? .empty : """
            <p class="warning" role="alert">\(w("{count} referrals disagree with their records and are not listed: tell an auditor.", ["count": String(unverified)]))</p>
            """
        return """
        \(warning)<section id="referrals-incoming"><h2>\(w("Sent to your agency"))</h2>
        \(table("incoming", incoming.referrals, incoming: true, labels: labels))</section>
        <section id="referrals-outgoing"><h2>\(w("Sent by your agency"))</h2>
        \(table("outgoing", outgoing.referrals, incoming: false, labels: labels))</section>
        """
    }

    static func table(_ id: String, _ referrals: [ReferralSummary], incoming: Bool, labels: ReferralLabels) -> HTML {
        let w = labels.words
        var rows = referrals.map { r -> HTML in
            let other = incoming ? r.from : r.to
            return """
            <tr data-referral="\(r.ref)"><td><a class="referral-link" href="/referrals/\(r.ref)">\(r.ref)</a></td>\
            <td>\(labels.service(r.service))</td><td>\(labels.agency(other))</td>\
            <td class="state" data-state="\(r.status)">\(labels.status(r.status))</td>\
            <td>\(ReferralLabels.time(r.createdAt))</td><td>\(ReferralLabels.time(r.updatedAt))</td>\
            <td>\(r.assignee ?? "")</td></tr>
            """
        }
        if rows.isEmpty { rows = ["<tr class=\"empty\"><td colspan=\"7\">\(w("No referrals."))</td></tr>"] }
        return """
        <table id="\(id)"><thead><tr><th scope="col">\(w("Referral"))</th><th scope="col">\(w("Service"))</th>\
        <th scope="col">\(incoming ? w("From") : w("To"))</th><th scope="col">\(w("State"))</th>\
        <th scope="col">\(w("Sent"))</th><th scope="col">\(w("Last change"))</th><th scope="col">\(w("Worked by"))</th></tr></thead>
        <tbody>\(HTML.join(rows))</tbody></table>
        """
    }
}
