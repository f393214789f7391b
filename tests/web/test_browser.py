"""End to end in a real browser: Debian's headless Chromium, driven by Selenium, against the
app served by pytest-django's ``live_server``.

A caseworker logs in, registers a hire (an employment start) for a participant of her
municipality and sees it on the participant's timeline, with the derived status. Every page
visited is checked for JavaScript errors in the browser console, and the main pages are saved
as screenshots in ``artifacts/screenshots/`` (override the folder with
``BROBYGGER_ARTIFACTS_DIR``).

The browser is not optional: without /usr/bin/chromium and /usr/bin/chromedriver the test
fails and says how to install them (``scripts/ensure-chromium``, which ``make test`` runs).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path

import pytest

from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.pathways.models import EventKind, PathwayEvent

CHROMIUM = Path(os.environ.get("BROBYGGER_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("BROBYGGER_CHROMEDRIVER", "/usr/bin/chromedriver"))
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("BROBYGGER_ARTIFACTS_DIR", ROOT / "artifacts")) / "screenshots"
PASSWORD = "a-long-test-password"  # the personas' password in conftest.py
WAIT_SECONDS = 15

#: switches for a quiet, self-contained headless browser (no network beyond the live server)
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
    "--no-first-run", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--window-size=1280,900",
]


def _require_browser() -> None:
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not os.access(p, os.X_OK)]
    if missing:
        pytest.fail(
            f"The browser test needs Debian's headless Chromium, but {', '.join(missing)} "
            "is missing. Install it with `scripts/ensure-chromium` (as root; `make test` runs "
            "it), i.e. `apt-get install chromium chromium-driver`.",
            pytrace=False,
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        pytest.fail(
            "The browser test needs the Python package `selenium` (a dev dependency in "
            "pyproject.toml / uv.lock); run `uv sync` or `make test`.",
            pytrace=False,
        )


@pytest.fixture
def browser(tmp_path):
    _require_browser()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    profile = tmp_path / "chromium-profile"
    profile.mkdir()
    options.add_argument(f"--user-data-dir={profile}")
    # the app's default language, whatever the machine's locale
    options.add_argument("--lang=da")
    options.add_experimental_option("prefs", {"intl.accept_languages": "da"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(executable_path=str(CHROMEDRIVER), log_output=str(tmp_path / "driver.log"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.implicitly_wait(0)
    try:
        yield Browser(driver)
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


class Browser:
    """A thin layer over the WebDriver: waits, console checks and screenshots."""

    def __init__(self, driver):
        self.driver = driver
        self.console: list[dict] = []

    def wait(self, condition, message: str):
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, WAIT_SECONDS).until(condition, message)

    def css(self, selector: str):
        from selenium.webdriver.common.by import By

        return self.driver.find_element(By.CSS_SELECTOR, selector)

    def visible(self, selector: str):
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions as ec

        return self.wait(ec.visibility_of_element_located((By.CSS_SELECTOR, selector)),
                         f"{selector} did not appear on {self.driver.current_url}")

    def loaded(self, path_prefix: str) -> None:
        """Wait until the browser shows a page under ``path_prefix`` and has finished it."""
        self.wait(lambda d: d.execute_script("return location.pathname").startswith(path_prefix)
                  and d.execute_script("return document.readyState") == "complete",
                  f"no page under {path_prefix} (at {self.driver.current_url})")
        self.collect_console()

    def collect_console(self) -> None:
        # reading the log empties it, so keep what each page said
        self.console.extend(self.driver.get_log("browser"))

    def prove_console_is_read(self) -> None:
        """An uncaught error thrown on purpose must reach the log, or the check means nothing."""
        self.driver.execute_script("setTimeout(() => { throw new Error('console-canary'); })")

        def canary_seen(driver) -> bool:
            seen = False
            for entry in driver.get_log("browser"):
                if "console-canary" in entry["message"] and entry["level"] == "SEVERE":
                    seen = True
                else:  # anything else the page said still counts
                    self.console.append(entry)
            return seen

        self.wait(canary_seen, "a JavaScript error thrown on purpose never reached the browser log")

    def errors(self) -> list[dict]:
        return [e for e in self.console if e.get("level") == "SEVERE"]

    def screenshot(self, name: str) -> Path:
        """The whole page (the window grows to its height), saved as ``name``.png."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        height = self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight)"
        )
        self.driver.set_window_size(1280, max(900, min(int(height) + 120, 4000)))
        path = SCREENSHOTS / f"{name}.png"
        assert self.driver.save_screenshot(str(path)), f"no screenshot of {name}"
        self.driver.set_window_size(1280, 900)
        return path


def test_a_caseworker_registers_a_hire_in_the_browser_and_sees_it_on_the_timeline(
    transactional_db, live_server, world, browser
):
    from selenium.webdriver.support.ui import Select

    participant = world.participant_a
    GrowthFigure.objects.bulk_create([
        GrowthFigure(enterprise=world.enterprise_a, period_start=dt.date(year, 1, 1),
                     period_end=dt.date(year, 12, 31), revenue=revenue, fte=fte,
                     vulnerable_hires=hires, registered_by=world.enterprise)
        for year, revenue, fte, hires in [(2018, 1_200_000, 4, 0), (2019, 1_650_000, 6, 2),
                                          (2020, 2_300_000, 8.5, 3)]
    ])
    driver = browser.driver
    url = live_server.url

    # log in through the form, as a person would
    driver.get(f"{url}/accounts/login/")
    browser.loaded("/accounts/login/")
    browser.prove_console_is_read()
    browser.visible("#id_username").send_keys(world.owner.username)
    browser.css("#id_password").send_keys(PASSWORD)
    browser.css("main form button[type=submit]").click()

    # she lands on her municipality's business case; the navigation leads to her participants
    browser.loaded("/forecast/")
    browser.css("nav a[href='/participants/']").click()

    # the participant list: her municipality's participant, masked CPR, not the other's
    browser.loaded("/participants/")
    rows = browser.visible("#participant-rows").text
    assert participant.reference in rows
    assert world.participant_b.reference not in rows
    assert "010290-XXXX" in rows and "0102901234" not in driver.page_source
    assert browser.css("html").get_attribute("lang") == "da"
    browser.screenshot("participant-list")

    # to the timeline, then to the event form
    driver.find_element("link text", participant.reference).click()
    browser.loaded(f"/participants/{participant.pk}/")
    driver.find_element("css selector", f"a[href$='/participants/{participant.pk}/events/new/']"
                        ).click()
    browser.loaded(f"/participants/{participant.pk}/events/new/")

    # choosing the kind makes htmx swap in only that kind's fields (no benefit month here)
    assert browser.css("#id_benefit_month")  # every field before a kind is chosen
    Select(browser.css("#id_kind")).select_by_value(EventKind.EMPLOYMENT_START)
    browser.wait(lambda d: not d.find_elements("css selector", "#id_benefit_month"),
                 "htmx did not swap in the employment start's fields")
    browser.collect_console()
    hired_on = dt.date(2019, 9, 2)
    # a date input types in the browser's locale; set its ISO value directly
    driver.execute_script("arguments[0].value = arguments[1]", browser.visible("#id_occurred_on"),
                          hired_on.isoformat())
    assert Select(browser.css("#id_kind")).first_selected_option.get_attribute("value") == (
        EventKind.EMPLOYMENT_START)
    Select(browser.css("#id_employer")).select_by_visible_text(world.enterprise_a.name)
    browser.css("#id_hours_per_week").send_keys("37")
    browser.css("#id_monthly_wage").send_keys("24500")
    Select(browser.css("#id_subsidy_type")).select_by_value("none")
    browser.css("main form button[type=submit]").click()

    # back on the timeline: the hire is there, with employer and the derived status
    browser.loaded(f"/participants/{participant.pk}/")
    assert "Hændelsen er registreret." in browser.visible("ul.messages").text
    timeline = browser.visible("main table tbody")
    hire_rows = [r for r in timeline.find_elements("css selector", "tr")
                 if world.enterprise_a.name in r.text]
    assert len(hire_rows) == 1, timeline.text
    assert "Ansættelse" in hire_rows[0].text and "02.09.2019" in hire_rows[0].text
    assert world.owner.username in hire_rows[0].text
    assert "ansat i acceleratorvirksomheden" in browser.css("dl.facts").text
    event = PathwayEvent.objects.get(participant=participant, kind=EventKind.EMPLOYMENT_START)
    assert (event.occurred_on, event.employer_id, event.registered_by_id) == (
        hired_on, world.enterprise_a.pk, world.owner.pk)
    browser.screenshot("timeline")

    # the enterprise's accelerator page and the partnership page
    driver.get(f"{url}/enterprises/{world.enterprise_a.pk}/")
    browser.loaded(f"/enterprises/{world.enterprise_a.pk}/")
    assert world.enterprise_a.name in browser.visible("h1").text
    assert "2.300.000" in browser.css("main table").text
    browser.screenshot("enterprise")

    driver.get(f"{url}/partnerships/{world.partnership_a.pk}/")
    browser.loaded(f"/partnerships/{world.partnership_a.pk}/")
    assert world.partnership_a.name in browser.visible("h1").text
    browser.screenshot("partnership")

    # no JavaScript errors (nor failed loads of scripts and styles) on any page
    browser.collect_console()
    assert not browser.errors(), "browser console errors:\n" + "\n".join(
        f"{e.get('source', '')}: {e['message']}" for e in browser.errors()
    )
    for name in ("participant-list", "timeline", "enterprise", "partnership"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 1000
