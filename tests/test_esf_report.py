"""The ESF indicator report: counts in the period by gender and category, from the indicator
rules of ``brobygger.indicators``, and its workbook with a native chart."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from openpyxl import load_workbook

from brobygger.indicators.actuals import compute_indicators
from brobygger.payments.events import table_from_records
from brobygger.reports.esf import (
    CATEGORIES,
    CODES,
    Profile,
    category_table,
    esf_report,
    indicator_table,
    write_esf_xlsx,
)
from brobygger.reports.tables import Metadata

START, END = dt.date(2020, 1, 1), dt.date(2020, 12, 31)


def events(ref: str, *steps: tuple[str, str], **job) -> list[dict]:
    out = []
    for kind, day in steps:
        row = {"participant": ref, "type": kind, "date": day, "partnership": "1"}
        if kind == "referral":
            row["municipality"] = "101"
        if kind == "job_start":
            row.update({"state": job["state"], "hours_per_week": "37", "employer": "9",
                        "amount": "20000"})
        out.append(row)
    return out


RECORDS = [
    # a young woman with a migrant background: all the way to a job at the enterprise in 2020
    *events("D-1", ("referral", "2020-01-10"), ("induction_start", "2020-02-01"),
            ("induction_completed", "2020-05-01"), ("job_start", "2020-06-01"),
            state="job_accelerator"),
    # a man referred in 2019 who started the course in 2020 and left for another job in 2021
    *events("D-2", ("referral", "2019-11-01"), ("induction_start", "2020-03-01"),
            ("induction_completed", "2020-09-01"), ("job_start", "2021-02-01"),
            state="job_other"),
    # a woman whose whole pathway lies before the period
    *events("D-3", ("referral", "2019-01-01"), ("induction_start", "2019-02-01")),
    # a woman referred in the period who went straight into another job
    *events("D-4", ("referral", "2020-04-01"), ("job_start", "2020-04-20"), state="job_other"),
]
PROFILES = {
    "D-1": Profile("female", "under_25", "unemployed", "isced_1_2", migrant_background=True),
    "D-2": Profile("male", "30_54", "long_term_unemployed", "isced_3_4", disability=True),
    "D-3": Profile("female", "30_54", "inactive", "isced_1_2"),
    "D-4": Profile("female", "55_plus", "long_term_unemployed", "isced_5_8"),
}


@pytest.fixture
def report():
    table, problems = table_from_records(RECORDS)
    assert problems == []
    return esf_report(table, PROFILES, START, END, {"3B.1": 148})


def counts(report, code):
    c = report.by_indicator[code]
    return (c.female, c.male, c.total)


def test_counts_in_the_period_by_gender(report):
    assert counts(report, "referrals") == (2, 0, 2)  # D-1, D-4 (D-2 and D-3 before)
    assert counts(report, "3B.1") == (1, 1, 2)  # D-1, D-2
    assert counts(report, "3B.2") == (1, 1, 2)
    assert counts(report, "3B.3") == (1, 0, 1)  # D-1
    assert counts(report, "3B.4") == (1, 0, 1)  # D-4; D-2's job is in 2021


def test_categories_split_the_same_participants(report):
    assert report.by_category[("age_band", "under_25", "3B.3")].female == 1
    assert report.by_category[("migrant_background", True, "referrals")].total == 1
    assert report.by_category[("disability", True, "3B.1")].male == 1
    assert report.by_category[("employment_status", "long_term_unemployed", "3B.1")].total == 1
    # every participant has exactly one value of each exclusive category
    for category in ("age_band", "employment_status", "education"):
        for code in CODES:
            total = sum(report.by_category[(category, v, code)].total
                        for v in CATEGORIES[category])
            assert total == report.by_indicator[code].total, (category, code)


def test_the_period_is_the_difference_of_the_cumulative_counts():
    table, _ = table_from_records(RECORDS)
    whole = esf_report(table, PROFILES, dt.date(2000, 1, 1), dt.date(2030, 12, 31))
    totals = compute_indicators(table, as_of=dt.date(2030, 12, 31)).totals
    for code in CODES:
        assert whole.by_indicator[code].total == totals[code]
    halves = [esf_report(table, PROFILES, a, b) for a, b in (
        (dt.date(2000, 1, 1), dt.date(2020, 3, 31)), (dt.date(2020, 4, 1), dt.date(2030, 1, 1)))]
    for code in CODES:
        assert sum(h.by_indicator[code].total for h in halves) == totals[code]


def test_a_period_ending_before_it_starts_is_refused():
    table, _ = table_from_records(RECORDS)
    with pytest.raises(ValueError, match="end"):
        esf_report(table, PROFILES, END, START)


def test_tables_hold_the_report(report):
    rows = indicator_table(report).rows
    assert [r[4] for r in rows] == [report.by_indicator[c].total for c in CODES]
    assert rows[1][5] == 148
    categories = category_table(report)
    assert len(categories.rows) == sum(len(v) for v in CATEGORIES.values())
    assert len(categories.columns) == 2 + 3 * len(CODES)


def test_the_workbook_has_the_sheets_the_figures_and_a_bar_chart(report):
    data = write_esf_xlsx(report, Metadata((("Programme", "P"), ("Period", "2020"))))
    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["Indicators", "Participant categories", "Metadata"]
    sheet = workbook["Indicators"]
    by_code = {row[0] or "referrals": row[2:5] for row in
               sheet.iter_rows(min_row=2, values_only=True)}
    for code in CODES:
        c = report.by_indicator[code]
        assert by_code[code] == (c.female, c.male, c.total)
    # the chart is written into the file (openpyxl does not read charts back)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        xml = z.read(charts[0]).decode()
    assert "<barChart>" in xml
    # women and men (columns C, D) of the five indicators (rows 2-6), named by the header
    formulas = set(re.findall(r"<f>([^<]*)</f>", xml.replace("'", "")))
    assert {"Indicators!$C$2:$C$6", "Indicators!$D$2:$D$6", "Indicators!C1",
            "Indicators!$B$2:$B$6"} <= formulas
