"""What the browser scenarios of the desk share: a headless Debian Chromium driven by
Selenium, the people and records the test run made, and the few moves every scenario makes
(sign in, open a record, sign out, look for a survivor's values in what the browser holds).

The run is described by environment variables (Tests/HavenEndToEndTests/WebDeskBrowserTests
sets them; a person can too, against a desk of their own):

  DESK_URL        the desk, e.g. http://127.0.0.1:8443
  DESK_PEOPLE     JSON: {"intake": {"name": …, "passphrase": …}, "shelter": …, "health": …}
  DESK_RECORDS    JSON: {"vi": {"id": …, "fields": {field: value}}, "lao": …, "withheld": …, "referral": …}
  DESK_INVITE     JSON: {"link": …, "name": …, "role": …, "agency": …, "passphrase": …, "handoff": DIR}
  DESK_ARTIFACTS  a directory for a failed scenario's screenshot and page source (optional)

A failure says what was wrong in words and by field name; it never prints a survivor's
value (only what a scenario typed itself may appear, and then only when it is the subject).
"""

import json
import os
import shutil
import tempfile
import time
import urllib.parse

os.environ["SE_OFFLINE"] = "true"  # Selenium must never fetch a driver: Debian's is the one

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, WebDriverException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

CHROMEDRIVER = "/usr/bin/chromedriver"
CHROMIUM = "/usr/bin/chromium"
SESSION_COOKIE = "__Host-haven-session"


class ScenarioFailed(Exception):
    """A scenario's check that did not hold, in words fit for a CI log."""


def env_json(name, default=None):
    text = os.environ.get(name)
    if text is None:
        if default is not None:
            return default
        raise ScenarioFailed(f"the environment variable {name} is not set")
    return json.loads(text)


def base_url():
    url = os.environ.get("DESK_URL")
    if not url:
        raise ScenarioFailed("the environment variable DESK_URL is not set")
    return url.rstrip("/")


def person(role):
    people = env_json("DESK_PEOPLE")
    if role not in people:
        raise ScenarioFailed(f"DESK_PEOPLE has no {role!r} person")
    return people[role]


def record(key):
    records = env_json("DESK_RECORDS")
    if key not in records:
        raise ScenarioFailed(f"DESK_RECORDS has no {key!r} record")
    return records[key]


def check(condition, message):
    if not condition:
        raise ScenarioFailed(message)


def wait_until(predicate, seconds, message, step=0.1):
    """Polls `predicate` until it is true; a scenario failure with `message` after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = predicate()
        except (NoSuchElementException, WebDriverException):
            value = False
        if value:
            return value
        if time.monotonic() > deadline:
            raise ScenarioFailed(message)
        time.sleep(step)


class Browser:
    """One headless Chromium with a profile of its own (nothing shared between people)."""

    opened = []  # every browser of the run, so a failure can show each one's page

    def __init__(self, label, width=1024, height=768, language="en"):
        self.label = label
        self.profile = tempfile.mkdtemp(prefix="haven-browser-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--no-first-run", "--disable-extensions", "--disable-background-networking",
                         "--disable-sync", "--password-store=basic", f"--user-data-dir={self.profile}",
                         f"--window-size={width},{height}", f"--lang={language}"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {"intl.accept_languages": language,
                                                  "credentials_enable_service": False,
                                                  "profile.password_manager_enabled": False})
        self.driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
        self.driver.set_window_size(width, height)
        self.driver.set_page_load_timeout(30)
        Browser.opened.append(self)

    def close(self):
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)
            if self in Browser.opened:
                Browser.opened.remove(self)

    # -- pages

    def go(self, path):
        self.driver.get(base_url() + path)

    @property
    def path(self):
        return urllib.parse.urlparse(self.driver.current_url).path

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def find_all(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def has(self, css):
        return len(self.find_all(css)) > 0

    def wait_for(self, css, seconds=10, what=None):
        return wait_until(lambda: self.find(css), seconds, f"{what or css} did not appear (at {self.path})")

    def type_into(self, css, text):
        element = self.find(css)
        element.clear()
        element.send_keys(text)

    def choose(self, css, value):
        Select(self.find(css)).select_by_value(value)

    def source(self):
        return self.driver.page_source

    def body_text(self):
        return self.driver.execute_script("return document.body ? document.body.innerText : ''")

    def dom_text(self):
        """Everything the browser holds of the page: its source as now changed, the body's text,
        and every form control's current value."""
        values = self.driver.execute_script(
            "return Array.from(document.querySelectorAll('input,textarea,select')).map(e => e.value).join('\\n')")
        return "\n".join([self.source(), self.body_text(), values or ""])

    def expect_none_of(self, values, where):
        """Fails (naming the fields, never the values) when the page holds any of `values`."""
        held = self.dom_text()
        found = [field for field, value in values.items() if value and value in held]
        check(not found, f"{where}: the page still holds the value of {', '.join(sorted(found))}")

    def expect_all_of(self, values, where):
        held = self.dom_text()
        missing = [field for field, value in values.items() if value not in held]
        check(not missing, f"{where}: the page does not show {', '.join(sorted(missing))}")

    def csrf(self):
        return self.find("body").get_attribute("data-csrf")

    def session_cookie(self):
        cookie = self.driver.get_cookie(SESSION_COOKIE)
        return cookie["value"] if cookie else None

    def keys(self, *keys):
        """Keys typed to whatever has the focus, as a person at the keyboard types them."""
        ActionChains(self.driver).send_keys(*keys).perform()

    def active_matches(self, css):
        return self.driver.execute_script("return document.activeElement && document.activeElement.matches(arguments[0])",
                                          css)

    def tab_to(self, css, limit=80):
        """Tab (only the key) until the focus is on `css`."""
        for _ in range(limit):
            if self.active_matches(css):
                return
            self.keys(Keys.TAB)
        raise ScenarioFailed(f"{css} never took the focus in {limit} presses of Tab (at {self.path})")

    def save_artifacts(self, directory, stem):
        try:
            self.driver.save_screenshot(os.path.join(directory, f"{stem}-{self.label}.png"))
            with open(os.path.join(directory, f"{stem}-{self.label}.html"), "w", encoding="utf-8") as f:
                f.write(self.source())
        except WebDriverException:
            pass

    # -- the moves of every scenario

    def sign_in(self, who, expect_desk=True):
        self.go("/sign-in")
        self.wait_for("form#sign-in", what="the sign-in form")
        self.type_into("form#sign-in input[name=name]", who["name"])
        self.type_into("form#sign-in input[name=passphrase]", who["passphrase"])
        self.find("button#sign-in-submit").click()
        if expect_desk:
            wait_until(lambda: self.has("nav#menu"), 15,
                       f"{who['name']} was not signed in: no menu after the sign-in form (at {self.path})")

    def open_record(self, record_id):
        """The record's page; a page that first asks the purpose of reading gets one."""
        self.go(f"/records/{record_id}")
        wait_until(lambda: self.has("article#record") or self.has("[name=purpose]"),
                   10, f"the record page did not open (at {self.path})")
        if not self.has("article#record"):
            purpose = self.find("[name=purpose]")
            if purpose.tag_name == "select":
                offered = [o.get_attribute("value") for o in purpose.find_elements(By.TAG_NAME, "option")]
                wanted = next((v for v in ("medical_care", "follow_up", "case_management") if v in offered),
                              next(v for v in offered if v))
                Select(purpose).select_by_value(wanted)
            else:
                purpose.send_keys("Follow-up with the survivor")
            purpose.submit()
            self.wait_for("article#record", what="the record after its purpose")
        return self.find("article#record")

    def field_text(self, name):
        elements = self.find_all(f"dd[data-field={name}]")
        return elements[0].text if elements else None

    def sign_out(self):
        self.find("button#sign-out").click()
        wait_until(lambda: not self.has("nav#menu"), 10, "signing out left the desk's menu on screen")

    def set_language(self, code):
        self.choose("form#language select[name=language]", code)
        self.find("button#language-submit").click()
        wait_until(lambda: self.find("html").get_attribute("lang") == code, 10,
                   f"the page did not turn to the language {code} (html lang)")


def run(scenarios, name):
    """Runs the scenario `name`; 0 when it held, 1 with the reason on stderr when not."""
    import sys
    import traceback

    if name not in scenarios:
        print(f"unknown scenario {name!r}; known: {', '.join(scenarios)}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        scenarios[name]()
    except Exception as error:  # noqa: BLE001 - every failure is reported the same way
        artifacts = os.environ.get("DESK_ARTIFACTS")
        saved = ""
        if artifacts:
            os.makedirs(artifacts, exist_ok=True)
            for browser in list(Browser.opened):
                browser.save_artifacts(artifacts, name)
            saved = f" (screenshots and page sources in {artifacts})"
        if isinstance(error, ScenarioFailed):
            print(f"FAIL {name}: {error}{saved}", file=sys.stderr)
        else:
            # A driver's or Python's own error: its type and the lines of the scenario, whose
            # message may quote a page, so it is cut short.
            print(f"FAIL {name}: {type(error).__name__}: {str(error).splitlines()[0][:200] if str(error) else ''}{saved}",
                  file=sys.stderr)
            traceback.print_tb(error.__traceback__, file=sys.stderr)
        return 1
    finally:
        for browser in list(Browser.opened):
            browser.close()
    print(f"ok {name} ({time.monotonic() - started:.1f} s)")
    return 0


def raw_request(method, path, headers=None, body=None, host=None):
    """One HTTP request as an attacker's script sends it: headers exactly as given (`host`
    replaces the Host header), nothing followed. Returns (status, headers, text)."""
    import http.client

    url = urllib.parse.urlparse(base_url())
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=15)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        connection.putheader("Host", host or url.netloc)
        data = body.encode() if isinstance(body, str) else body
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if data is not None:
            connection.putheader("Content-Length", str(len(data)))
        connection.endheaders(data)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def form_body(fields):
    return urllib.parse.urlencode(fields)
