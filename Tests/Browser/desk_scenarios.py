#!/usr/bin/env python3
"""The desk in a real browser: each scenario of issue 34's "Must show" list, as a person (or
an attacker) does it in headless Chromium against a real havend and haven-web.

    python3 Tests/Browser/desk_scenarios.py SCENARIO      (exit 0: it held)
    python3 Tests/Browser/desk_scenarios.py --list

The desk, its people and records are described by environment variables (Tests/Browser/desk.py).
"""

import hashlib
import http.server
import os
import secrets
import sys

sys.dont_write_bytecode = True  # nothing written into the repository by a run
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from desk import (Browser, ScenarioFailed, base_url, check, env_json, form_body, person, raw_request,  # noqa: E402
                  record, run, wait_until)
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

SCENARIOS = {}


def scenario(function):
    SCENARIOS[function.__name__] = function
    return function


def record_id_from(browser):
    parts = browser.path.strip("/").split("/")
    check(len(parts) == 2 and parts[0] == "records" and parts[1] not in ("new", ""),
          f"the form did not lead to the new record's page (at {browser.path})")
    return parts[1]


def new_record_form(browser, record_type="gbv_incident"):
    """The new-record form of `record_type`, reached from the menu."""
    browser.find("a#nav-new").click()
    wait_until(lambda: browser.has("form#new-record") or browser.has(f"a[href*='type={record_type}']"), 10,
               "the menu's new-record link showed neither a form nor a choice of record types")
    if not browser.has("form#new-record"):
        browser.find(f"a[href*='type={record_type}']").click()
        browser.wait_for("form#new-record", what="the new-record form")


def save_new_record(browser, press=None):
    """Saves the new-record form (by click, or by the keys `press` when given), saying yes to
    the possible duplicates if the desk shows some; the new record's id."""
    if press:
        press("button#save")
    else:
        browser.find("button#save").click()
    def errors():
        return [e.text.strip() for e in browser.find_all(".field-error") if e.text.strip()]

    wait_until(lambda: browser.has("article#record") or browser.has("section#possible-duplicates") or errors(),
               15, "saving the new record showed neither the record, possible duplicates nor a check error")
    check(not errors(), "the new record was refused by a check: " + "; ".join(errors())[:300])
    if browser.has("section#possible-duplicates") and not browser.has("article#record"):
        if press:
            press("button#save-anyway")
        else:
            browser.find("button#save-anyway").click()
        browser.wait_for("article#record", 15, "the record after saving it despite possible duplicates")
    return record_id_from(browser)


def notes_text(browser, record_id):
    browser.open_record(record_id)
    return "\n".join(note.text for note in browser.find_all("ol#notes > li.note"))


# -- sign-in from an invitation


@scenario
def invitation():
    """A newcomer opens her one-time link, chooses a passphrase, sees her public key; an
    administrator enrols it; she signs in. The link works once, and a short passphrase is refused."""
    invite = env_json("DESK_INVITE")
    b = Browser("newcomer")
    b.driver.get(invite["link"])
    b.wait_for("form#welcome", what="the welcome form of the invitation")
    b.type_into("form#welcome input[name=passphrase]", "too short")
    b.type_into("form#welcome input[name=confirm]", "too short")
    b.find("button#welcome-submit").click()
    b.wait_for("form#welcome", what="the welcome form again after a short passphrase")
    check(not b.has("code#public-key"), "a passphrase of 9 characters was accepted (at least 12 are needed)")

    b.type_into("form#welcome input[name=passphrase]", invite["passphrase"])
    b.type_into("form#welcome input[name=confirm]", invite["passphrase"])
    b.find("button#welcome-submit").click()
    key = b.wait_for("code#public-key", 20, "the public key after choosing a passphrase").text.strip()
    check(key.startswith("haven-ed25519-public-v1:"), "code#public-key does not hold a Haven public key")
    command = b.find("pre#enrol-command").text
    check("haven user add" in command and invite["name"] in command,
          "pre#enrol-command does not show the `haven user add NAME …` command for the administrator")
    check(invite["passphrase"] not in b.dom_text(), "the page that shows the public key holds the passphrase")

    # The administrator's part (the test harness runs the real `haven user add`).
    handoff = invite["handoff"]
    with open(os.path.join(handoff, "public-key.part"), "w") as f:
        f.write(key + "\n")
    os.rename(os.path.join(handoff, "public-key.part"), os.path.join(handoff, "public-key"))
    wait_until(lambda: os.path.exists(os.path.join(handoff, "enrolled")), 30, "the harness did not enrol the public key")

    b.sign_in({"name": invite["name"], "passphrase": invite["passphrase"]})
    check(b.has("a#nav-records") and b.has("button#sign-out"), "the signed-in page lacks the menu or the sign-out button")
    b.sign_out()

    other = Browser("stranger")
    other.driver.get(invite["link"])
    time.sleep(0.5)
    check(not other.has("form#welcome"), "the invitation's link still offers the welcome form after it was used")


# -- records


@scenario
def create_lao():
    """A record made in the Lao desk with Lao values: the form's labels are the schema's Lao
    labels, and the record shows the values as typed and the choice in Lao."""
    values = {"survivor_name": "ຄຳຫຼ້າ ພົມມະຈັນ",
              "address": "ບ້ານໂພນໄຊ, ເມືອງໄຊເສດຖາ, ນະຄອນຫຼວງວຽງຈັນ",
              "incident_location": "ຕະຫຼາດເຊົ້າ ໃກ້ສະຖານີລົດເມ"}
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.set_language("lo")
    try:
        new_record_form(b)
        check("ຊື່ ແລະ ນາມສະກຸນ ຂອງຜູ້ຖືກເຄາະຮ້າຍ" in b.source(), "the Lao form lacks the schema's Lao label of survivor_name")
        check("ລາຍລະອຽດຂອງເຫດການ" in b.source(), "the Lao form lacks the Lao name of the group 'Details of the incident'")
        for field, value in values.items():
            b.type_into(f"form#new-record [name='field.{field}']", value)
        b.choose("form#new-record select[name='field.incident_type']", "psychological_abuse")
        save_new_record(b)
        for field, value in values.items():
            check(b.field_text(field) == value, f"the record does not show {field} as it was typed in Lao")
        check("ການທາລຸນທາງດ້ານຈິດໃຈ" in (b.field_text("incident_type") or ""),
              "incident_type is not shown by its Lao label")
    finally:
        b.set_language("en")


@scenario
def find():
    """A returning survivor found from other spellings of her name: without diacritics and with
    a Vietnamese form of address, and in Lao with a title written against the name."""
    vi, lao = record("vi"), record("lao")
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.find("a#nav-find").click()
    b.wait_for("form#find", what="the find form")
    for query, wanted, spelling in (("nguyen thi hoa", vi, "the Vietnamese name without diacritics"),
                                    ("Chị nguyen thi hoa", vi, "the Vietnamese name without diacritics after 'Chị'"),
                                    ("ນາງສົມພອນ ວົງສະຫວັນ", lao, "the Lao name with the title ນາງ written against it")):
        b.wait_for("form#find")
        b.type_into("form#find input[name=name]", query)
        b.find("button#find-submit").click()
        wait_until(lambda: b.has(f"table#found tr[data-record='{wanted['id']}']"), 10,
                   f"{spelling} did not find the record")
    b.type_into("form#find input[name=name]", "tran van binh")
    b.find("button#find-submit").click()
    time.sleep(0.5)
    b.wait_for("form#find")
    check(not b.has(f"table#found tr[data-record='{vi['id']}']"), "another name found the record too")


@scenario
def note():
    """A note added from the record's page is listed first among its notes."""
    vi = record("vi")
    text = f"Gọi lại vào thứ Ba lúc 10 giờ ({secrets.token_hex(3)})"
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.open_record(vi["id"])
    b.find("a#action-note").click()
    b.wait_for("form#note", what="the note form")
    b.type_into("form#note textarea[name=text]", text)
    classes = [o.get_attribute("value") for o in b.find_all("form#note select[name=class] option")]
    if "incident" in classes:
        b.choose("form#note select[name=class]", "incident")
    b.find("button#note-submit").click()
    b.wait_for("article#record", 15, "the record after adding a note")
    check(b.path == f"/records/{vi['id']}", "adding a note did not lead back to the record")
    notes = b.find_all("ol#notes > li.note")
    check(notes and text in notes[0].text, "the new note is not the first of ol#notes")


def grant_form_flag(b, flag):
    """Chooses `flag` in the consent form, however the form offers the flags."""
    if b.has("form#consent-grant select[name=flag]"):
        b.choose("form#consent-grant select[name=flag]", flag)
        return
    for css in (f"form#consent-grant input[value='{flag}']", f"form#consent-grant input[name='{flag}']",
                f"form#consent-grant input[name='flag.{flag}']"):
        if b.has(css):
            box = b.find(css)
            if not box.is_selected():
                box.click()
            return
    raise ScenarioFailed(f"form#consent-grant offers no way to choose the flag {flag}")


@scenario
def consent():
    """Consent granted with a signed form as evidence: the file is uploaded, the record shows
    the flag granted with the form's sha256 digest, and neither the file's name nor its
    contents are anywhere in the page."""
    vi = record("vi")
    directory = tempfile.mkdtemp(prefix="haven-evidence-")
    form_name = f"consent-form-{secrets.token_hex(4)}.txt"
    form_path = os.path.join(directory, form_name)
    contents = f"Consent form signed at the OSSC, counselling, {secrets.token_hex(8)}\n".encode()
    with open(form_path, "wb") as f:
        f.write(contents)
    digest = hashlib.sha256(contents).hexdigest()
    try:
        b = Browser("intake")
        b.sign_in(person("intake"))
        b.open_record(vi["id"])
        b.find("a#action-consent").click()
        b.wait_for("form#consent-grant", what="the consent form")
        check(b.find("form#consent-grant").get_attribute("enctype") == "multipart/form-data",
              "the consent form is not multipart, so the evidence file cannot be uploaded")
        grant_form_flag(b, "counselling")
        b.find("form#consent-grant input[type=file][name=evidence]").send_keys(form_path)
        b.find("button#consent-grant-submit").click()
        b.wait_for("article#record", 15, "the record after granting consent")
        section = b.find("section#consent")
        shown = section.get_attribute("innerHTML")
        check(digest[:12] in shown, "section#consent does not show the evidence's sha256 digest")
        check(form_name not in b.source() and contents.decode().strip() not in b.source(),
              "the evidence file's name or contents reached the page")
        check(b.has("section#consent [data-flag='counselling'] .state-granted")
              or b.has("section#consent [data-flag='counselling'][data-state='granted']"),
              "section#consent does not show counselling as granted")
    finally:
        os.remove(form_path)
        os.rmdir(directory)


@scenario
def referral():
    """Intake refers a survivor to the shelter; the shelter's user, in her own browser, finds it
    among the incoming referrals, accepts it and then reads the record."""
    rec = record("referral")
    intake = Browser("intake")
    intake.sign_in(person("intake"))
    intake.open_record(rec["id"])
    intake.find("a#action-refer").click()
    intake.wait_for("form#refer", what="the referral form")
    intake.choose("form#refer select[name=agency]", "lwu-shelter-vientiane")
    intake.choose("form#refer select[name=service]", "shelter")
    intake.type_into("form#refer textarea[name=reason]", "Needs a safe place tonight")
    intake.find("button#refer-submit").click()
    wait_until(lambda: intake.path.startswith("/referrals/") or intake.has("article#record"), 15,
               "referring the record led neither to the referral nor to the record")
    if intake.path.startswith("/referrals/"):
        ref = intake.path.split("/")[-1]
    else:
        links = intake.find_all("section#record-referrals a[href^='/referrals/']")
        check(links, "section#record-referrals lists no referral after referring the record")
        ref = urllib.parse.urlparse(links[0].get_attribute("href")).path.split("/")[-1]
    intake.open_record(rec["id"])
    check(intake.has(f"section#record-referrals [data-referral='{ref}']") or
          intake.has(f"section#record-referrals a[href='/referrals/{ref}']"), "the record's page does not list its new referral")

    shelter = Browser("shelter")
    shelter.sign_in(person("shelter"))
    shelter.find("a#nav-referrals").click()
    shelter.wait_for(f"table#incoming tr[data-referral='{ref}']", 10, "the referral among the shelter's incoming ones")
    check(not shelter.has(f"table#outgoing tr[data-referral='{ref}']"), "the shelter lists the referral as outgoing")
    shelter.find(f"table#incoming tr[data-referral='{ref}'] a.referral-link").click()
    shelter.wait_for("form#accept", what="the accept form of the referral")
    if shelter.has("form#accept select[name=assign]"):
        options = [o.get_attribute("value") for o in shelter.find_all("form#accept select[name=assign] option")]
        if person("shelter")["name"] in options:
            shelter.choose("form#accept select[name=assign]", person("shelter")["name"])
    shelter.find("button#accept-submit").click()
    wait_until(lambda: not shelter.has("form#accept"), 10, "the referral still offers to be accepted after accepting it")
    shelter.open_record(rec["id"])
    check(shelter.field_text("survivor_name") == rec["fields"]["survivor_name"],
          "the shelter cannot read the survivor's name after accepting the referral")

    intake.find("a#nav-referrals").click()
    intake.wait_for(f"table#outgoing tr[data-referral='{ref}']", 10, "the referral among intake's outgoing ones")


# -- shared-PC safety


def shift_three_times(b):
    chain = ActionChains(b.driver)
    for _ in range(3):
        chain.key_down(Keys.SHIFT).key_up(Keys.SHIFT)
    chain.perform()


def unlock(b, passphrase, expect_desk=True):
    b.wait_for("form#unlock", what="the unlock form")
    b.type_into("form#unlock input[name=passphrase]", passphrase)
    b.find("button#unlock-submit").click()
    if expect_desk:
        wait_until(lambda: b.has("nav#menu"), 15, "the right passphrase did not unlock the desk")


@scenario
def quick_lock():
    """Shift pressed three times: at once nothing of the record is left in the page, the session
    is locked (every page asks for the passphrase; Back shows nothing), a wrong passphrase
    keeps it locked, the right one opens it."""
    vi = record("vi")
    me = person("intake")
    b = Browser("intake")
    b.sign_in(me)
    b.open_record(vi["id"])
    b.expect_all_of({"survivor_name": vi["fields"]["survivor_name"]}, "the record before the lock")
    before = b.session_cookie()
    shift_three_times(b)
    wait_until(lambda: not any(v in b.dom_text() for v in vi["fields"].values()), 2,
               "two seconds after Shift was pressed three times the page still holds the record's values")
    b.wait_for("form#unlock", 10, "the unlock form after the quick lock")
    b.expect_none_of(vi["fields"], "the locked page")
    check(b.session_cookie() != before, "the session cookie was not changed at the lock")
    b.driver.back()
    time.sleep(0.5)
    b.expect_none_of(vi["fields"], "Back after the lock")
    b.go(f"/records/{vi['id']}")
    b.wait_for("form#unlock", 10, "the unlock form for a record page while locked")
    b.expect_none_of(vi["fields"], "a record page asked for while locked")
    unlock(b, "not the passphrase at all", expect_desk=False)
    b.wait_for("form#unlock", 10, "the unlock form again after a wrong passphrase")
    check(not b.has("nav#menu"), "a wrong passphrase unlocked the desk")
    unlock(b, me["passphrase"])
    b.open_record(vi["id"])
    b.expect_all_of({"survivor_name": vi["fields"]["survivor_name"]}, "the record after unlocking")


@scenario
def typing_capitals():
    """A name typed with three capitals (three presses of Shift, each with a letter) is
    typing, not the lock gesture: the desk stays open and the name stays in the field."""
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.find("a#nav-find").click()
    b.wait_for("form#find", what="the find form")
    b.type_into("form#find input[name=name]", "Trần Văn Bình")
    time.sleep(1.5)
    check(b.path == "/find" and b.has("form#find"), "typing a name with three capitals locked the desk")
    check(b.find("form#find input[name=name]").get_attribute("value") == "Trần Văn Bình",
          "the name typed with capitals is not in the field")


@scenario
def idle_lock():
    """Left alone, the desk warns, then locks: nothing of the record is left, and the
    passphrase opens it again (the desk runs with a warning after 2 s and a lock after 4 s)."""
    vi = record("vi")
    me = person("intake")
    b = Browser("intake")
    b.sign_in(me)
    warning = int(b.find("body").get_attribute("data-idle-warning"))
    lock = int(b.find("body").get_attribute("data-idle-lock"))
    check(0 < warning < lock <= 30, "this scenario needs a desk started with short idle timers")
    b.open_record(vi["id"])
    b.expect_all_of({"survivor_name": vi["fields"]["survivor_name"]}, "the record before the idle time")
    wait_until(lambda: b.find("div#idle-warning").is_displayed(), warning + 3, "the idle warning did not show")
    b.wait_for("form#unlock", lock + 6, "the unlock form after the idle time")
    b.expect_none_of(vi["fields"], "the page locked for idleness")
    b.go(f"/records/{vi['id']}")
    b.wait_for("form#unlock", 10, "the unlock form for a record page after the idle lock")
    b.expect_none_of(vi["fields"], "a record page asked for after the idle lock")
    unlock(b, me["passphrase"])


@scenario
def other_tab():
    """A record open in a second tab: Shift three times in the first tab blanks the second at
    once (BroadcastChannel), and signing out in one blanks the other too."""
    vi = record("vi")
    me = person("intake")
    b = Browser("intake")
    b.sign_in(me)
    b.open_record(vi["id"])
    first = b.driver.current_window_handle
    b.driver.switch_to.new_window("tab")
    b.open_record(vi["id"])
    b.expect_all_of({"survivor_name": vi["fields"]["survivor_name"]}, "the record in the second tab")
    second = b.driver.current_window_handle
    b.driver.switch_to.window(first)
    shift_three_times(b)
    b.wait_for("form#unlock", 10, "the unlock form after the quick lock")
    b.driver.switch_to.window(second)
    wait_until(lambda: not any(v in b.dom_text() for v in vi["fields"].values()), 3,
               "the second tab still shows the record after the first tab locked")
    b.wait_for("form#unlock", 10, "the unlock form in the second tab")
    unlock(b, me["passphrase"])
    b.open_record(vi["id"])
    b.driver.switch_to.window(first)
    b.go("/records")
    b.wait_for("nav#menu", 10, "the desk in the first tab after unlocking in the second")
    b.sign_out()
    b.driver.switch_to.window(second)
    wait_until(lambda: not any(v in b.dom_text() for v in vi["fields"].values()), 3,
               "the second tab still shows the record after the first tab signed out")


@scenario
def back_after_sign_out():
    """After signing out, Back (once, twice) and the record's address show nothing of it."""
    vi = record("vi")
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.go("/records")
    b.open_record(vi["id"])
    b.expect_all_of({"survivor_name": vi["fields"]["survivor_name"]}, "the record before signing out")
    b.sign_out()
    for step in ("Back after signing out", "Back twice after signing out"):
        b.driver.back()
        time.sleep(0.5)
        b.expect_none_of(vi["fields"], step)
        check(not b.has("article#record"), f"{step} shows a record page")
    b.go(f"/records/{vi['id']}")
    b.wait_for("form#sign-in", 10, "the sign-in form for a record's address after signing out")
    b.expect_none_of(vi["fields"], "a record's address after signing out")


class ForeignSite:
    """A page on another origin (another port of 127.0.0.1) that posts a form to the desk as
    soon as it is opened, as a hostile site a counsellor visits would."""

    def __init__(self, action, fields):
        inputs = "".join(f'<input type="hidden" name="{k}" value="{v}">' for k, v in fields.items())
        page = (f'<!doctype html><meta charset="utf-8"><title>Free recipes</title>'
                f'<form method="post" action="{action}">{inputs}</form>'
                f'<script>document.forms[0].submit()</script>').encode()

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(page)))
                self.end_headers()
                self.wfile.write(page)

            def log_message(self, *args):
                pass

        self.page = page
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@scenario
def cross_site_post():
    """Forms posted to the desk from another origin (another port, and a data: page whose
    Origin is null) are refused and change nothing, though the browser sends the session
    cookie; a script's post with the right token but another Origin, or the right Origin but
    no token, is refused too."""
    vi = record("vi")
    b = Browser("intake")
    b.sign_in(person("intake"))
    marks = {name: f"{name} {secrets.token_hex(4)}" for name in ("foreign", "data", "origin", "token", "control")}
    action = f"{base_url()}/records/{vi['id']}/note"

    site = ForeignSite(action, {"text": marks["foreign"], "class": "incident"})
    try:
        b.driver.get(site.origin + "/")
        wait_until(lambda: b.driver.current_url.startswith(base_url()), 10, "the foreign page's form was not posted")
        time.sleep(0.3)
        check(not b.has("article#record"), "the desk answered a foreign page's post with a record page")
    finally:
        site.close()
    b.driver.get("data:text/html;charset=utf-8," + urllib.parse.quote(
        f'<form method="post" action="{action}"><input name="text" value="{marks["data"]}">'
        f'<input name="class" value="incident"></form><script>document.forms[0].submit()</script>'))
    wait_until(lambda: b.driver.current_url.startswith(base_url()), 10, "the data: page's form was not posted")
    time.sleep(0.3)

    b.go("/records")
    b.wait_for("nav#menu")
    token = b.csrf()
    cookie = f"__Host-haven-session={b.session_cookie()}"
    common = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
    field = csrf_field_name(b)
    status, _, _ = raw_request("POST", f"/records/{vi['id']}/note", {**common, "Origin": site.origin},
                               form_body({"text": marks["origin"], "class": "incident", field: token}))
    check(status == 403, f"a post with the right token from another Origin was answered {status}, not 403")
    status, _, _ = raw_request("POST", f"/records/{vi['id']}/note", {**common, "Origin": base_url()},
                               form_body({"text": marks["token"], "class": "incident"}))
    check(status == 403, f"a post from the desk's Origin without the token was answered {status}, not 403")
    status, _, _ = raw_request("POST", f"/records/{vi['id']}/note", {**common, "Origin": base_url()},
                               form_body({"text": marks["control"], "class": "incident", field: token}))
    check(status in (302, 303), f"the same post with the desk's Origin and token was answered {status}, not a redirect "
                                "(so the refusals above prove nothing)")

    notes = notes_text(b, vi["id"])
    for name in ("foreign", "data", "origin", "token"):
        check(marks[name] not in notes, f"the refused post ({name}) added a note")
    check(marks["control"] in notes, "the desk's own post added no note (the check of the notes cannot be trusted)")


def csrf_field_name(b):
    """The name of the hidden CSRF input of the desk's forms."""
    for element in b.find_all("form[method=post] input[type=hidden]"):
        if element.get_attribute("value") == b.csrf():
            return element.get_attribute("name")
    raise ScenarioFailed("no form carries the CSRF token of body[data-csrf] in a hidden input")


@scenario
def wrong_host():
    """A request naming another Host (a DNS-rebinding page) is refused with 421, even with a
    good session cookie, and nothing of a record comes back."""
    vi = record("vi")
    b = Browser("intake")
    b.sign_in(person("intake"))
    cookie = f"__Host-haven-session={b.session_cookie()}"
    port = urllib.parse.urlparse(base_url()).port
    status, _, _ = raw_request("GET", "/records", {"Cookie": cookie})
    check(status == 200, f"the records list with the session cookie and the right Host was answered {status}")
    for host in ("evil.example", f"evil.example:{port}", f"127.0.0.2:{port}"):
        for path in ("/records", f"/records/{vi['id']}", "/sign-in"):
            status, _, text = raw_request("GET", path, {"Cookie": cookie}, host=host)
            check(status == 421, f"GET {path} with Host {host} was answered {status}, not 421")
            check(not any(v in text for v in vi["fields"].values()), f"GET {path} with Host {host} returned a record value")
    status, _, _ = raw_request("POST", f"/records/{vi['id']}/note",
                               {"Cookie": cookie, "Origin": f"http://evil.example:{port}",
                                "Content-Type": "application/x-www-form-urlencoded"},
                               form_body({"text": "rebound", "class": "incident"}), host=f"evil.example:{port}")
    check(status == 421, f"a POST with Host evil.example was answered {status}, not 421")


@scenario
def reused_cookie():
    """The session cookie copied before signing out opens nothing afterwards, in the browser
    (set back by hand) or from a script."""
    vi = record("vi")
    b = Browser("intake")
    b.sign_in(person("intake"))
    b.open_record(vi["id"])
    old = b.session_cookie()
    check(old, "no __Host-haven-session cookie after signing in")
    b.sign_out()
    status, headers, text = raw_request("GET", f"/records/{vi['id']}", {"Cookie": f"__Host-haven-session={old}"})
    check(status in (302, 303) and headers.get("location", "").endswith("/sign-in"),
          f"the old cookie from a script was answered {status}, not a redirect to /sign-in")
    check(not any(v in text for v in vi["fields"].values()), "the old cookie from a script returned a record value")
    b.driver.delete_all_cookies()
    b.driver.execute_cdp_cmd("Network.setCookie", {"name": "__Host-haven-session", "value": old, "url": base_url() + "/",
                                                   "path": "/", "secure": True, "httpOnly": True, "sameSite": "Strict"})
    check(b.session_cookie() == old, "the old cookie could not be set back in the browser")
    b.go(f"/records/{vi['id']}")
    b.wait_for("form#sign-in", 10, "the sign-in form for the old cookie")
    b.expect_none_of(vi["fields"], "the record's page with the old cookie")


@scenario
def withheld_field():
    """A health worker, with the survivor's health consent, reads her name but never her
    contact fields: neither the values nor their inputs are in the record page, the edit
    form or the print view."""
    rec = record("withheld")
    hidden = {k: v for k, v in rec["fields"].items() if k in ("phone", "address", "safe_contact")}
    check(hidden, "the withheld record has no contact field to hide")
    b = Browser("health")
    b.sign_in(person("health"))
    b.open_record(rec["id"])
    check(b.field_text("survivor_name") == rec["fields"]["survivor_name"], "health cannot read the survivor's name")
    b.expect_none_of(hidden, "the record page seen by health")
    for field in hidden:
        for dd in b.find_all(f"dd[data-field={field}]"):
            check("withheld" in (dd.get_attribute("class") or "").split(), f"dd[data-field={field}] is not marked withheld")
    for path, what in ((f"/records/{rec['id']}/edit", "the edit form"), (f"/records/{rec['id']}/print", "the print view")):
        b.go(path)
        time.sleep(0.3)
        b.expect_none_of(hidden, f"{what} seen by health")
        for field in hidden:
            check(not b.has(f"[name='field.{field}']"), f"{what} seen by health has an input for {field}")


# -- keyboard and tablet


@scenario
def keyboard():
    """Signing in and making a record with the keyboard alone: Tab, typing, arrows and Enter."""
    me = person("intake")
    b = Browser("intake")
    b.go("/sign-in")
    b.wait_for("form#sign-in")
    b.tab_to("form#sign-in input[name=name]")
    b.keys(me["name"])
    b.tab_to("form#sign-in input[name=passphrase]")
    b.keys(me["passphrase"], Keys.ENTER)
    wait_until(lambda: b.has("nav#menu"), 15, "Enter in the passphrase did not sign in")

    b.tab_to("a#nav-new")
    b.keys(Keys.ENTER)
    wait_until(lambda: b.has("form#new-record") or b.has("a[href*='type=gbv_incident']"), 10,
               "Enter on the new-record link did not open it")
    if not b.has("form#new-record"):
        b.tab_to("a[href*='type=gbv_incident']")
        b.keys(Keys.ENTER)
        b.wait_for("form#new-record")
    name = f"Đào Thị Cúc {secrets.token_hex(2)}"
    b.tab_to("[name='field.survivor_name']")
    b.keys(name)
    b.tab_to("select[name='field.incident_type']")
    for _ in range(12):
        if b.find("select[name='field.incident_type']").get_attribute("value") == "denial_of_resources":
            break
        b.keys(Keys.ARROW_DOWN)
    check(b.find("select[name='field.incident_type']").get_attribute("value") == "denial_of_resources",
          "the arrow keys did not choose the incident type")

    def press(css):
        b.tab_to(css)
        b.keys(Keys.ENTER)

    save_new_record(b, press=press)
    check(b.field_text("survivor_name") == name, "the record made by keyboard does not show the typed name")


@scenario
def tablet():
    """On a 10-inch tablet (800×1280): the menu's links are on screen, and the records list, a
    record and the new-record form fit the width; the form can be filled and saved."""
    vi = record("vi")
    b = Browser("tablet", 800, 1280)
    b.sign_in(person("intake"))

    def fits(where):
        scroll, inner = b.driver.execute_script(
            "return [document.documentElement.scrollWidth, window.innerWidth]")
        check(scroll <= inner, f"{where} is wider than the tablet's screen ({scroll} > {inner} px)")

    for link in ("a#nav-records", "a#nav-new", "a#nav-find", "a#nav-referrals"):
        element = b.find(link)
        check(element.is_displayed(), f"{link} is not shown on the tablet")
        right = b.driver.execute_script("return arguments[0].getBoundingClientRect().right", element)
        check(right <= b.driver.execute_script("return window.innerWidth"), f"{link} is off the tablet's screen")
    b.go("/records")
    b.wait_for("nav#menu")
    fits("the records list")
    b.open_record(vi["id"])
    fits("the record page")
    b.go("/find")
    b.wait_for("form#find")
    fits("the find form")
    new_record_form(b)
    fits("the new-record form")
    inner = b.driver.execute_script("return window.innerWidth")
    for element in b.find_all("form#new-record input, form#new-record select, form#new-record textarea, button#save"):
        if element.get_attribute("type") == "hidden":
            continue
        right = b.driver.execute_script("return arguments[0].getBoundingClientRect().right", element)
        check(right <= inner, f"the input {element.get_attribute('name')} reaches past the tablet's screen")
    name = f"Phạm Thị Thu {secrets.token_hex(2)}"
    b.type_into("[name='field.survivor_name']", name)
    b.choose("select[name='field.incident_type']", "physical_assault")
    save_new_record(b)
    fits("the new record's page")
    check(b.field_text("survivor_name") == name, "the record saved on the tablet does not show its name")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "--list":
        print("\n".join(SCENARIOS))
        sys.exit(0)
    sys.exit(run(SCENARIOS, sys.argv[1]))
