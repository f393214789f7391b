"""End to end in a real browser: Debian's headless Chromium, driven by Selenium, against the
app served by pytest-django's ``live_server``.

A caseworker logs in, registers a hire (an employment start) for a participant of her
municipality and sees it on the participant's timeline, with the derived status. Every page
visited is checked for JavaScript errors in the browser console, and the main pages are saved
as screenshots (see ``tests/web/browser.py``).
"""

from __future__ import annotations

import datetime as dt

from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.pathways.models import EventKind, PathwayEvent
from tests.web.browser import PASSWORD, SCREENSHOTS


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


def test_the_console_check_leaves_out_aborted_requests_only():
    """An abort (with the afterRequest htmx logs beside it) is left out; a failed request,
    an uncaught error and warnings-then-errors are not."""
    from tests.web.browser import console_errors

    def entry(message: str, level: str = "SEVERE") -> dict:
        return {"level": level, "source": "console-api",
                "message": f'http://x/static/vendor/htmx.min.js 0:1 "{message}, [object]"'}

    aborted = [entry("htmx:afterRequest"), entry("htmx:sendAbort")]
    failed = [entry("htmx:afterRequest"), entry("htmx:sendError")]
    uncaught = {"level": "SEVERE", "source": "javascript", "message": "Uncaught TypeError: x"}
    assert console_errors(aborted) == []
    assert console_errors(aborted + failed) == failed
    assert console_errors([*failed, uncaught]) == [*failed, uncaught]
    assert console_errors([entry("htmx:sendAbort", "WARNING"), uncaught]) == [uncaught]
