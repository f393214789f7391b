"""The business-case page in a real browser (headless Chromium): the fan charts render with
Plotly, served locally, without JavaScript errors; a screenshot goes beside the other
end-to-end screenshots (``artifacts/screenshots/``)."""

from __future__ import annotations

from brobygger.web.forecast import services
from tests.web.browser import PASSWORD


def test_the_business_case_page_draws_its_fan_charts(transactional_db, live_server, world,
                                                     browser, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.BROBYGGER_FORECAST_DRAWS = 48
    services._MEMO.clear()
    driver = browser.driver
    driver.get(f"{live_server.url}/accounts/login/")
    browser.loaded("/accounts/login/")
    browser.prove_console_is_read()
    browser.visible("#id_username").send_keys(world.owner.username)
    browser.css("#id_password").send_keys(PASSWORD)
    browser.css("main form button[type=submit]").click()
    browser.loaded("/forecast/")  # a municipality user lands on its business case
    browser.visible("#fan-municipality.js-plotly-plot")
    browser.visible("#fan-state.js-plotly-plot")
    browser.visible("#break-even-municipality.js-plotly-plot")
    # the median and both bands are drawn as SVG paths
    traces = driver.execute_script(
        "return document.querySelectorAll('#fan-municipality .scatterlayer .trace').length")
    assert traces == 5
    big = browser.css('[data-testid="p-gain-municipality"]').text
    assert big.endswith("%")
    browser.collect_console()
    assert not browser.errors(), browser.errors()

    assert browser.screenshot("forecast").stat().st_size > 10_000
    services._MEMO.clear()
