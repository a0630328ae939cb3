/// The page around every page's content: the menu, the language choice, the lock and
/// sign-out buttons, and the desk's one script and style sheet (no inline script or style:
/// the Content-Security-Policy allows neither).
public enum Layout {
    public static func page(_ frame: PageFrame, body: HTML) -> HTML {
        let w = frame.words
        let signedIn = frame.person != nil
        // The script runs the idle timers and the lock gesture only for a signed-in person.
        let data: HTML = signedIn
            ? "data-csrf=\"\(frame.csrfToken ?? "")\" data-idle-warning=\"\(frame.idleWarningSeconds)\" data-idle-lock=\"\(frame.idleLockSeconds)\""
            : "data-csrf=\"\(frame.csrfToken ?? "")\""
        return """
        \(head(frame))
        <body \(data)>
        <a class="skip-link" href="#content">\(w("Skip to the page's content"))</a>
        <header class="desk-header">\(header(frame))</header>
        <div id="idle-warning" class="idle-warning" role="alertdialog" aria-live="assertive" hidden>\
        <p>\(w("This desk will lock soon because nobody has used it. Move the mouse or press a key to stay."))</p></div>
        <main id="content" tabindex="-1"><h1>\(frame.title)</h1>
        \(body)
        </main></body></html>
        """
    }

    /// A page for paper: no menu, no controls, the print style sheet; the script still
    /// runs the lock, so a printed record left on screen locks like any other page.
    public static func printPage(_ frame: PageFrame, body: HTML) -> HTML {
        """
        \(head(frame))
        <body class="print-view" data-csrf="\(frame.csrfToken ?? "")" data-idle-warning="\(frame.idleWarningSeconds)" data-idle-lock="\(frame.idleLockSeconds)">
        <main id="content"><h1>\(frame.title)</h1>
        \(body)
        </main></body></html>
        """
    }

    /// The document's start: language, no online translation (Chrome would send a record's
    /// words to a translator), no referrer, the title (never a survivor's data: browsers keep
    /// titles in their history), the one style sheet and the one script.
    static func head(_ frame: PageFrame) -> HTML {
        """
        <!DOCTYPE html>
        <html lang="\(frame.words.language.rawValue)" translate="no">
        <head><meta charset="utf-8"><meta name="google" content="notranslate"><meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="referrer" content="no-referrer">
        <title>\(frame.title) · Haven</title>
        <link rel="stylesheet" href="/static/desk.css"><script src="/static/desk.js" defer></script></head>
        """
    }

    /// The menu, who is signed in, the language form and the lock and sign-out buttons.
    static func header(_ frame: PageFrame) -> HTML {
        let w = frame.words
        let language = languageForm(frame)
        guard let person = frame.person else {
            return "<p class=\"desk-name\">Haven</p>\(language)"
        }
        let entries: [(PageFrame.Section, String, String, String)] = [
            (.records, "nav-records", "/records", w("Records")),
            (.newRecord, "nav-new", "/records/new", w("New record")),
            (.find, "nav-find", "/find", w("Find a survivor")),
            (.referrals, "nav-referrals", "/referrals", w("Referrals")),
        ]
        let links = HTML.join(entries.map { section, id, href, label -> HTML in
            let current: HTML = section == frame.section ? " aria-current=\"page\"" : ""
            return "<li><a id=\"\(id)\" href=\"\(href)\"\(current)>\(label)</a></li>"
        })
        return """
        <p class="desk-name">Haven</p>
        <nav id="menu" aria-label="\(w("Menu"))"><ul>\(links)</ul></nav>
        <p class="person">\(w("Signed in as {user} ({role}, {agency})", ["user": person.user, "role": person.role, "agency": person.agency]))</p>
        \(language)
        <form id="lock" method="post" action="/lock">\(frame.csrfField)<button id="lock" type="submit" title="\(w("Or press Shift three times"))">\(w("Lock the screen"))</button></form>
        <form id="sign-out" method="post" action="/sign-out">\(frame.csrfField)<button id="sign-out" type="submit">\(w("Sign out"))</button></form>
        """
    }

    /// The language menu: each language named in itself, so a person who cannot read the
    /// current one still finds theirs.
    static func languageForm(_ frame: PageFrame) -> HTML {
        let w = frame.words
        let options = HTML.join(Language.allCases.map { language -> HTML in
            let selected: HTML = language == w.language ? " selected" : ""
            return "<option value=\"\(language.rawValue)\" lang=\"\(language.rawValue)\"\(selected)>\(language.nativeName)</option>"
        })
        return """
        <form id="language" method="post" action="/language">\(frame.csrfField)\
        <label for="language-choice">\(w("Language"))</label> <select id="language-choice" name="language">\(options)</select> \
        <button id="language-submit" type="submit">\(w("Change"))</button></form>
        """
    }
}
