import HavenAPI
import HavenCore
import HavenDesk

/// GET /find: the search form. POST /find: the search, as `haven record find` makes it: the
/// values go to havend in the body, and the answer page is the form again (values kept)
/// with the results; nothing of them is put in a URL.
enum FindPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        return desk.page(title: w("Find a returning survivor"), section: .find,
                         body: FindView.form(.init(), csrfField: desk.csrfField, error: nil, words: w))
    }

    static func find(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        let w = desk.words
        let title = w("Find a returning survivor")
        let values = FindView.Values(name: request.field("name") ?? "", phone: request.field("phone") ?? "",
                                     dob: request.field("dob") ?? "", purpose: FindPurpose.from(request.field("purpose")))
        func form(_ error: String?) -> HTML { FindView.form(values, csrfField: desk.csrfField, error: error, words: w) }
        guard request.field("name") != nil || request.field("phone") != nil || request.field("dob") != nil else {
            return desk.page(title: title, section: .find, body: form(w("Give a name, a phone number or a date of birth.")), status: 400)
        }
        let body = FindRecordsRequest(name: request.field("name"), phone: request.field("phone"), dob: request.field("dob"),
                                      purpose: values.purpose.audited)
        do throws(HavenError) {
            let found: FindRecordsResponse = try await desk.vault.post("/v1/records/find", body)
            let labels = ReadLabels(words: w, policy: desk.policy)
            return desk.page(title: title, section: .find, body: form(nil) + FindView.results(found, labels: labels))
        } catch {
            var said = desk.refusal(error)
            if error.code == .rateLimited {
                let seconds = retrySeconds(error.hint) ?? 10
                said = "<p id=\"rate-limited\" role=\"alert\">\(w("Too many searches in a short time. Try again in {n} seconds.", ["n": String(seconds)]))</p>"
            }
            return desk.page(title: title, section: .find, body: form(nil) + said, status: ReadRefusal.status(error))
        }
    }

    /// The seconds in havend's hint "try again in 12 s".
    static func retrySeconds(_ hint: String?) -> Int? {
        guard let hint, let range = hint.range(of: "try again in ") else { return nil }
        return Int(hint[range.upperBound...].prefix { $0.isNumber })
    }
}
