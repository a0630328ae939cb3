/// The pages of the desk's front door: sign-in, the invitation, the lock screen, and the
/// front's own refusals. None of them shows anything of a survivor.
public enum FrontViews {
    /// The sign-in form; `message` says why the last attempt failed (the same words for an
    /// unknown name and a wrong passphrase). The passphrase is never written back.
    public static func signIn(_ frame: PageFrame, name: String?, message: String?) -> HTML {
        let w = frame.words
        return """
        \(notice(message))
        <form id="sign-in" method="post" action="/sign-in" autocomplete="off">\(frame.csrfField)
        <p><label for="sign-in-name">\(w("Your name at this desk"))</label>
        <input id="sign-in-name" name="name" value="\(name ?? "")" autocomplete="off" required autocapitalize="none" spellcheck="false" autofocus></p>
        <p><label for="sign-in-passphrase">\(w("Passphrase"))</label>
        <input id="sign-in-passphrase" name="passphrase" type="password" required autocomplete="off"></p>
        <p><button id="sign-in-submit" type="submit">\(w("Sign in"))</button></p>
        </form>
        """
    }

    /// The invitation's form: the person chooses a passphrase.
    public static func welcome(_ frame: PageFrame, token: String, name: String, message: String?) -> HTML {
        let w = frame.words
        return """
        <p>\(w("Welcome, {name}. Choose a passphrase for this desk: at least 12 characters. A few ordinary words that only you would put together are easy to remember and hard to guess.", ["name": name]))</p>
        \(notice(message))
        <form id="welcome" method="post" action="/invite/\(token)" autocomplete="off">\(frame.csrfField)
        <p><label for="welcome-passphrase">\(w("New passphrase"))</label>
        <input id="welcome-passphrase" name="passphrase" type="password" minlength="12" required autocomplete="new-password" autofocus></p>
        <p><label for="welcome-confirm">\(w("The same passphrase again"))</label>
        <input id="welcome-confirm" name="confirm" type="password" minlength="12" required autocomplete="new-password"></p>
        <p><button id="welcome-submit" type="submit">\(w("Set my passphrase"))</button></p>
        </form>
        """
    }

    /// After the invitation: the new public key and what the administrator must run.
    public static func enrolment(_ frame: PageFrame, name: String, publicKey: String, intro: String) -> HTML {
        let w = frame.words
        let command = enrolCommand(name: name, publicKey: publicKey)
        return """
        <p>\(intro)</p>
        <p>\(w("Your public key (it is not a secret):"))</p>
        <p><code id="public-key">\(publicKey)</code></p>
        <p>\(w("Give it to the administrator, who enrols you with these commands (putting your role and agency in place of ROLE and AGENCY):"))</p>
        <pre id="enrol-command">\(command)</pre>
        <p><a href="/sign-in">\(w("Go to sign-in"))</a></p>
        """
    }

    /// The administrator's commands: the key into a file, then `haven user add`.
    public static func enrolCommand(name: String, publicKey: String) -> String {
        "printf '%s\\n' '\(publicKey)' > \(name).pub\nhaven user add \(name) --role ROLE --agency AGENCY --public-key \(name).pub"
    }

    /// The lock screen: the unlock form and nothing else.
    public static func locked(_ frame: PageFrame, name: String, message: String?) -> HTML {
        let w = frame.words
        return """
        <p>\(w("This desk is locked. {name}, enter your passphrase to go on.", ["name": name]))</p>
        \(notice(message))
        <form id="unlock" method="post" action="/unlock" autocomplete="off">\(frame.csrfField)
        <p><label for="unlock-passphrase">\(w("Passphrase"))</label>
        <input id="unlock-passphrase" name="passphrase" type="password" required autocomplete="off" autofocus></p>
        <p><button id="unlock-submit" type="submit">\(w("Unlock"))</button></p>
        </form>
        <form id="locked-sign-out" method="post" action="/sign-out">\(frame.csrfField)<button type="submit">\(w("Not {name}? Sign out", ["name": name]))</button></form>
        """
    }

    /// A short message page (a refusal of the front's own).
    public static func message(_ text: String, then link: (href: String, label: String)? = nil) -> HTML {
        let after: HTML = link.map { "<p><a href=\"\($0.href)\">\($0.label)</a></p>" } ?? .empty
        return "<p class=\"refusal\" role=\"alert\">\(text)</p>\(after)"
    }

    static func notice(_ message: String?) -> HTML {
        guard let message else { return .empty }
        return "<p class=\"refusal\" role=\"alert\">\(message)</p>"
    }
}
