import Foundation
import HavenCore
import HavenCrypto
import HavenDesk

/// The invitation: a person chooses a passphrase, the desk makes their key pair, and the
/// page shows the public key and the administrator's enrol command.
extension DeskFront {
    func invitationPage(_ request: FrontRequest, token: String, message: String? = nil, status: Int = 200) -> FrontAnswer {
        let w = words(request)
        guard let name = people.invitationName(token: token) else { return invalidInvitation(request) }
        let (formToken, setCookie) = self.formToken(request)
        let frame = self.frame(request, title: w("Welcome to Haven"), csrfToken: formToken)
        var answer = FrontAnswer.page(Layout.page(frame, body: FrontViews.welcome(frame, token: token, name: name, message: message)), status: status)
        if let setCookie { answer = answer.with("Set-Cookie", setCookie) }
        return answer
    }

    func redeem(_ request: FrontRequest, token: String, form: FormBody) async -> FrontAnswer {
        guard CSRFToken.matches(form.value("_csrf"), request.cookies[SessionCookie.form]) else { return refusedForm(request) }
        let w = words(request)
        guard people.invitationName(token: token) != nil else { return invalidInvitation(request) }
        let passphrase = form.value("passphrase") ?? ""
        // The passphrase is never written back into the page, not even when it is refused.
        guard passphrase.count >= 12 else {
            return invitationPage(request, token: token, message: w("The passphrase needs at least 12 characters."), status: 400)
        }
        guard passphrase == (form.value("confirm") ?? "") else {
            return invitationPage(request, token: token, message: w("The two passphrases are not the same."), status: 400)
        }
        guard let secret = Self.secure(passphrase) else { return invalidInvitation(request) }
        let people = self.people
        let redeemed: (name: String, publicKey: PublicKey)
        do {
            redeemed = try await keyWork.run { () throws(HavenError) -> (name: String, publicKey: PublicKey) in
                try people.redeem(token: token, passphrase: secret)
            }
        } catch {
            logger.notice("invitation refused", metadata: ["code": "\(error.code.rawValue)"])
            if error.code == .invalidValue || error.code == .badRequest {
                return invitationPage(request, token: token, message: error.message, status: 400)
            }
            return invalidInvitation(request)
        }
        logger.info("invitation redeemed", metadata: ["name": "\(redeemed.name)"])
        let frame = self.frame(request, title: w("Your key is ready"))
        let body = FrontViews.enrolment(frame, name: redeemed.name, publicKey: Self.publicKeyLine(redeemed.publicKey),
                                        intro: w("Your passphrase is set. Before you can sign in, an administrator must enrol your key in the vault."))
        return .page(Layout.page(frame, body: body))
    }

    func invalidInvitation(_ request: FrontRequest) -> FrontAnswer {
        let w = words(request)
        return frontPage(request, title: w("This invitation cannot be used"), status: 404,
                         body: FrontViews.message(w("It was used already, it has expired, or the link is not complete. Ask the administrator for a new one.")))
    }
}
