import HavenDesk

/// What a request may send, decided from its head before any of its body is read: a POST
/// to a signed-in page without an unlocked session is answered at once (the desk reads
/// nothing of it), and only the consent form of an unlocked session may send a file.
enum BodyAdmission: Sendable {
    case read(limit: Int)
    case answer(FrontAnswer)
}

extension DeskFront {
    /// The POST paths of the front's own pages (sign-in, lock, invitations…).
    static let frontPosts: Set<String> = ["/sign-in", "/unlock", "/lock", "/sign-out", "/language", "/touch"]

    func admit(_ probe: FrontRequest) async -> BodyAdmission {
        guard probe.method == "POST" else { return .read(limit: FormBody.urlencodedLimit) }
        if Self.frontPosts.contains(probe.path) || probe.path.hasPrefix("/invite/") {
            return admitLength(probe, limit: FormBody.urlencodedLimit)
        }
        // Looked up, not touched: the idle clock is the pipeline's, once the body is in.
        guard let session = await sessions.session(cookie: probe.cookies[SessionCookie.session]) else { return .answer(.redirect("/sign-in")) }
        guard !session.isLocked else { return .answer(.redirect("/locked")) }
        let evidence = routes.pattern(.post, probe.path) == "/records/:id/consent" && FormBody.isMultipart(probe.header("content-type"))
        return admitLength(probe, limit: evidence ? FormBody.multipartLimit : FormBody.urlencodedLimit)
    }

    private func admitLength(_ probe: FrontRequest, limit: Int) -> BodyAdmission {
        if let length = probe.header("content-length").flatMap(Int.init), length > limit { return .answer(tooLarge(probe)) }
        return .read(limit: limit)
    }
}
