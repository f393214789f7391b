"""The registry's events, exported in the core's schema, pass the core's own checks and
settle: the web app stores, the core computes."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import override_settings

from brobygger.payments.checks import check_events
from brobygger.payments.events import read_events, table_from_records
from brobygger.payments.period import Period
from brobygger.payments.settle import settle
from brobygger.web.pathways import coreevents
from brobygger.web.pathways.models import Participant
from brobygger.web.registry.contracts import contract_file_for
from brobygger.web.registry.models import Contract, Partnership

AS_OF = dt.date(2023, 1, 1)


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("seeddemo", participants=60, stdout=io.StringIO())


def demo_records():
    return coreevents.records(Participant.objects.all(), list(Partnership.objects.all()),
                              as_of=AS_OF)


def test_the_demo_events_pass_the_core_s_checks(demo):
    table, parse_problems = table_from_records(demo_records())
    assert parse_problems == []
    _, problems = check_events(table, contract_file_for(Contract.objects.get()), AS_OF)
    assert problems == []


def test_the_core_settles_the_registry_s_events_into_a_ledger(demo):
    table, _ = table_from_records(demo_records())
    result = settle(table, contract_file_for(Contract.objects.get()), Period.parse("2020"),
                    as_of=AS_OF)
    assert result.ok, result.problems
    assert len(result.entries) > 0


def test_no_cpr_number_leaves_the_registry(world):
    rows = coreevents.records(Participant.objects.all(), list(Partnership.objects.all()))
    assert {r["participant"] for r in rows} == {world.participant_a.reference,
                                               world.participant_b.reference}


def test_exportevents_writes_a_file_the_core_reads(demo, tmp_path):
    out = tmp_path / "events.csv"
    call_command("exportevents", output=str(out), stderr=io.StringIO())
    table, problems = read_events(out)
    assert problems == [] and len(table) > 60
    with out.open() as fh:
        assert next(csv.reader(fh))[:4] == ["id", "participant", "type", "date"]


def test_growth_figures_of_a_period_not_yet_begun_are_not_booked(world):
    from brobygger.web.accelerator.models import GrowthFigure

    def figure(start: dt.date, end: dt.date, hires: int) -> None:
        GrowthFigure.objects.create(enterprise=world.enterprise_a, period_start=start,
                                    period_end=end, revenue=0, fte=1, ordinary_hires=hires,
                                    registered_by=world.enterprise)

    figure(dt.date(2019, 1, 1), dt.date(2019, 12, 31), 2)
    figure(dt.date(2020, 1, 1), dt.date(2020, 12, 31), 3)
    rows = list(coreevents.enterprise_records(Partnership.objects.all(),
                                              as_of=dt.date(2019, 6, 30)))
    assert [(r["date"], r["count"]) for r in rows] == [("2019-06-30", 2)]
