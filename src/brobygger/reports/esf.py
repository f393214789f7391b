"""The EU Social Fund indicator report: the programme's indicators 3B.1–3B.4 and the
number of participants, by gender and by the ESF common participant categories, for a
reporting period — as tables and as an Excel workbook with a native chart (docs/reports.md).

The counting is :func:`brobygger.indicators.actuals.compute_indicators` (the indicator rules,
from the core's event table); this module asks it for the groupings the ESF needs (gender
crossed with each category) and takes the difference between the end of the period and the
day before it starts, so an occurrence counts in the period its event falls in. A participant
counts at most once per indicator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from brobygger.indicators.actuals import Indicators, compute_indicators
from brobygger.payments.events import EventTable
from brobygger.reports.tables import (
    Column,
    Metadata,
    Table,
    add_metadata_sheet,
    add_table_sheet,
    workbook_bytes,
)

#: the report's indicators, in order: the participants (referred), then the programme's four
PARTICIPANTS = "referrals"
CODES: tuple[str, ...] = (PARTICIPANTS, "3B.1", "3B.2", "3B.3", "3B.4")
GENDERS: tuple[str, ...] = ("female", "male")

#: the ESF common participant categories, each with its values in report order; a yes/no
#: category lists only ``True`` (the report counts those who have the trait)
CATEGORIES: dict[str, tuple[object, ...]] = {
    "age_band": ("under_25", "25_29", "30_54", "55_plus"),
    "employment_status": ("unemployed", "long_term_unemployed", "inactive", "inactive_neet",
                          "employed"),
    "education": ("isced_1_2", "isced_3_4", "isced_5_8"),
    "migrant_background": (True,),
    "disability": (True,),
    "other_disadvantage": (True,),
}

#: English words for every code; the web passes its translations instead
LABELS: dict[str, str] = {
    PARTICIPANTS: "Participants", "3B.1": "Started the induction course",
    "3B.2": "Completed the induction course", "3B.3": "Employed at the accelerator enterprises",
    "3B.4": "Employed at other enterprises",
    "female": "Women", "male": "Men", "total": "Total", "target": "Target",
    "age_band": "Age at entry", "employment_status": "Employment status at entry",
    "education": "Education (ISCED)", "migrant_background": "Migrant or minority background",
    "disability": "Disability", "other_disadvantage": "Other disadvantage",
    "under_25": "under 25", "25_29": "25-29", "30_54": "30-54", "55_plus": "55 and over",
    "unemployed": "unemployed", "long_term_unemployed": "long-term unemployed",
    "inactive": "inactive", "inactive_neet": "inactive, not in education or training",
    "employed": "employed", "isced_1_2": "ISCED 1-2", "isced_3_4": "ISCED 3-4",
    "isced_5_8": "ISCED 5-8", "yes": "yes", "code": "Code", "indicator": "Indicator",
    "category": "Category", "value": "Value",
    "indicators_sheet": "Indicators", "categories_sheet": "Participant categories",
    "chart_title": "ESF indicators by gender", "chart_y": "Participants",
}


@dataclass(frozen=True)
class Profile:
    """What the report needs to know about a participant: gender and status at entry."""

    gender: str
    age_band: str
    employment_status: str
    education: str
    migrant_background: bool = False
    disability: bool = False
    other_disadvantage: bool = False


@dataclass(frozen=True)
class Counts:
    female: int
    male: int

    @property
    def total(self) -> int:
        return self.female + self.male


@dataclass(frozen=True)
class EsfReport:
    """Counts per indicator (``by_indicator``) and per (category, value, indicator), for
    ``start``..``end`` (both days included)."""

    start: dt.date
    end: dt.date
    by_indicator: dict[str, Counts]
    by_category: dict[tuple[str, object, str], Counts]
    targets: dict[str, float]


def _key(gender: str, value: object) -> str:
    return f"{gender}|{value}"


def attributes(profiles: Mapping[str, Profile]) -> dict[str, dict[str, str]]:
    """The participant groupings the report asks ``compute_indicators`` for: gender, and
    gender crossed with every category (``female|under_25``, ``male|True``, …)."""
    out: dict[str, dict[str, str]] = {"gender": {r: p.gender for r, p in profiles.items()}}
    for category in CATEGORIES:
        out[category] = {r: _key(p.gender, getattr(p, category)) for r, p in profiles.items()}
    return out


def _counts(after: Indicators, before: Indicators | None, grouping: str, value: object,
            code: str) -> Counts:
    def n(ind: Indicators | None, gender: str) -> int:
        if ind is None:
            return 0
        key = gender if grouping == "gender" else _key(gender, value)
        return ind.groups[grouping].get(key, {}).get(code, 0)

    return Counts(*(n(after, g) - n(before, g) for g in GENDERS))


def esf_report(table: EventTable, profiles: Mapping[str, Profile], start: dt.date,
               end: dt.date, targets: Mapping[str, float] | None = None) -> EsfReport:
    """The report for the period ``start``..``end`` from the events in ``table``;
    ``profiles`` maps each participant id (``D-00042``) to what they were at entry.

    A participant without a profile, or of neither gender, is left out of the report.
    """
    if end < start:
        raise ValueError(f"end: the period ends ({end}) before it starts ({start})")
    groupings = attributes(profiles)
    after = compute_indicators(table, as_of=end, start=start, participant_attributes=groupings)
    before = compute_indicators(table, as_of=start - dt.timedelta(days=1),
                                participant_attributes=groupings)
    by_indicator = {code: _counts(after, before, "gender", None, code) for code in CODES}
    by_category = {(category, value, code): _counts(after, before, category, value, code)
                   for category, values in CATEGORIES.items() for value in values
                   for code in CODES}
    return EsfReport(start, end, by_indicator, by_category, dict(targets or {}))


# --- tables ---------------------------------------------------------------------------------

def _label(labels: Mapping[str, str], key: object) -> str:
    if key is True:
        key = "yes"
    return labels.get(str(key), LABELS.get(str(key), str(key)))


def indicator_table(report: EsfReport, labels: Mapping[str, str] = LABELS) -> Table:
    """Code, indicator, women, men, total, target: one row per indicator."""
    columns = (Column("code", _label(labels, "code")),
               Column("indicator", _label(labels, "indicator")),
               Column("female", _label(labels, "female"), "int"),
               Column("male", _label(labels, "male"), "int"),
               Column("total", _label(labels, "total"), "int"),
               Column("target", _label(labels, "target"), "int"))
    rows = [(code if code != PARTICIPANTS else "", _label(labels, code), c.female, c.male,
             c.total, report.targets.get(code))
            for code, c in report.by_indicator.items()]
    return Table(_label(labels, "indicators_sheet"), columns, rows)


def category_columns(labels: Mapping[str, str] = LABELS) -> tuple[Column, ...]:
    columns = [Column("category", _label(labels, "category")),
               Column("value", _label(labels, "value"))]
    for code in CODES:
        name = _label(labels, code) if code == PARTICIPANTS else code
        columns += [Column(f"{code}:{g}", f"{name}: {_label(labels, g)}", "int")
                    for g in (*GENDERS, "total")]
    return tuple(columns)


def category_table(report: EsfReport, labels: Mapping[str, str] = LABELS) -> Table:
    """One row per category value; for every indicator women, men and total."""
    rows = []
    for category, values in CATEGORIES.items():
        for value in values:
            cells: list[object] = [_label(labels, category), _label(labels, value)]
            for code in CODES:
                c = report.by_category[(category, value, code)]
                cells += [c.female, c.male, c.total]
            rows.append(tuple(cells))
    return Table(_label(labels, "categories_sheet"), category_columns(labels), rows)


# --- the workbook ---------------------------------------------------------------------------

def write_esf_xlsx(report: EsfReport, metadata: Metadata,
                   labels: Mapping[str, str] = LABELS) -> bytes:
    """Sheets: the indicators (with a clustered bar chart of women and men per indicator),
    the participant categories, and the metadata."""
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference

    workbook = Workbook(write_only=True)
    table = indicator_table(report, labels)
    sheet = add_table_sheet(workbook, table)
    n = len(table.rows)
    chart = BarChart()
    chart.type = "col"
    chart.grouping = "clustered"
    chart.title = _label(labels, "chart_title")
    chart.y_axis.title = _label(labels, "chart_y")
    chart.y_axis.majorGridlines = None
    # women and men (columns C and D) per indicator (column B), headers as series names
    chart.add_data(Reference(sheet, min_col=3, max_col=4, min_row=1, max_row=n + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=2, max_row=n + 1))
    chart.width, chart.height = 22, 11
    chart.anchor = f"A{n + 4}"
    sheet.add_chart(chart)
    add_table_sheet(workbook, category_table(report, labels))
    add_metadata_sheet(workbook, metadata)
    return workbook_bytes(workbook)


def summary(report: EsfReport) -> Sequence[tuple[str, int, int, int]]:
    """(code, women, men, total) per indicator: the figures a page or a test compares."""
    return [(code, c.female, c.male, c.total) for code, c in report.by_indicator.items()]
