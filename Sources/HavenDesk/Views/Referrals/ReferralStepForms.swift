import HavenAPI

/// The forms of the steps one side of a referral may take in its present state: the
/// receiving agency's desk accepts (naming who works it) or declines a waiting one and
/// assigns an accepted one; the sender revokes a live one; either side closes an accepted
/// one. The desk may also unname who works it. Each reason goes into the audit log, so the forms say: why, never who.
public enum ReferralStepForms {
    /// What the person typed into a form havend refused, shown again in that form.
    public struct Kept: Sendable, Equatable {
        public var verb: String?
        public var reason: String?
        public var assign: String?

        public init(verb: String? = nil, reason: String? = nil, assign: String? = nil) {
            self.verb = verb
            self.reason = reason
            self.assign = assign
        }
    }

    /// The verbs whose forms `viewer` is shown for `r`, in the order they appear.
    public static func verbs(_ r: ReferralSummary, viewer: ReferralViewer) -> [String] {
        let receiving = viewer.agency == r.to && viewer.reachesAgency
        let sender = viewer.agency == r.from && (viewer.reachesAgency || r.createdBy == viewer.user)
        let closer = (viewer.agency == r.from || viewer.agency == r.to)
            && (viewer.reachesAgency || r.createdBy == viewer.user || r.assignee == viewer.user)
        var verbs: [String] = []
        if r.status == "pending" && receiving { verbs += ["accept", "decline"] }
        if r.status == "accepted" && receiving { verbs.append("assign") }
        if r.status == "accepted" && receiving && r.assignee != nil { verbs.append("unassign") }
        if r.status == "accepted" && closer { verbs.append("close") }
        if (r.status == "pending" || r.status == "accepted") && sender { verbs.append("revoke") }
        return verbs
    }

    public static func render(_ r: ReferralSummary, viewer: ReferralViewer, words w: Words, csrfField: HTML, kept: Kept) -> HTML {
        let forms = verbs(r, viewer: viewer).map { verb -> HTML in
            let mine = kept.verb == verb ? kept : Kept()
            let action = "/referrals/\(r.ref)/\(verb)"
            switch verb {
            case "unassign":
                return """
                <form id="unassign" class="referral-step" method="post" action="\(action)" autocomplete="off">\(csrfField)\
                <button id="unassign-submit" type="submit">\(w("Remove the user who works it"))</button></form>
                """
            case "accept", "assign":
                let title = verb == "accept" ? w("Accept this referral") : w("Who works this referral")
                let button = verb == "accept" ? w("Accept") : w("Assign")
                return """
                <form id="\(verb)" class="referral-step" method="post" action="\(action)" autocomplete="off">\(csrfField)<h3>\(title)</h3>
                <label for="\(verb)-user">\(verb == "accept" ? w("A user of your agency who works it (optional)") : w("A user of your agency who works it"))</label>
                <input id="\(verb)-user" name="assign" type="text" autocomplete="off" spellcheck="false" maxlength="64" value="\(mine.assign ?? "")"\(verb == "assign" ? HTML(" required") : .empty)>
                <p class="hint">\(w("A counsellor reaches the record only when named here."))</p>
                <button id="\(verb)-submit" type="submit">\(button)</button></form>
                """
            default:
                let (title, button): (String, String) = switch verb {
                case "decline": (w("Decline this referral"), w("Decline"))
                case "revoke": (w("Revoke this referral"), w("Revoke"))
                default: (w("Close this referral: the service is done"), w("Close"))
                }
                return """
                <form id="\(verb)" class="referral-step" method="post" action="\(action)" autocomplete="off">\(csrfField)<h3>\(title)</h3>
                <label for="\(verb)-reason">\(w("Reason"))</label>
                <textarea id="\(verb)-reason" name="reason" autocomplete="off" required maxlength="1000" rows="2">\(mine.reason ?? "")</textarea>
                <p class="hint">\(w("The reason goes into the audit log: say why, never who."))</p>
                <button id="\(verb)-submit" type="submit">\(button)</button></form>
                """
            }
        }
        guard !forms.isEmpty else { return .empty }
        return "<section id=\"referral-actions\">\(HTML.join(forms))</section>"
    }
}
