"""A CPR number never reaches a log line, a URL or a list page, whatever the user does."""

from __future__ import annotations

import logging
import sys

import pytest
from django.test import override_settings
from django.urls import reverse

from brobygger.cpr import redact
from brobygger.web.logfilters import RedactCpr
from tests.web.api_helpers import api_for
from tests.web.conftest import CPR_A, CPR_NEW, cpr_forms

INVALID = "3102921118"


def every_flow(world):
    """Register, fail, find, view, list and erase, on the screens and the API."""
    client = world.client_for("owner")
    urls = []
    form = {"partnership": world.partnership_a.pk, "name": "Nina", "cpr": CPR_NEW,
            "referred_on": "2020-01-15", "benefit_type": "kontanthjaelp",
            "weeks_on_benefit_at_entry": "80", "employment_status_at_entry": "unemployed",
            "education": "isced_1_2"}
    for data in (form, {**form, "cpr": INVALID}, {**form, "cpr": CPR_A}):
        r = client.post(reverse("participant-create"), data)
        urls.append(r.get("Location", ""))
    for cpr in (CPR_A, INVALID, "1234"):
        r = client.post(reverse("participant-find"), {"cpr": cpr})
        urls.append(r.get("Location", ""))
    world.client_for("outsider").post(reverse("participant-find"), {"cpr": CPR_A})
    pages = [client.get(reverse("participant-list")).content.decode(),
             client.get(reverse("partnership-list")).content.decode(),
             client.get(reverse("partnership-detail", args=[world.partnership_a.pk]))
             .content.decode()]
    client.get(reverse("participant-detail", args=[world.participant_a.pk]))
    client.get("/participants/999999/")  # a 404 is logged by django.request
    api = api_for(world, "owner")
    api.post("/participants", {"partnership_id": world.partnership_a.pk, "cpr": INVALID})
    api.post("/participants", {"partnership_id": world.partnership_a.pk, "cpr": CPR_A,
                               "referred_on": "2020-01-01", "benefit_type": "kontanthjaelp",
                               "weeks_on_benefit_at_entry": 1,
                               "employment_status_at_entry": "unemployed",
                               "education": "isced_1_2"})
    pages.append(api.get("/participants").content.decode())
    world.client_for("manager").post(reverse("participant-erase",
                                             args=[world.participant_a.pk]))
    return urls, pages


def test_no_log_line_contains_a_cpr_number(world, caplog):
    caplog.set_level(logging.DEBUG)
    every_flow(world)
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    for cpr in (CPR_A, CPR_NEW, INVALID):
        assert not any(f in logged for f in cpr_forms(cpr)), cpr


def test_not_even_the_sql_debug_log_contains_a_cpr_number(world, caplog):
    caplog.set_level(logging.DEBUG, logger="django.db.backends")
    with override_settings(DEBUG=True):
        every_flow(world)
    sql = [r for r in caplog.records if r.name == "django.db.backends"]
    assert len(sql) > 50  # the queries really were logged
    logged = "\n".join(r.getMessage() for r in sql)
    for cpr in (CPR_A, CPR_NEW, INVALID):
        assert not any(f in logged for f in cpr_forms(cpr)), cpr


def test_no_redirect_url_contains_a_cpr_number(world):
    urls, _ = every_flow(world)
    for cpr in (CPR_A, CPR_NEW, INVALID):
        assert not any(cpr[:6] in u or cpr[6:] in u for u in urls)


def test_list_pages_show_no_full_cpr_number(world):
    _, pages = every_flow(world)
    for cpr in (CPR_A, CPR_NEW):
        assert not any(f in page for page in pages for f in cpr_forms(cpr))


def test_the_log_filter_redacts_a_cpr_that_slipped_into_a_message():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "citizen %s", (CPR_A,), None)
    RedactCpr().filter(record)
    assert record.getMessage() == "citizen [CPR]"


def test_a_cpr_typed_into_the_name_search_is_refused_and_not_echoed(world):
    response = world.client_for("owner").get(reverse("participant-list"),
                                             {"q": f"{CPR_A[:6]}-{CPR_A[6:]}"}, follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("participant-list")
    assert "CPR-feltet" in html
    assert not any(f in html for f in cpr_forms(CPR_A)[1:]) and f'value="{CPR_A}' not in html


def test_runserver_request_lines_are_redacted():
    from django.conf import settings

    assert settings.LOGGING["loggers"]["django.server"]["handlers"] == ["console"]
    assert "redact_cpr" in settings.LOGGING["handlers"]["console"]["filters"]


@pytest.mark.parametrize("written", [
    "0102901234", "010290-1234", "010290 1234", "010290+1234", "010290.1234", "010290/1234",
    "010290%2D1234", "010290%2d1234", "010290%201234", "010290%2B1234"])
def test_a_cpr_number_is_redacted_however_it_is_written_or_url_encoded(written):
    assert redact(f"GET /participants/?q={written}&page=2") == "GET /participants/?q=[CPR]&page=2"


def test_longer_digit_runs_are_not_taken_for_a_cpr_number():
    assert redact("order 01029012345 and 123456-12345") == "order 01029012345 and 123456-12345"


def test_a_traceback_carrying_a_cpr_number_is_redacted():
    try:
        raise ValueError(f"cannot parse {CPR_A}")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (),
                                   sys.exc_info(), sinfo=f"stack with {CPR_A}")
    RedactCpr().filter(record)
    text = logging.Formatter().format(record)
    assert "ValueError: cannot parse [CPR]" in text and "stack with [CPR]" in text
    assert CPR_A not in text


def test_every_handler_django_s_loggers_reach_redacts():
    """Django adds handlers of its own to its ``django`` logger (a console one when DEBUG
    is on): none of them may write a line that the redacting filter has not seen (the
    test runner's own capturing handlers aside)."""
    for name in ("django", "django.request", "django.server", "django.security.csrf"):
        logger = logging.getLogger(name)
        handlers = []
        while logger is not None:
            handlers += logger.handlers
            logger = logger.parent if logger.propagate else None
        handlers = [h for h in handlers if not type(h).__module__.startswith("_pytest")]
        assert handlers, name
        for handler in handlers:
            assert any(isinstance(f, RedactCpr) for f in handler.filters), (name, handler)
