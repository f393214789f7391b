"""The scenario lab in headless Chromium: change a lever, the result is redrawn by htmx and
Plotly, a bad value shows its error next to the field, and the page logs no JavaScript error.

Screenshots go beside the other end-to-end screenshots (``artifacts/screenshots/``).
"""

from __future__ import annotations

from brobygger.lab import lab_changes
from brobygger.reports.format import percent
from brobygger.web.lab.models import Run
from tests.web.browser import PASSWORD

#: the first answer simulates 10,000 draws in the live server (and loads numba's kernels)
SIMULATION_WAIT_SECONDS = 120


def test_changing_a_lever_redraws_the_result_in_the_browser(
    transactional_db, live_server, world, browser
):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    driver = browser.driver

    def wait(condition, message: str):
        return browser.wait(condition, message, SIMULATION_WAIT_SECONDS)

    def text(selector: str) -> str:
        found = driver.find_elements(By.CSS_SELECTOR, selector)
        return found[0].text if found else ""

    driver.get(f"{live_server.url}/accounts/login/")
    browser.loaded("/accounts/login/")
    browser.prove_console_is_read()
    browser.visible("#id_username").send_keys(world.owner.username)
    browser.css("#id_password").send_keys(PASSWORD)
    browser.css("main form button[type=submit]").click()
    wait(lambda d: "/accounts/login/" not in d.current_url, "the login did not go through")
    browser.loaded("/")

    driver.get(f"{live_server.url}/lab/")
    browser.loaded("/lab/")
    wait(lambda d: text("#lab-p-gain"), "the lab's first result never arrived")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#lab-result .lab-chart .main-svg"),
         "Plotly did not draw the histogram")
    first = (text("#lab-p-gain"), text("#lab-p50"))
    assert "%" in first[0] and "kr." in first[1]

    # a newer change aborts a request in flight (hx-sync="this:replace") and htmx logs the
    # abort as a console error, which the console check leaves out (console_errors): one
    # aborted on purpose here proves the real message is the one left out, and no other
    driver.execute_script("""
        const form = document.getElementById('lab-form');
        form.addEventListener('htmx:beforeSend', () => setTimeout(
            () => htmx.trigger(form, 'htmx:abort')), {once: true});
        form.addEventListener('htmx:sendAbort', () => { window.labAborted = true; },
                              {once: true});
        htmx.trigger(form, 'change');""")
    wait(lambda d: d.execute_script("return window.labAborted === true"),
         "the request aborted on purpose was not aborted")
    browser.collect_console()
    aborts = [e for e in browser.console if '"htmx:sendAbort' in e["message"]]
    assert aborts and aborts[0]["level"] == "SEVERE", browser.console

    # fewer draws and a lower job-finding rate: a new result replaces the old one
    Select(browser.css("#id_draws")).select_by_value("2000")
    lever = browser.css("#id_rate-job_finding")
    lever.clear()
    lever.send_keys("0,5", Keys.TAB)
    wait(lambda d: text("#lab-p50") and (text("#lab-p-gain"), text("#lab-p50")) != first
         and "2.000" in text("#lab-headline"),
         "the result did not change after the job-finding rate was lowered")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#lab-result .lab-chart .main-svg"),
         "Plotly did not redraw the histogram")

    # a negative price: the core's error appears next to the price, the result goes away
    price = browser.css("#id_price-job_start")
    price.clear()
    price.send_keys("-5", Keys.TAB)
    wait(lambda d: "skal være mindst 0" in text("#errors-price-job_start"),
         "no error next to the price field")
    assert not driver.find_elements(By.CSS_SELECTOR, "#lab-p-gain")
    price.clear()
    price.send_keys("15000", Keys.TAB)
    wait(lambda d: text("#lab-p-gain") and not text("#errors-price-job_start"),
         "the error did not clear once the price was valid again")

    assert browser.screenshot("lab").stat().st_size > 1000
    browser.collect_console()

    # the same inputs as a background run: the page polls until the run is done
    Select(browser.css("#id_draws")).select_by_value("500")
    browser.css("#id_name").send_keys("Lower job finding")
    driver.find_element(By.CSS_SELECTOR, "button[formaction$='/lab/runs/new/']").click()
    browser.loaded("/lab/runs/")
    wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#lab-p-gain")
         and text("#run-status").lower() == "færdig", "the run's page never showed its result")
    run = Run.objects.get()
    assert run.status == Run.Status.DONE and run.progress == 500
    assert run.changes == lab_changes("default", {"rate.job_finding": 0.5})
    assert text("#lab-p-gain") == percent(run.result["net_result"]["municipality"]["p_gain"], 1)
    assert browser.screenshot("lab-run").stat().st_size > 1000

    browser.collect_console()
    assert not browser.errors(), "browser console errors:\n" + "\n".join(
        f"{e.get('source', '')}: {e['message']}" for e in browser.errors())


def test_an_update_pending_when_a_button_submits_the_form_stays_an_update(
    transactional_db, live_server, world, browser
):
    """htmx sends a form's requests to the formaction of its last clicked submit button:
    a live update still pending when "Run in the background" is clicked must not queue a
    second run (nor a "Save" save twice)."""
    driver = browser.driver
    driver.get(f"{live_server.url}/accounts/login/")
    browser.loaded("/accounts/login/")
    browser.visible("#id_username").send_keys(world.owner.username)
    browser.css("#id_password").send_keys(PASSWORD)
    browser.css("main form button[type=submit]").click()
    browser.wait(lambda d: "/accounts/login/" not in d.current_url, "the login did not go through")
    driver.get(f"{live_server.url}/lab/?draws=500")
    browser.loaded("/lab/")
    browser.wait(lambda d: d.find_elements("css selector", "#lab-p-gain"),
                 "the lab's first result never arrived", SIMULATION_WAIT_SECONDS)
    # the button is clicked (htmx notes it) but the page stays; then a lever's change
    # sends the live update that was pending
    driver.execute_script("""
        window.labRequests = [];
        document.body.addEventListener("htmx:afterRequest", function (event) {
          window.labRequests.push(event.detail.requestConfig.path);
        });
        var form = document.getElementById("lab-form");
        form.addEventListener("submit", function (event) { event.preventDefault(); },
                              {once: true});
        form.querySelector("button[formaction$='/lab/runs/new/']").click();
        form.dispatchEvent(new Event("change", {bubbles: true}));
    """)
    paths = browser.wait(lambda d: d.execute_script("return window.labRequests"),
                         "the live update was not sent", SIMULATION_WAIT_SECONDS)
    assert paths == ["/lab/update/"], paths
    assert not Run.objects.exists()
    browser.collect_console()
