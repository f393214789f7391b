"""Table exports: scoped to the user's organisation, never a CPR number, the same numbers
as the registry and the core, audited when they hold personal data."""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import subprocess
import zipfile
from decimal import Decimal

import pytest
from django.utils import timezone

from brobygger.reports.tables import read_csv, read_xlsx
from brobygger.web.accelerator.models import GrowthFigure
from brobygger.web.audit.models import Action, AuditEntry
from brobygger.web.pathways.models import Participant
from tests.web.conftest import CPR_A, CPR_B, cpr_forms, masked

EN = {"HTTP_ACCEPT_LANGUAGE": "en"}
TABLES = ("participants", "partnerships", "growth", "indicators")


def get(world, persona, table, fmt, **query):
    response = world.client_for(persona).get(f"/reports/export/{table}.{fmt}", query, **EN)
    assert response.status_code == 200, response.content[:500]
    return response


def read(response, fmt):
    """(metadata, [header, *rows]) of a CSV or XLSX export."""
    return read_csv(response.content) if fmt == "csv" else read_xlsx(response.content)


def column(rows, label):
    i = rows[0].index(label)
    return [r[i] for r in rows[1:]]


def every_byte(data: bytes) -> bytes:
    """A file's bytes, and for a zip (XLSX) the bytes of every member too."""
    if data[:2] != b"PK":
        return data
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return data + b"".join(z.read(n) for n in z.namelist())


@pytest.fixture
def growth(world):
    GrowthFigure.objects.create(
        enterprise=world.enterprise_a, period_start=dt.date(2020, 1, 1),
        period_end=dt.date(2020, 12, 31), revenue=Decimal("1234567.89"), fte=Decimal("4.50"),
        education_places=2, internship_places=3, ordinary_hires=1, vulnerable_hires=4)
    GrowthFigure.objects.create(
        enterprise=world.enterprise_b, period_start=dt.date(2021, 1, 1),
        period_end=dt.date(2021, 12, 31), revenue=Decimal("99.00"), fte=Decimal("1.00"))
    return world


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_participants_by_reference_and_name_in_the_users_scope_only(world, fmt):
    _, rows = read(get(world, "owner", "participants", fmt), fmt)
    assert column(rows, "Reference") == [world.participant_a.reference]
    assert column(rows, "Name") == ["Anna Andersen"]
    assert column(rows, "Partnership") == ["A"]
    _, rows = read(get(world, "outsider", "participants", fmt), fmt)
    assert column(rows, "Reference") == [world.participant_b.reference]
    _, rows = read(get(world, "operator", "participants", fmt), fmt)
    assert sorted(column(rows, "Reference")) == sorted(
        [world.participant_a.reference, world.participant_b.reference])


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("table", TABLES)
def test_no_export_holds_a_cpr_number(growth, table, fmt):
    data = every_byte(get(growth, "operator", table, fmt).content)
    for cpr in (CPR_A, CPR_B):
        for form in [*cpr_forms(cpr), masked(cpr), cpr[:6] + "-"]:
            assert form.encode() not in data, (table, fmt)


@pytest.mark.parametrize("table", TABLES)
def test_the_outsider_gets_nothing_of_another_municipality(growth, table):
    data = every_byte(get(growth, "outsider", table, "xlsx").content)
    for secret in ("Anna Andersen", growth.participant_a.reference, "Jobcenter A", "Café A"):
        assert secret.encode() not in data, table
    response = growth.client_for("outsider").get(
        f"/reports/export/{table}.csv", {"partnership": growth.partnership_a.pk})
    assert response.status_code == 404


def test_an_erased_participant_has_no_name_and_is_not_audited(world):
    Participant.objects.filter(pk=world.participant_a.pk).update(
        name="", cpr_ciphertext="", cpr_fingerprint=None, birth_year=None,
        erased_at=timezone.now())
    _, rows = read(get(world, "owner", "participants", "csv"), "csv")
    assert column(rows, "Name") == [""]
    assert column(rows, "Erased") == ["1"]
    assert not AuditEntry.objects.filter(channel="export").exists()


def test_a_participant_export_is_in_the_audit_log(world):
    get(world, "owner", "participants", "xlsx")
    entry = AuditEntry.objects.get(channel="export")
    assert (entry.username, entry.action, entry.participant_id) == (
        "owner", Action.LIST, world.participant_a.pk)
    get(world, "owner", "partnerships", "csv")  # no personal data: no entry
    assert AuditEntry.objects.filter(channel="export").count() == 1


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_growth_figures_keep_their_numbers_and_types(growth, fmt):
    meta, rows = read(get(growth, "owner", "growth", fmt), fmt)
    assert column(rows, "Enterprise") == ["Café A"]  # B's enterprise is not A's to see
    revenue, fte = column(rows, "Revenue (DKK)")[0], column(rows, "Full-time equivalents")[0]
    hires = column(rows, "Vulnerable citizens hired")[0]
    start = column(rows, "Period start")[0]
    if fmt == "csv":
        assert (revenue, fte, hires, start) == ("1234567,89", "4,50", "4", "2020-01-01")
    else:
        assert revenue == pytest.approx(1234567.89) and fte == pytest.approx(4.5)
        assert hires == 4 and start == dt.datetime(2020, 1, 1)
    assert "Scope" in meta and "Data date (newest registration included)" in meta


def test_a_period_narrows_the_lists(growth):
    _, rows = read(get(growth, "operator", "growth", "csv", period="2021"), "csv")
    assert column(rows, "Enterprise") == ["Café B"]
    _, rows = read(get(growth, "operator", "participants", "csv", period="2020"), "csv")
    assert rows[1:] == []  # both were referred in 2019
    _, rows = read(get(growth, "operator", "participants", "csv", **{"from": "2019-03-01",
                                                                     "to": "2019-03-01"}), "csv")
    assert len(rows) == 3


def test_a_corrected_referral_is_listed_by_the_referral_that_counts(world):
    """(The registry refuses to correct a referral now; one corrected before still counts
    by its correction.)"""
    from brobygger.web.pathways.models import EventKind, PathwayEvent

    first = PathwayEvent.objects.get(participant=world.participant_b, kind=EventKind.REFERRAL)
    PathwayEvent.objects.create(participant=world.participant_b, kind=EventKind.REFERRAL,
                                occurred_on=dt.date(2020, 6, 1), corrects=first,
                                registered_by=world.outsider)
    _, rows = read(get(world, "operator", "participants", "csv", period="2019"), "csv")
    assert world.participant_b.reference not in column(rows, "Reference")
    _, rows = read(get(world, "operator", "participants", "csv", period="2020"), "csv")
    assert column(rows, "Reference") == [world.participant_b.reference]
    _, rows = read(get(world, "operator", "partnerships", "xlsx", period="2019"), "xlsx")
    assert sorted(column(rows, "Participants")) == [0, 1]


def test_partnerships_with_their_participant_counts(world):
    _, rows = read(get(world, "operator", "partnerships", "xlsx"), "xlsx")
    assert column(rows, "Partnership") == ["A", "B"]
    assert column(rows, "Participants") == [1, 1]
    assert column(rows, "Municipality code") == ["101", "751"]
    assert column(rows, "Start") == [dt.datetime(2018, 1, 1)] * 2


def test_the_indicator_table_is_the_esf_reports(world):
    esf = world.client_for("owner").get("/reports/esf.xlsx", **EN)
    esf_rows = read_xlsx(esf.content)[1]
    _, rows = read(get(world, "owner", "indicators", "xlsx"), "xlsx")
    assert rows == esf_rows
    assert column(rows, "Total")[0] == 1  # participant A, referred in the programme period


def test_csv_metadata_comes_first_as_comment_rows(world):
    text = get(world, "owner", "partnerships", "csv").content.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0].startswith("# Report: ")
    header = lines.index("Partnership;Programme;Municipality code;Municipality;Other actor;"
                         "Social-economic enterprise;Start;End;Contract;Participants")
    assert all(line.startswith("# ") for line in lines[:header - 1]) and lines[header - 1] == ""


def test_unknown_tables_and_formats_are_404_and_posts_405(world):
    client = world.client_for("owner")
    assert client.get("/reports/export/cpr.csv").status_code == 404
    assert client.get("/reports/export/participants.pdf").status_code == 404
    assert client.post("/reports/export/participants.csv").status_code == 405


def test_downloads_are_attachments_that_are_not_cached(world):
    response = get(world, "owner", "participants", "csv")
    assert response["Content-Disposition"].startswith(
        'attachment; filename="brobygger-participants-')
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/csv; charset=utf-8"


def libreoffice_csv(data: bytes, tmp_path) -> list[list[str]]:
    """An XLSX file as LibreOffice Calc reads it, saved as CSV (UTF-8, raw cell values)."""
    source = tmp_path / "export.xlsx"
    source.write_bytes(data)
    subprocess.run([
        "soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless",
        "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false",
        "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    text = (tmp_path / "export.csv").read_text(encoding="utf-8")
    return list(csv.reader(io.StringIO(text)))


def test_libreoffice_reads_the_same_numbers(growth, tmp_path):
    if shutil.which("soffice") is None:
        pytest.fail("LibreOffice (soffice) is missing: install it with "
                    "`scripts/ensure-test-tools` (as root; `make test` runs it), i.e. "
                    "`apt-get install libreoffice-calc-nogui`.", pytrace=False)
    rows = libreoffice_csv(get(growth, "operator", "growth", "xlsx").content, tmp_path)
    assert rows[0][:3] == ["Enterprise", "CVR number", "Period start"]
    cafe_a = next(r for r in rows if r[0] == "Café A")
    assert cafe_a[2:] == ["2020-01-01", "2020-12-31", "1234567.89", "4.5", "2", "3", "1", "4"]
    # the indicator table as LibreOffice reads it holds the core's figures
    add_induction = growth.participant_a.events.create
    add_induction(kind="induction_start", occurred_on=dt.date(2019, 4, 1),
                  registered_by=growth.owner)
    rows = libreoffice_csv(get(growth, "operator", "indicators", "xlsx").content, tmp_path)
    core = read_xlsx(get(growth, "operator", "indicators", "xlsx").content)[1]
    assert rows[2][:5] == ["3B.1", "Started the induction course", "1", "0", "1"]
    assert [r[:5] for r in rows[1:]] == [["" if v is None else str(v) for v in r[:5]]
                                         for r in core[1:]]


def test_in_a_period_the_partnerships_count_the_participants_referred_in_it(world):
    _, rows = read(get(world, "operator", "partnerships", "xlsx", period="2020"), "xlsx")
    assert column(rows, "Participants") == [0, 0]  # both were referred in 2019
    _, rows = read(get(world, "operator", "partnerships", "xlsx", period="2019"), "xlsx")
    assert column(rows, "Participants") == [1, 1]
