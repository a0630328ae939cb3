import HavenAPI
import HavenCore
import HavenDesk

/// GET and POST `/records/:id/consent`: the consent now and its history (`consent show`),
/// and grants and withdrawals flag by flag (`consent grant`, `consent withdraw`).
enum ConsentPage {
    static func show(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        return await page(id, notice: .empty, status: 200, desk)
    }

    static func submit(_ request: DeskRequest, _ desk: Desk) async -> DeskResponse {
        guard let id = RecordWriteSupport.recordID(request) else { return RecordWriteSupport.noSuchRecord(desk) }
        let action = request.form["action"]
        guard action == "grant" || action == "withdraw" else {
            return await page(id, notice: problem(desk.words("Choose to record a consent or a withdrawal.")), status: 400, desk)
        }
        let known = Set(ConsentFlag.allCases.map(\.rawValue))
        let flags = ConsentFlag.allCases.map(\.rawValue).filter(Set(chosenFlags(request)).contains)
        guard !flags.isEmpty, chosenFlags(request).allSatisfy(known.contains) else {
            return await page(id, notice: problem(desk.words("Tick at least one consent.")), status: 400, desk)
        }
        var evidence: String?
        var expires: String?
        if action == "grant" {
            // No file chosen: the browser sends an empty part, which is no evidence at all.
            if let file = request.files["evidence"], file.byteCount > 0 {
                guard ConsentEvidence.isDigest(file.digest) else {
                    return await page(id, notice: problem(desk.words("The signed form could not be read. Choose the file again.")),
                                      status: 400, desk)
                }
                evidence = file.digest
            }
            expires = request.field("expires")
        }
        // One change per flag, as the CLI makes them; a refusal stops at that flag and says
        // which were recorded before it, so nothing is left unsaid.
        var done = [String]()
        for flag in flags {
            do throws(HavenError) {
                let body = ConsentChangeRequest(flag: flag, action: action ?? "", evidence: evidence, expires: expires)
                let _: RecordWriteResponse = try await desk.vault.post(RecordWriteSupport.apiPath(id, "/consent"), body)
                done.append(flag)
            } catch {
                var notice = desk.refusal(error)
                if !done.isEmpty {
                    let names = done.map { ClassWords.consentFlag($0, desk.words) }.joined(separator: ", ")
                    notice = notice + HTML("<p class=\"partial\">\(desk.words("Recorded before the refusal: {flags}.", ["flags": names]))</p>")
                }
                return await page(id, notice: notice, status: RecordWriteSupport.status(of: error), desk)
            }
        }
        return .redirect(RecordWriteSupport.recordPage(id))
    }

    static func chosenFlags(_ request: DeskRequest) -> [String] {
        var flags = request.formLists["flag"] ?? []
        if let one = request.form["flag"], !flags.contains(one) { flags.append(one) }
        return flags
    }

    static func problem(_ text: String) -> HTML {
        "<p class=\"refusal\" role=\"alert\">\(text)</p>"
    }

    /// The page with the consent as havend gives it now (a refusal to read it is shown,
    /// and the forms stay: a role may record consent without reading it back).
    static func page(_ id: String, notice: HTML, status: Int, _ desk: Desk) async -> DeskResponse {
        var notice = notice
        var consent: ConsentResponse?
        var status = status
        if RecordWriteSupport.may(.consentRead, desk) {
            do throws(HavenError) {
                consent = try await desk.vault.get(RecordWriteSupport.apiPath(id, "/consent"))
            } catch {
                notice = notice + desk.refusal(error)
                if status == 200 { status = RecordWriteSupport.status(of: error) }
            }
        }
        let state = ConsentFormView.State(consent: consent, mayRecord: RecordWriteSupport.may(.consentRecord, desk), notice: notice)
        let body = ConsentFormView.render(recordID: id, state: state, csrfField: desk.csrfField, words: desk.words)
        return desk.page(title: ConsentFormView.title(desk.words), section: .records, body: body, status: status)
    }
}
