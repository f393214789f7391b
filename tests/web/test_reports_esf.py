"""The ESF indicator report download: the core's figures for the user's scope, a period
that is checked, and nothing of another municipality."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from openpyxl import load_workbook

from brobygger.payments.events import table_from_records
from brobygger.reports.esf import CODES, Profile, esf_report
from brobygger.web.pathways.coreevents import records
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.registry.models import Partnership, Target

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}


def add(participant, kind, day, by, **extra):
    PathwayEvent.objects.create(participant=participant, kind=kind, occurred_on=day,
                                registered_by=by, **extra)


@pytest.fixture
def pathways(world):
    """A (a woman, partnership A) goes all the way to a job at A's enterprise in 2019;
    B (a man, partnership B) starts the course in 2019 and completes it in 2020."""
    a, b = world.participant_a, world.participant_b
    add(a, EventKind.INDUCTION_START, dt.date(2019, 4, 1), world.owner)
    add(a, EventKind.INDUCTION_COMPLETION, dt.date(2019, 8, 1), world.owner)
    add(a, EventKind.EMPLOYMENT_START, dt.date(2019, 9, 1), world.owner,
        employer=world.enterprise_a, hours_per_week=30, monthly_wage=18000, subsidy_type="none")
    add(b, EventKind.INDUCTION_START, dt.date(2019, 4, 1), world.outsider)
    add(b, EventKind.INDUCTION_COMPLETION, dt.date(2020, 2, 1), world.outsider)
    Target.objects.create(programme=world.partnership_a.programme, code="3B.1", label="x",
                          value=148)
    return world


def workbook(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return load_workbook(io.BytesIO(response.content))


def figures(book) -> dict[str, tuple[int, int, int]]:
    """code -> (women, men, total) from the indicator sheet (the participants row has no
    code)."""
    return {row[0] or "referrals": tuple(row[2:5])
            for row in book.worksheets[0].iter_rows(min_row=2, values_only=True)}


def core_figures(partnerships, start, end) -> dict[str, tuple[int, int, int]]:
    """The same report computed directly by the core from the registry's events."""
    participants = Participant.objects.filter(partnership__in=partnerships)
    table, problems = table_from_records(records(participants, partnerships, as_of=end))
    assert problems == []
    profiles = {p.reference: Profile(p.gender, p.age_band_at_entry,
                                     p.employment_status_at_entry, p.education,
                                     p.migrant_background, p.disability, p.other_disadvantage)
                for p in participants}
    report = esf_report(table, profiles, start, end)
    return {code: (c.female, c.male, c.total) for code, c in report.by_indicator.items()}


def test_the_operator_gets_the_whole_programme_as_the_core_counts_it(pathways):
    book = workbook(pathways.client_for("operator").get("/reports/esf.xlsx", **EN))
    assert book.sheetnames == ["Indicators", "Participant categories", "Metadata"]
    got = figures(book)
    assert got == core_figures(Partnership.objects.all(), dt.date(2018, 1, 1),
                               dt.date(2022, 12, 31))
    assert got["3B.1"] == (1, 1, 2)
    assert got["3B.2"] == (1, 1, 2)
    assert got["3B.3"] == (1, 0, 1)
    assert got["referrals"] == (1, 1, 2)
    # the programme's target stands beside the whole programme's figures
    assert book.worksheets[0]["F3"].value == 148


def test_a_municipality_gets_its_own_partnerships_only(pathways):
    got = figures(workbook(pathways.client_for("owner").get("/reports/esf.xlsx", **EN)))
    assert got == core_figures([pathways.partnership_a], dt.date(2018, 1, 1),
                               dt.date(2022, 12, 31))
    assert got["3B.1"] == (1, 0, 1) and got["3B.3"] == (1, 0, 1)
    book = workbook(pathways.client_for("outsider").get("/reports/esf.xlsx", **EN))
    assert figures(book)["3B.1"] == (0, 1, 1)
    assert figures(book)["3B.3"] == (0, 0, 0)
    assert book.worksheets[0]["F3"].value is None  # no programme target for a part of it


def test_the_period_narrows_the_counts(pathways):
    client = pathways.client_for("operator")
    q2 = figures(workbook(client.get("/reports/esf.xlsx", {"period": "2019-Q2"}, **EN)))
    assert q2["3B.1"] == (1, 1, 2)
    assert q2["3B.2"] == (0, 0, 0)
    assert q2["referrals"] == (0, 0, 0)  # both were referred in March
    y2020 = figures(workbook(client.get("/reports/esf.xlsx", {"from": "2020-01-01",
                                                              "to": "2020-12-31"}, **EN)))
    assert y2020 == core_figures(Partnership.objects.all(), dt.date(2020, 1, 1),
                                 dt.date(2020, 12, 31))
    assert y2020["3B.2"] == (0, 1, 1)


def test_the_categories_sheet_splits_by_gender(pathways):
    book = workbook(pathways.client_for("operator").get("/reports/esf.xlsx", **EN))
    sheet = book["Participant categories"]
    header = [c.value for c in sheet[1]]
    rows = {(r[0], r[1]): dict(zip(header, r, strict=True))
            for r in sheet.iter_rows(min_row=2, values_only=True)}
    long_term = rows[("Employment status at entry", "long-term unemployed")]
    assert long_term["3B.1: Women"] == 1 and long_term["3B.1: Men"] == 1
    assert long_term["3B.1: Total"] == 2


def test_the_metadata_says_what_the_file_holds(pathways):
    book = workbook(pathways.client_for("owner").get("/reports/esf.xlsx", {"period": "2019"},
                                                     **EN))
    meta = {r[0]: r[1] for r in book["Metadata"].iter_rows(values_only=True)}
    assert meta["Programme"] == "P"
    assert meta["Period"] == "2019-01-01 – 2019-12-31"
    assert "Jobcenter A" in meta["Scope"] and "Jobcenter B" not in meta["Scope"]
    # times are written with their zone, as text: Excel cells have no time zone
    stamp = r"\d{4}-\d\d-\d\d \d\d:\d\d \w+"
    assert re.fullmatch(stamp, meta["Generated at"])
    assert re.fullmatch(stamp, meta["Data date (newest registration included)"])


def test_danish_is_the_default_language(pathways):
    book = workbook(pathways.client_for("owner").get("/reports/esf.xlsx"))
    assert book.sheetnames[0] == "Indikatorer"
    assert book.worksheets[0]["C1"].value == "Kvinder"


@pytest.mark.parametrize(("query", "field"), [
    ({"period": "2020-Q5"}, "period"),
    ({"period": "last year"}, "period"),
    ({"from": "2020-13-01"}, "from"),
    ({"to": "31-12-2020"}, "to"),
    ({"from": "2021-01-01", "to": "2020-01-01"}, "to"),
    ({"period": "2020", "from": "2020-01-01"}, "period"),
    ({"partnership": "A"}, "partnership"),
])
@pytest.mark.parametrize("url", ["/reports/esf.xlsx", "/reports/export/indicators.csv",
                                 "/reports/export/participants.xlsx"])
def test_a_bad_parameter_is_a_400_that_names_it(world, url, query, field):
    response = world.client_for("owner").get(url, query, **EN)
    assert response.status_code == 400
    html = response.content.decode()
    label = {"period": "Period", "from": "From", "to": "To", "partnership": "Partnership"}
    assert f"<strong>{label[field]}</strong>:" in html  # named as the form labels it


def test_a_bad_period_is_said_in_danish_with_danish_dates(world):
    response = world.client_for("owner").get(
        "/reports/esf.xlsx", {"from": "2021-01-01", "to": "2020-01-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "<strong>Til</strong>: Perioden slutter (01.01.2020), før den begynder (01.01.2021)." \
        in html
    html = world.client_for("owner").get("/reports/esf.xlsx", {"period": "sidste år"}
                                         ).content.decode()
    assert "<strong>Periode</strong>: “sidste år” er ikke en periode" in html


def test_an_outsider_asking_for_another_municipalitys_partnership_gets_404(pathways):
    client = pathways.client_for("outsider")
    pk = pathways.partnership_a.pk
    assert client.get("/reports/esf.xlsx", {"partnership": pk}).status_code == 404
    mine = client.get("/reports/esf.xlsx", {"partnership": pathways.partnership_b.pk}, **EN)
    assert figures(workbook(mine))["3B.1"] == (0, 1, 1)


def test_one_partnership_for_the_operator(pathways):
    client = pathways.client_for("operator")
    got = figures(workbook(client.get("/reports/esf.xlsx",
                                      {"partnership": pathways.partnership_a.pk}, **EN)))
    assert got == core_figures([pathways.partnership_a], dt.date(2018, 1, 1),
                               dt.date(2022, 12, 31))


def test_the_reports_page_lists_the_downloads(world):
    response = world.client_for("colleague").get("/reports/", **EN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "/reports/esf.xlsx" in html
    for table in ("participants", "partnerships", "growth", "indicators"):
        for fmt in ("csv", "xlsx"):
            assert f"/reports/export/{table}.{fmt}" in html
    assert ">A</option>" in html and ">B</option>" not in html  # only own partnerships


def test_anonymous_users_are_sent_to_the_login(world):
    client = world.client_for("anonymous")
    for url in ("/reports/", "/reports/esf.xlsx", "/reports/export/participants.csv"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_every_code_is_in_the_report(pathways):
    got = figures(workbook(pathways.client_for("operator").get("/reports/esf.xlsx", **EN)))
    assert set(got) == set(CODES)


def test_the_empty_form_asks_for_the_defaults(pathways):
    client = pathways.client_for("owner")
    empty = {"period": "", "from": "", "to": "", "partnership": ""}
    assert figures(workbook(client.get("/reports/esf.xlsx", empty, **EN))) == figures(
        workbook(client.get("/reports/esf.xlsx", **EN)))
