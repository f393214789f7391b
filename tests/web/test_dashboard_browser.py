"""The dashboards in a real browser (headless Chromium, as ``test_browser.py``): the Plotly
charts draw, the browser reports no JavaScript error, and each page is saved as a screenshot
beside the other end-to-end screenshots."""

from __future__ import annotations

import datetime as dt

from tests.web.browser import SCREENSHOTS

PASSWORD = "brobygger-demo"  # the demo's logins


def _charts_drawn(b, expected: int) -> None:
    b.wait(lambda d: len(d.find_elements("css selector", ".js-plotly-plot .main-svg")) >= expected,
           f"fewer than {expected} Plotly charts drew on {b.driver.current_url}")


def test_the_dashboards_draw_their_charts_without_errors(transactional_db, live_server,
                                                         browser):
    from brobygger.web.accelerator.models import Enrolment
    from brobygger.web.demo import seed_demo

    seed_demo(participants=80, seed=11, today=dt.date(2022, 12, 31))
    driver, url = browser.driver, live_server.url
    driver.get(f"{url}/accounts/login/")
    browser.loaded("/accounts/login/")
    browser.prove_console_is_read()
    browser.visible("#id_username").send_keys("operator")
    browser.css("#id_password").send_keys(PASSWORD)
    browser.css("main form button[type=submit]").click()
    browser.wait(lambda d: d.execute_script("return location.pathname") != "/accounts/login/",
                 "the operator was not logged in")

    driver.get(f"{url}/dashboard/")
    browser.loaded("/dashboard/")
    figures = len(driver.find_elements("css selector", "[data-figure]"))
    assert figures == 7
    _charts_drawn(browser, figures)
    assert "Programoverblik" in browser.visible("h1").text
    targets = browser.css("table.targets").text
    assert "3B.1" in targets and "%" in targets
    browser.screenshot("dashboard")

    # a filter is a plain GET: the page comes back filtered, charts and all
    driver.get(f"{url}/dashboard/?municipality=101&by=partnership&rank=3B.1")
    browser.loaded("/dashboard/")
    _charts_drawn(browser, figures)
    assert "af" in browser.css("p.as-of").text  # "Viser n af 18 partnerskaber"

    enterprise = Enrolment.objects.order_by("pk").first().enterprise
    driver.get(f"{url}/dashboard/accelerator/")
    browser.loaded("/dashboard/accelerator/")
    _charts_drawn(browser, 1)
    browser.screenshot("dashboard-accelerator")
    driver.get(f"{url}/dashboard/accelerator/{enterprise.pk}/")
    browser.loaded(f"/dashboard/accelerator/{enterprise.pk}/")
    _charts_drawn(browser, 5)
    bands = driver.execute_script(
        "return document.querySelector('[data-figure=chart-revenue]').data.length")
    assert bands == 4  # p25, p75 (the band), median, the enterprise
    browser.screenshot("dashboard-accelerator-enterprise")

    browser.collect_console()
    assert not browser.errors(), "browser console errors:\n" + "\n".join(
        f"{e.get('source', '')}: {e['message']}" for e in browser.errors())
    for name in ("dashboard", "dashboard-accelerator", "dashboard-accelerator-enterprise"):
        assert (SCREENSHOTS / f"{name}.png").stat().st_size > 10_000
