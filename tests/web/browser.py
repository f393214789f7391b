"""Debian's headless Chromium, driven by Selenium, for the end-to-end tests: a fresh browser
per test (the ``browser`` fixture in conftest.py), waits, JavaScript console checks and
screenshots in ``artifacts/screenshots/`` (override the folder with
``BROBYGGER_ARTIFACTS_DIR``).

The browser is not optional: without /usr/bin/chromium and /usr/bin/chromedriver a browser
test fails and says how to install them (``scripts/ensure-test-tools``, which ``make test`` runs).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

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
            "is missing. Install it with `scripts/ensure-test-tools` (as root; `make test` runs "
            "it), i.e. `apt-get install chromium chromium-driver`.",
            pytrace=False,
        )
    if importlib.util.find_spec("selenium") is None:
        pytest.fail(
            "The browser test needs the Python package `selenium` (a dev dependency in "
            "pyproject.toml / uv.lock); run `uv sync` or `make test`.",
            pytrace=False,
        )


class Browser:
    """A thin layer over the WebDriver: waits, console checks and screenshots."""

    def __init__(self, driver):
        self.driver = driver
        self.console: list[dict] = []

    def wait(self, condition, message: str, seconds: float = WAIT_SECONDS):
        """Wait until ``condition(driver)`` holds. An element that htmx swapped out while the
        condition read it (stale) counts as "not yet", and the condition is tried again."""
        from selenium.common.exceptions import StaleElementReferenceException
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, seconds,
                             ignored_exceptions=(StaleElementReferenceException,)
                             ).until(condition, message)

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
        return console_errors(self.console)

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



def console_errors(entries: list[dict]) -> list[dict]:
    """The SEVERE entries of a browser log, less the requests htmx aborted on purpose.

    A form with ``hx-sync="this:replace"`` (the lab) aborts its request in flight when a
    newer one starts, and htmx reports every abort on the console as an error: the
    string "htmx:sendAbort", after "htmx:afterRequest". A superseded request is the
    behaviour asked for, not a fault, so each "htmx:sendAbort" and one "htmx:afterRequest"
    with it are left out; an "htmx:afterRequest" that came with a failed request
    ("htmx:sendError", "htmx:timeout") still counts, as does everything else.
    """
    severe = [e for e in entries if e.get("level") == "SEVERE"]
    aborts = sum('"htmx:sendAbort' in e["message"] for e in severe)
    kept = []
    for e in severe:
        if '"htmx:sendAbort' in e["message"]:
            continue
        if aborts and '"htmx:afterRequest' in e["message"]:
            aborts -= 1
            continue
        kept.append(e)
    return kept


@contextmanager
def open_browser(tmp_path: Path) -> Iterator[Browser]:
    """Headless Chromium with a fresh profile in ``tmp_path``, closed afterwards."""
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

