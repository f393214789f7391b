"""The accelerator dashboard: each enterprise's growth against its cohort, from the core."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest

from brobygger.indicators import GrowthFigure as CoreFigure
from brobygger.indicators import cohort_bands, yearly
from brobygger.web.accelerator.models import Enrolment, GrowthFigure
from brobygger.web.registry.models import Organisation


def figure(response, name: str) -> dict:
    match = re.search(rf'<script id="chart-{name}" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, f"no chart-{name} on the page"
    return json.loads(match.group(1))


def report(enterprise, year: int, revenue, fte, places: int = 0, by=None) -> GrowthFigure:
    return GrowthFigure.objects.create(
        enterprise=enterprise, period_start=dt.date(year, 1, 1), period_end=dt.date(year, 12, 31),
        revenue=Decimal(revenue), fte=Decimal(fte), education_places=places, registered_by=by)


@pytest.fixture
def cohort(world):
    """Enterprise A and four more in cohort "Hold 1"; enterprise B alone in "Hold 2"."""
    members = [world.enterprise_a] + [
        Organisation.objects.create(name=f"Virksomhed {i}",
                                    kind=Organisation.Kind.SOCIAL_ENTERPRISE)
        for i in range(4)]
    for k, e in enumerate(members):
        Enrolment.objects.create(enterprise=e, cohort="Hold 1", starts_on=dt.date(2018, 9, 1))
        report(e, 2018, 1_000_000 + 100_000 * k, 4 + k, places=k)
        report(e, 2019, 1_234_567 + 200_000 * k, 5 + k)
    report(members[1], 2020, 2_000_000, 9)  # only one reports 2020: no band that year
    Enrolment.objects.create(enterprise=world.enterprise_b, cohort="Hold 2",
                             starts_on=dt.date(2019, 9, 1))
    report(world.enterprise_b, 2019, 500_000, 2)
    return members


def test_the_cohort_band_is_the_core_s(world, cohort):
    response = world.client_for("enterprise").get(
        f"/dashboard/accelerator/{world.enterprise_a.pk}/")
    assert response.status_code == 200
    core = yearly(CoreFigure(str(f.enterprise_id), f.period_start, f.period_end,
                             float(f.revenue), float(f.fte), f.education_places,
                             f.internship_places, f.ordinary_hires, f.vulnerable_hires)
                  for f in GrowthFigure.objects.all())
    bands = cohort_bands(core, [str(e.pk) for e in cohort], "revenue")
    chart = figure(response, "revenue")
    traces = {t["name"]: t for t in chart["data"]}
    low, high, median, own = chart["data"]
    assert low["x"] == ["2018", "2019"]  # 2020 has a single reporter: hidden
    assert low["y"] == [bands[2018].p25, bands[2019].p25]
    assert high["y"] == [bands[2018].p75, bands[2019].p75]
    assert median["y"] == [bands[2018].median, bands[2019].median]
    assert own["y"] == [core[str(world.enterprise_a.pk)][y]["revenue"] for y in (2018, 2019)]
    assert world.enterprise_a.name in traces
    assert bands[2019].n == 5 and bands[2020].n == 1
    assert response.context["bands"]["fte"][2019].median == cohort_bands(
        core, [str(e.pk) for e in cohort], "fte")[2019].median


def test_a_cohort_too_small_shows_no_band(world, cohort):
    response = world.client_for("operator").get(
        f"/dashboard/accelerator/{world.enterprise_b.pk}/")
    chart = figure(response, "revenue")
    assert [t["name"] for t in chart["data"]] == [world.enterprise_b.name]


def test_numbers_are_in_danish_format(world, cohort):
    response = world.client_for("enterprise").get(
        f"/dashboard/accelerator/{world.enterprise_a.pk}/")
    html = response.content.decode()
    assert "1.234.567" in html  # revenue 2019
    assert "23,5 %" in html  # growth 1,000,000 -> 1,234,567
    assert "<td>2019</td>" in html and "2.019" not in html  # a year is not a number
    # each chart is named for a screen reader by its measure's name, not its key
    names = re.findall(r'<div class="chart" data-figure="chart-[a-z_]+" role="img" '
                       r'aria-label="([^"]*)"', html)
    assert "Omsætning (kr.)" in names and "Årsværk" in names and "revenue" not in names
    listing = world.client_for("enterprise").get("/dashboard/accelerator/").content.decode()
    assert "1.234.567" in listing and "23,5 %" in listing
    grown, n, plural = re.search(r"(\d+) af (\d+) rapporterende (virksomhed(?:er)?) øgede",
                                 listing).groups()
    assert plural == ("virksomhed" if n == "1" else "virksomheder"), (grown, n, plural)


def test_an_outsider_cannot_see_another_municipality_s_enterprise(world, cohort):
    client = world.client_for("outsider")
    assert client.get(f"/dashboard/accelerator/{world.enterprise_a.pk}/").status_code == 404
    listing = client.get("/dashboard/accelerator/")
    assert listing.status_code == 200
    names = [r["enterprise"].name for r in listing.context["rows"]]
    assert names == [world.enterprise_b.name]
    assert world.enterprise_a.name not in listing.content.decode()


def test_the_operator_sees_every_enterprise(world, cohort):
    listing = world.client_for("operator").get("/dashboard/accelerator/")
    assert len(listing.context["rows"]) == 6
    assert listing.context["grown"] == 5  # the five of Hold 1 grew; B reported one year
    overview = figure(listing, "overview")["data"][0]
    assert len(overview["y"]) == 5


def test_an_enterprise_outside_any_cohort_has_no_comparison(world):
    report(world.enterprise_a, 2019, 100, 1)
    response = world.client_for("owner").get(f"/dashboard/accelerator/{world.enterprise_a.pk}/")
    assert response.status_code == 200 and response.context["cohort"] is None
    assert len(figure(response, "fte")["data"]) == 1
