#!/usr/bin/env python3
"""The browser half of scripts/web-screenshots.sh, in headless Chromium through Selenium
(the moves of Tests/Browser/desk.py):

    web_screenshots.py welcome LINK PASSPHRASE   redeem an invitation; print the public key shown
    web_screenshots.py shoot OUT-DIR             sign in and save every main page, en, lo and vi

`shoot` reads DESK_URL, DESK_PEOPLE (as the browser tests do) and DESK_RECORDS
({"lao": ID, "vi": ID}). Each page is saved whole, as OUT-DIR/LANG-NN-PAGE.png.
"""

import os
import sys

sys.dont_write_bytecode = True  # nothing written into the repository by a run

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Browser"))

from desk import Browser, env_json, person, wait_until  # noqa: E402


def welcome(link, passphrase):
    b = Browser("welcome")
    try:
        b.driver.get(link)
        b.wait_for("form#welcome", what="the welcome form")
        b.type_into("form#welcome input[name=passphrase]", passphrase)
        b.type_into("form#welcome input[name=confirm]", passphrase)
        b.find("button#welcome-submit").click()
        print(b.wait_for("code#public-key", 20).text.strip())
    finally:
        b.close()


def save(b, out, language, number, page):
    """The whole page, however long, at the window's width."""
    width = b.driver.execute_script("return window.outerWidth")
    height = b.driver.execute_script("return Math.max(document.documentElement.scrollHeight, document.body.scrollHeight)")
    b.driver.set_window_size(width, min(max(height + 120, 768), 6000))
    path = os.path.join(out, f"{language}-{number:02d}-{page}.png")
    b.driver.save_screenshot(path)
    b.driver.set_window_size(1024, 768)
    print(path)


def shoot(out):
    os.makedirs(out, exist_ok=True)
    records = env_json("DESK_RECORDS")
    intake, shelter = person("intake"), person("shelter")
    for language in ("en", "lo", "vi"):
        shown = records["vi"] if language == "vi" else records["lao"]
        b = Browser(f"{language}", language=language)
        try:
            b.go("/sign-in")
            b.wait_for("form#sign-in")
            save(b, out, language, 1, "sign-in")
            b.sign_in(intake)
            b.set_language(language)
            b.go("/records?scope=agency")
            b.wait_for("nav#menu")
            for button in b.find_all("table#records button.reveal-name")[:1]:
                button.click()
                wait_until(lambda: b.find("table#records span.name").text.strip(), 5, "the revealed name")
            save(b, out, language, 2, "records")
            b.open_record(shown)
            save(b, out, language, 3, "record")
            b.go("/records/new?type=gbv_incident")
            b.wait_for("form#new-record")
            save(b, out, language, 4, "new-record")
            b.go("/find")
            b.wait_for("form#find")
            b.type_into("form#find input[name=name]", "nguyen thi ha")
            b.find("button#find-submit").click()
            wait_until(lambda: b.has("table#found") or b.has("section#found-elsewhere"), 10, "the find results")
            save(b, out, language, 5, "find")
            b.go("/referrals")
            b.wait_for("nav#menu")
            save(b, out, language, 6, "referrals")
            b.go(f"/records/{shown}/print")
            b.wait_for("article#print-record")
            save(b, out, language, 8, "print")
            b.go("/records")
            b.wait_for("button#lock")
            b.find("button#lock").click()
            b.wait_for("form#unlock")
            save(b, out, language, 7, "locked")
            b.type_into("form#unlock input[name=passphrase]", intake["passphrase"])
            b.find("button#unlock-submit").click()
            b.wait_for("nav#menu")
            b.set_language("en")
        finally:
            b.close()
        s = Browser(f"shelter-{language}", language=language)
        try:
            s.sign_in(shelter)
            s.set_language(language)
            s.go("/referrals")
            s.wait_for("table#incoming")
            links = s.find_all("table#incoming a.referral-link")
            if links:
                links[0].click()
                s.wait_for("form#accept")
                save(s, out, language, 9, "incoming-referral")
            s.set_language("en")
        finally:
            s.close()


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "welcome":
        welcome(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == "shoot":
        shoot(sys.argv[2])
    else:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
