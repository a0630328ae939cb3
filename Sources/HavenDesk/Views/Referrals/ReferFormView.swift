/// The form that refers a record to another agency for a service: the agencies that offer
/// a service of the policy, the services, why (into the audit log), and a note the receiving
/// agency reads once it accepts. Values typed before a refusal or a failed check are kept.
public enum ReferFormView {
    /// What the person chose and typed, and what was wrong with it.
    public struct Values: Sendable, Equatable {
        public var agency: String?
        public var service: String?
        public var reason: String?
        public var note: String?
        /// Check errors by field name (agency, service, reason, note).
        public var errors: [String: String]

        public init(agency: String? = nil, service: String? = nil, reason: String? = nil, note: String? = nil,
                    errors: [String: String] = [:]) {
            self.agency = agency
            self.service = service
            self.reason = reason
            self.note = note
            self.errors = errors
        }
    }

    /// - Parameter from: the person's agency, which holds the record and is not offered.
    /// The page's title: generic words only, because the browser's history keeps titles on a
    /// shared PC (never a case number, a name or anything else of the survivor).
    public static func title(_ w: Words) -> String { w("Refer to another agency") }

    public static func render(record id: String, from: String, labels: ReferralLabels, csrfField: HTML,
                              values: Values = .init(), refusal: HTML = .empty) -> HTML {
        let w = labels.words
        let offers = labels.offers(from: from).filter { !$0.agencies.isEmpty }
        let agencyIDs = Set(offers.flatMap(\.agencies)).sorted { labels.agency($0) < labels.agency($1) }
        let agencyOptions = agencyIDs.map { id -> HTML in
            let services = offers.filter { $0.agencies.contains(id) }.map { labels.service($0.service) }.joined(separator: ", ")
            return "<option value=\"\(id)\"\(selected(values.agency == id))>\(labels.agency(id)) — \(services)</option>"
        }
        let serviceOptions = offers.map { o -> HTML in
            "<option value=\"\(o.service)\"\(selected(values.service == o.service))>\(labels.service(o.service))</option>"
        }
        return """
        \(refusal)<form id="refer" method="post" action="/records/\(id)/refer" autocomplete="off">\(csrfField)
        <p class="hint">\(w("The receiving agency sees only the service, the date and your agency until it accepts. The survivor's consent for the service must be recorded first."))</p>
        <label for="refer-agency">\(w("Agency"))</label>
        <select id="refer-agency" name="agency" required><option value="">\(w("Choose an agency"))</option>\(HTML.join(agencyOptions))</select>\(error(values, "agency"))
        <label for="refer-service">\(w("Service"))</label>
        <select id="refer-service" name="service" required><option value="">\(w("Choose a service"))</option>\(HTML.join(serviceOptions))</select>\(error(values, "service"))
        <label for="refer-reason">\(w("Why the survivor is referred"))</label>
        <textarea id="refer-reason" name="reason" autocomplete="off" required maxlength="1000" rows="2">\(values.reason ?? "")</textarea>\(error(values, "reason"))
        <p class="hint">\(w("This goes into the audit log: say why, never who."))</p>
        <label for="refer-note">\(w("Note for the receiving agency (optional)"))</label>
        <textarea id="refer-note" name="note" autocomplete="off" maxlength="10000" rows="4">\(values.note ?? "")</textarea>\(error(values, "note"))
        <p class="hint">\(w("Sealed with the record; the receiving agency reads it once it accepts."))</p>
        <button id="refer-submit" type="submit">\(w("Refer"))</button>
        <a id="refer-cancel" href="/records/\(id)">\(w("Back to the record"))</a></form>
        """
    }

    static func selected(_ yes: Bool) -> HTML { yes ? " selected" : .empty }

    static func error(_ values: Values, _ field: String) -> HTML {
        values.errors[field].map { HTML("<p class=\"field-error\" data-for=\"\(field)\">\($0)</p>") } ?? .empty
    }
}
