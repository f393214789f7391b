"""Dates on screen in the page's language: Danish 29.11.2026; English as read in Denmark,
day first (29/11/2026), not the United States' month first."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format

from brobygger.web.dashboard.charts import month_axis
from brobygger.web.pathways.forms import DateInput


def test_english_pages_write_dates_day_first_as_read_in_denmark():
    day = dt.date(2026, 11, 29)
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "29/11/2026"
        assert date_format(day, "DATE_FORMAT") == "29 Nov 2026"
    with translation.override("da"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "29.11.2026"


def test_a_short_span_of_months_is_ticked_by_name_in_the_pages_language():
    months = [f"2018-{m:02d}" for m in range(2, 10)]
    with translation.override("da"):
        axis = month_axis(months)
    assert axis["tickvals"] == ["2018-02", "2018-05", "2018-08"]
    assert axis["ticktext"] == ["februar 2018", "maj 2018", "august 2018"]
    with translation.override("en"):
        assert month_axis(months)["ticktext"][0] == "February 2018"


def test_a_date_typed_in_the_pages_format_comes_back_in_its_input():
    # a form with another error shows the date as typed; a date input takes only ISO
    with translation.override("da"):
        assert 'value="2020-01-15"' in DateInput().render("day", "15.01.2020")
    with translation.override("en"):
        assert 'value="2020-01-15"' in DateInput().render("day", "15/01/2020")
    assert 'value="2020-01-15"' in DateInput().render("day", dt.date(2020, 1, 15))
    assert 'value="15.13.2020"' in DateInput().render("day", "15.13.2020")  # kept as typed
