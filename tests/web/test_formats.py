"""Dates on screen in the page's language: Danish 29.11.2026; English as read in Denmark,
day first (29/11/2026), not the United States' month first."""

from __future__ import annotations

import datetime as dt

from django.utils import translation
from django.utils.formats import date_format


def test_english_pages_write_dates_day_first_as_read_in_denmark():
    day = dt.date(2026, 11, 29)
    with translation.override("en"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "29/11/2026"
        assert date_format(day, "DATE_FORMAT") == "29 Nov 2026"
    with translation.override("da"):
        assert date_format(day, "SHORT_DATE_FORMAT") == "29.11.2026"
