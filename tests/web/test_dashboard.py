"""The programme dashboard shows the core's figures, for the user's partnerships only."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import numpy as np
import pytest

from brobygger.indicators import (
    compute_indicators,
    compute_pipeline,
    restrict,
    share_of_targets,
    target_path,
)
from brobygger.payments.events import table_from_records
from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.pathways.coreevents import records
from brobygger.web.pathways.models import EventKind, Participant, PathwayEvent
from brobygger.web.registry.models import Partnership, Programme, Target


def core_table(partnerships, as_of: dt.date):
    """The registry's events the way every other part of the app hands them to the core."""
    participants = Participant.objects.filter(partnership__in=partnerships)
    table, problems = table_from_records(records(participants, partnerships, as_of=as_of))
    assert problems == []
    return table


def figure(response, name: str) -> dict:
    """The chart's JSON exactly as the page embeds it."""
    match = re.search(rf'<script id="chart-{name}" type="application/json">(.*?)</script>',
                      response.content.decode(), re.S)
    assert match, f"no chart-{name} on the page"
    return json.loads(match.group(1))


@pytest.fixture
def demo(db):
    from brobygger.web.demo import seed_demo

    return seed_demo(participants=90, seed=7, today=dt.date(2022, 12, 31))


def test_every_figure_is_the_core_s_for_the_same_events(demo, client):
    client.login(username="operator", password="brobygger-demo")
    response = client.get("/dashboard/")
    assert response.status_code == 200
    today = response.context["as_of"]
    programme = demo.programme
    partnerships = list(Partnership.objects.filter(programme=programme))
    table = core_table(partnerships, today)
    expected = compute_indicators(table, as_of=today, start=programme.starts_on)
    shown = response.context["indicators"]
    assert shown.totals == expected.totals
    assert shown.cumulative == expected.cumulative
    assert shown.groups == expected.groups
    assert shown.totals["3B.1"] > 30 and shown.totals["places"] > 0  # a real programme
    pipeline = compute_pipeline(table, as_of=today, start=programme.starts_on)
    assert response.context["pipeline"].counts == pipeline.counts
    assert response.context["pipeline"].by_month == pipeline.by_month

    # the charts draw those numbers
    over_time = figure(response, "over-time")
    lines = {t["legendgroup"]: t["y"] for t in over_time["data"]
             if t["line"].get("dash") is None}
    shown_months = over_time["data"][0]["x"]
    # to the programme's end (September 2022, after the demo's last event), not to today
    assert shown_months[0] == "2018-02" and shown_months[-1] == "2022-09"
    # its axis and hover in the page's words, not the model's month keys
    axis = over_time["layout"]["xaxis"]
    assert axis["tickvals"] == ["2019-01", "2020-01", "2021-01", "2022-01"]
    assert axis["ticktext"] == ["2019", "2020", "2021", "2022"]
    assert over_time["data"][0]["customdata"][:2] == ["februar 2018", "marts 2018"]
    assert lines["3B.3"] == list(expected.cumulative["3B.3"][:len(shown_months)])
    targets = {t.code: float(t.value) for t in programme.targets.all()}
    dotted = {t["legendgroup"]: t["y"] for t in over_time["data"]
              if t["line"].get("dash") == "dot"}
    path = target_path(targets["3B.1"], programme.starts_on, programme.ends_on, shown_months)
    assert dotted["3B.1"] == pytest.approx(path, abs=0.01)
    bars = figure(response, "targets")["data"][0]
    share = dict(zip(bars["ids"], bars["x"], strict=True))
    # each bar named as on the page: the programme's number only where it has one
    assert "3B.2 Gennemført indslusningsforløb" in bars["y"]
    assert "Uddannelses- og praktikpladser etableret" in bars["y"] and "places" not in bars["y"]
    page = response.content.decode()
    assert '<option value="places">Uddannelses- og praktikpladser etableret</option>' in page
    assert share["3B.2"] == pytest.approx(100 * expected.totals["3B.2"] / targets["3B.2"], abs=0.05)
    pipe = figure(response, "pipeline")["data"][0]
    assert pipe["y"] == list(pipeline.counts.values())
    stacked = figure(response, "pipeline-groups")["data"]
    by_muni_now = pipeline.groups["municipality"]
    assert sum(sum(t["y"]) for t in stacked) == pipeline.total
    assert sorted(sum(t["y"][i] for t in stacked) for i in range(len(stacked[0]["x"]))) == \
        sorted(sum(g.values()) for g in by_muni_now.values())
    ranking = figure(response, "ranking")["data"][0]
    by_muni = expected.groups["municipality"]
    assert sorted(ranking["x"], reverse=True) == sorted((g["3B.3"] for g in by_muni.values()),
                                                        reverse=True)
    assert response.context["last_event"] is not None

    # and the table on the page says the same, in Danish format
    from brobygger.reports.format import number

    html = response.content.decode()
    for code in ("3B.1", "3B.2", "3B.3", "3B.4", "places", "ordinary_hires", "partnerships"):
        row = re.search(rf'<tr data-code="{re.escape(code)}">(.*?)</tr>', html, re.S).group(1)
        cells = re.findall(r'<td class="num">([^<]*)</td>', row)
        assert cells[0] == number(expected.totals[code]), code
        assert cells[1] == number(targets[code]), code


def test_a_filter_shows_the_core_s_figures_for_that_municipality(demo, client):
    client.login(username="operator", password="brobygger-demo")
    response = client.get("/dashboard/", {"municipality": "147", "by": "partnership"})
    assert response.status_code == 200
    today = response.context["as_of"]
    partnerships = list(Partnership.objects.filter(programme=demo.programme))
    table = restrict(core_table(partnerships, today), municipalities=["147"])
    expected = compute_indicators(table, as_of=today, start=demo.programme.starts_on)
    assert response.context["indicators"].totals == expected.totals
    in_147 = [p for p in partnerships if p.municipality.municipality.code == "147"]
    targets = {t.code: float(t.value) for t in demo.programme.targets.all()}
    assert response.context["targets"] == share_of_targets(targets, len(in_147),
                                                           len(partnerships))
    groups = figure(response, "groups")
    assert sorted(groups["data"][0]["x"]) == sorted(p.name for p in in_147)


def test_a_municipality_sees_only_its_partnerships(world, client):
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.INDUCTION_START,
                                occurred_on=dt.date(2019, 4, 1), registered_by=world.owner)
    for persona, mine, other in (("owner", world.partnership_a, world.partnership_b),
                                 ("outsider", world.partnership_b, world.partnership_a)):
        response = world.client_for(persona).get("/dashboard/")
        assert response.status_code == 200
        shown = response.context["indicators"]
        today = response.context["as_of"]
        expected = compute_indicators(core_table([mine], today), as_of=today,
                                      start=dt.date(2018, 1, 1))
        assert shown.totals == expected.totals
        assert set(shown.groups["partnership"]) == {str(mine.pk)}
        assert other.municipality.municipality.name not in response.content.decode()
    assert world.client_for("owner").get("/dashboard/").context["indicators"].totals["3B.1"] == 1
    assert world.client_for("outsider").get("/dashboard/").context[
        "indicators"].totals["3B.1"] == 0


def test_an_outsider_cannot_filter_to_another_municipality(world):
    client = world.client_for("outsider")
    response = client.get("/dashboard/", {"partnership": world.partnership_a.pk})
    assert response.status_code == 400
    assert "indicators" not in response.context
    assert "partnership" in response.context["form"].errors
    response = client.get("/dashboard/", {"municipality": "101"})
    assert response.status_code == 400 and "municipality" in response.context["form"].errors


def test_the_operator_sees_all_partnerships(world):
    response = world.client_for("operator").get("/dashboard/")
    assert set(response.context["indicators"].groups["partnership"]) == {
        str(world.partnership_a.pk), str(world.partnership_b.pk)}


def test_bad_filters_are_named(world):
    response = world.client_for("owner").get("/dashboard/", {"by": "gender", "rank": "x"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"by", "rank"}


def test_anonymous_is_sent_to_log_in(world, client):
    assert client.get("/dashboard/").status_code == 302
    assert client.get("/dashboard/accelerator/").status_code == 302


def test_someone_in_no_partnership_sees_an_empty_dashboard(world):
    from django.contrib.auth import get_user_model

    nobody = get_user_model().objects.create_user("nobody", password="a-long-test-password")
    from django.test import Client

    client = Client()
    client.force_login(nobody)
    response = client.get("/dashboard/")
    assert response.status_code == 200 and "indicators" not in response.context


def test_numbers_on_the_dashboard_are_in_danish_format(world):
    programme = world.partnership_a.programme
    Target.objects.create(programme=programme, code="3B.1", label="x", value=Decimal("2400"))
    participants = [world.participant_a]
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.INDUCTION_START,
                                occurred_on=dt.date(2019, 4, 1), registered_by=world.owner)
    GrowthFigure.objects.create(enterprise=world.enterprise_a, period_start=dt.date(2019, 1, 1),
                                period_end=dt.date(2019, 12, 31), revenue=1, fte=1,
                                internship_places=1234)
    response = world.client_for("operator").get("/dashboard/")
    html = response.content.decode()
    row = re.search(r'<tr data-code="places">(.*?)</tr>', html, re.S).group(1)
    assert "1.234" in row
    # the programme's numbered indicators carry their number, the others only their name
    assert "Uddannelses- og praktikpladser etableret" in row and "places" not in row
    row = re.search(r'<tr data-code="3B.1">(.*?)</tr>', html, re.S).group(1)
    assert '<span class="tag">3B.1</span>' in row
    # 1 of 2,400 * (2 of 2 partnerships): 0,04 % rounds to 0 %; the target is 2.400
    assert "2.400" in row and "0 %" in row
    assert len(participants) == 1
    assert figure(response, "targets")["layout"]["separators"] == ",."


def test_the_data_date_is_on_the_page(world):
    response = world.client_for("owner").get("/dashboard/")
    as_of = re.search(r'<p class="muted as-of">(.*?)</p>', response.content.decode(), re.S)
    assert f"{response.context['as_of']:%d.%m.%Y}" in as_of.group(1)
    assert "01.03.2019" in as_of.group(1)  # the latest event: the referral


def test_two_programmes_show_the_earliest(world):
    later = Programme.objects.create(name="Later", starts_on=dt.date(2023, 1, 1),
                                     ends_on=dt.date(2024, 1, 1), eligible_costs=1,
                                     esf_share="0.5")
    Partnership.objects.create(programme=later, name="Later A",
                               municipality=world.municipality_a, other_actor=world.actor_a,
                               social_enterprise=world.enterprise_a,
                               starts_on=dt.date(2023, 1, 1))
    response = world.client_for("owner").get("/dashboard/")
    assert response.context["programme"] == world.partnership_a.programme


def test_the_core_s_labels_are_marked_and_translated_into_danish():
    from django.utils import translation

    from brobygger.indicators import LABELS, MEASURE_LABELS
    from brobygger.web.dashboard.words import CORE_LABELS

    assert set(LABELS.values()) | set(MEASURE_LABELS.values()) <= set(CORE_LABELS)
    with translation.override("da"):
        untranslated = [w for w in CORE_LABELS if translation.gettext(w) == w]
    assert untranslated == []


def test_the_page_speaks_danish_by_default(world):
    html = world.client_for("owner").get("/dashboard/").content.decode()
    assert "Programoverblik" in html and "Faktisk mod mål" in html
    assert "Påbegyndt indslusningsforløb" in html


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_language_menu_names_each_language_in_itself(world, language):
    client = world.client_for("owner")
    client.cookies["django_language"] = language
    html = client.get("/dashboard/").content.decode()
    options = re.findall(r'<option value="(da|en)" lang="\1"[^>]*>([^<]*)</option>', html)
    assert options == [("da", "Dansk"), ("en", "English")]


def test_cancelled_and_corrected_events_count_as_the_core_counts_them(world):
    def add(kind, day, **extra):
        return PathwayEvent.objects.create(participant=world.participant_a, kind=kind,
                                           occurred_on=day, registered_by=world.owner, **extra)

    wrong = add(EventKind.INDUCTION_START, dt.date(2019, 3, 10))
    add(EventKind.CANCELLATION, dt.date(2019, 3, 11), corrects=wrong)
    add(EventKind.INDUCTION_START, dt.date(2019, 4, 1))
    add(EventKind.INDUCTION_COMPLETION, dt.date(2019, 8, 1))
    hire = add(EventKind.EMPLOYMENT_START, dt.date(2019, 9, 1), employer=world.enterprise_a,
               hours_per_week=20, monthly_wage=10000)
    add(EventKind.EMPLOYMENT_START, dt.date(2019, 9, 15), employer=world.enterprise_a,
        hours_per_week=25, monthly_wage=12000, corrects=hire)
    add(EventKind.BENEFIT_STATUS, dt.date(2019, 5, 1), benefit_month=dt.date(2019, 5, 1),
        benefit_type="kontanthjaelp")
    response = world.client_for("operator").get("/dashboard/")
    today = response.context["as_of"]
    table = core_table([world.partnership_a, world.partnership_b], today)
    expected = compute_indicators(table, as_of=today, start=dt.date(2018, 1, 1))
    assert response.context["indicators"].totals == expected.totals
    assert response.context["indicators"].cumulative == expected.cumulative
    assert (expected.totals["3B.1"], expected.totals["3B.2"], expected.totals["3B.3"]) == (1, 1, 1)
    months = dict(zip(expected.months, expected.cumulative["3B.3"], strict=True))
    assert months["2019-08"] == 0 and months["2019-09"] == 1
    pipeline = compute_pipeline(table, as_of=today, start=dt.date(2018, 1, 1))
    assert response.context["pipeline"].by_month == pipeline.by_month


def test_a_new_event_shows_at_once(world):
    client = world.client_for("owner")
    assert client.get("/dashboard/").context["indicators"].totals["3B.1"] == 0
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.INDUCTION_START,
                                occurred_on=dt.date(2019, 4, 1), registered_by=world.owner)
    assert client.get("/dashboard/").context["indicators"].totals["3B.1"] == 1


def _queries(client, path: str) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    cache.clear()  # the participants' events are read, not taken from the cache
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_participants(world):
    from tests.web.conftest import make_participant

    client = world.client_for("operator")
    few = _queries(client, "/dashboard/")
    for i in range(12):
        p = make_participant(world.partnership_a, f"0101{80 + i:02d}{1000 + i:04d}", world.owner)
        PathwayEvent.objects.create(participant=p, kind=EventKind.INDUCTION_START,
                                    occurred_on=dt.date(2019, 4, 1), registered_by=world.owner)
    assert _queries(client, "/dashboard/") == few
    assert client.get("/dashboard/").context["indicators"].totals["3B.1"] == 12


def test_an_enterprise_and_an_other_actor_see_their_partnership(world):
    for persona in ("enterprise", "actor", "colleague"):
        shown = world.client_for(persona).get("/dashboard/").context["indicators"]
        assert set(shown.groups["partnership"]) == {str(world.partnership_a.pk)}, persona


def test_figures_as_of_an_earlier_day_are_the_core_s_for_that_day(demo, client):
    client.login(username="operator", password="brobygger-demo")
    response = client.get("/dashboard/", {"as_of": "2020-06-30"})
    assert response.status_code == 200
    day = dt.date(2020, 6, 30)
    assert response.context["as_of"] == day
    partnerships = list(Partnership.objects.filter(programme=demo.programme))
    # the registry's events as any export gives them, less the growth figures of periods
    # that had not begun by that day (they were not reported yet)
    later_figures = {f"web-growth-{pk}-{kind}"
                     for pk in GrowthFigure.objects.filter(period_start__gt=day)
                     .values_list("pk", flat=True) for kind in ("ordinary_hire", "place_created")}
    assert later_figures
    participants = Participant.objects.filter(partnership__in=partnerships)
    table, problems = table_from_records([r for r in records(participants, partnerships,
                                                             as_of=day)
                                          if r.get("id") not in later_figures])
    assert problems == []
    expected = compute_indicators(table, as_of=day, start=demo.programme.starts_on)
    shown = response.context["indicators"]
    assert shown.totals == expected.totals and shown.months[-1] == "2020-06"
    assert shown.totals["places"] > 0
    later = client.get("/dashboard/").context["indicators"]
    assert shown.totals["3B.1"] < later.totals["3B.1"]
    assert "30.06.2020" in response.content.decode()
    assert response.context["last_event"] <= day


def test_figures_cannot_be_as_of_the_future(world):
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    response = world.client_for("owner").get("/dashboard/", {"as_of": tomorrow.isoformat()})
    assert response.status_code == 400 and "as_of" in response.context["form"].errors
    html = response.content.decode()
    assert "fremtiden" in html and "as-of" not in html  # no figures, so no day they are of
    response = world.client_for("owner").get("/dashboard/", {"as_of": "30-02-2020"})
    assert response.status_code == 400 and "as_of" in response.context["form"].errors


def _columns(partnerships):
    from brobygger.web.dashboard.data import _cached_citizen_columns, _Codes

    citizen, labels = _cached_citizen_columns(partnerships, _Codes.of(partnerships))
    return {k: v.tolist() for k, v in citizen.items()}, labels


def test_events_registered_since_the_last_view_are_read_on_their_own(world, monkeypatch):
    """After a new event only the events after those read before are read (events are
    append-only), and the columns are those of reading every event afresh — a
    correction and a cancellation of an event read before included."""
    from django.core.cache import cache

    from brobygger.web.dashboard import data

    def add(kind, day, **extra):
        return PathwayEvent.objects.create(participant=world.participant_a, kind=kind,
                                           occurred_on=day, registered_by=world.owner, **extra)

    partnerships = [world.partnership_a, world.partnership_b]
    cache.clear()
    hire = add(EventKind.EMPLOYMENT_START, dt.date(2019, 9, 1), employer=world.enterprise_a,
               hours_per_week=20, monthly_wage=10000)
    wrong = add(EventKind.INDUCTION_START, dt.date(2019, 3, 10))
    _columns(partnerships)
    read_after = []
    real = data._read_events

    def spy(ps, after=0, before=0):
        read_after.append(after)
        return real(ps, after, before)

    monkeypatch.setattr(data, "_read_events", spy)
    add(EventKind.CANCELLATION, dt.date(2019, 3, 11), corrects=wrong)
    add(EventKind.EMPLOYMENT_START, dt.date(2019, 9, 15), employer=world.enterprise_a,
        hours_per_week=25, monthly_wage=12000, corrects=hire)
    newest = add(EventKind.INDUCTION_START, dt.date(2019, 4, 1))
    incremental = _columns(partnerships)
    assert read_after == [wrong.pk]  # only what came after the first read
    cache.clear()
    afresh = _columns(partnerships)
    assert read_after == [wrong.pk, 0]
    assert incremental == afresh
    days = incremental[0]["day"]
    assert (dt.date(2019, 3, 10) - dt.date(1970, 1, 1)).days not in days  # cancelled
    assert (dt.date(2019, 9, 1) - dt.date(1970, 1, 1)).days not in days  # corrected
    assert (newest.occurred_on - dt.date(1970, 1, 1)).days in days


def test_events_read_before_are_read_again_when_they_are_no_longer_current(world, monkeypatch):
    """Events read before that are no longer there — a rolled-back registration read
    while it was open, or (as the count up to the newest read shows) an event that commits
    late with a lower number — make every event be read again."""
    from django.core.cache import cache
    from django.db import transaction

    from brobygger.web.dashboard import data

    partnerships = [world.partnership_a, world.partnership_b]
    cache.clear()

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        gone = PathwayEvent.objects.create(participant=world.participant_a,
                                           kind=EventKind.INDUCTION_START,
                                           occurred_on=dt.date(2019, 4, 1),
                                           registered_by=world.owner)
        before = _columns(partnerships)
        raise RolledBack
    read_after = []
    real = data._read_events
    monkeypatch.setattr(data, "_read_events",
                        lambda ps, after=0, before=0: read_after.append(after)
                        or real(ps, after, before))
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.EXIT,
                                occurred_on=dt.date(2019, 10, 1), registered_by=world.owner)
    after = _columns(partnerships)
    assert read_after == [0]
    start = (gone.occurred_on - dt.date(1970, 1, 1)).days
    assert start in before[0]["day"] and start not in after[0]["day"]
    assert len(after[0]["day"]) == len(before[0]["day"])  # the start gone, the exit come


def test_the_count_of_events_tells_a_late_commit(world):
    """An event numbered below the newest one read, committed after the read, changes the
    count up to the newest: the read is no longer current."""
    from brobygger.web.dashboard.data import _read_events

    partnerships = [world.partnership_a, world.partnership_b]
    raw = _read_events(partnerships)  # every partnership: every event read
    assert raw.members is None
    members = np.array(sorted(Participant.objects.values_list("pk", flat=True)))
    assert raw.still_current(members)
    newest = PathwayEvent.objects.order_by("-pk").first()
    assert raw.last == (newest.pk, newest.registered_at)
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.EXIT,
                                occurred_on=dt.date(2019, 10, 1), registered_by=world.owner)
    assert raw.still_current(members)  # a new event after the newest read: read on its own
    late = type(raw)(*(getattr(raw, f) for f in ("participant", "pk", "kind", "day",
                                                 "corrects", "employer")),
                     last=raw.last, count=raw.count - 1)  # as if one had not yet committed
    assert not late.still_current(members)


def test_a_participant_who_joins_the_partnerships_brings_the_events_read_before(world):
    """Where only some partnerships' events are read, a participant who moves into them
    has events that were not read: then every event is read again."""
    from django.core.cache import cache

    cache.clear()
    PathwayEvent.objects.create(participant=world.participant_b, kind=EventKind.INDUCTION_START,
                                occurred_on=dt.date(2019, 5, 2), registered_by=world.owner)
    scope = [world.partnership_a]
    before = _columns(scope)
    Participant.objects.filter(pk=world.participant_b.pk).update(
        partnership=world.partnership_a)
    PathwayEvent.objects.create(participant=world.participant_a, kind=EventKind.EXIT,
                                occurred_on=dt.date(2019, 10, 1), registered_by=world.owner)
    after = _columns(scope)
    cache.clear()
    assert after == _columns(scope)
    moved = (dt.date(2019, 5, 2) - dt.date(1970, 1, 1)).days
    assert moved not in before[0]["day"] and moved in after[0]["day"]
