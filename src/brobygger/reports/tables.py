"""One writer for every table export: rows and typed columns to CSV or Excel (docs/reports.md).

A :class:`Table` is a title, typed :class:`Column` s and rows of Python values; its
:class:`Metadata` (data date, scope, generated at, …) travels with it into every file:

- **CSV** is written for Danish Excel: UTF-8 with a byte-order mark, ``;`` between fields,
  ``\\r\\n`` line ends, a decimal comma and no digit grouping (``1234,50``), ISO dates
  (``2020-03-01``) and booleans as ``1``/``0``. The metadata comes first, one one-cell row per
  item whose text starts with ``#`` (``# Data date: 2020-03-01``), then one empty row, then
  the header row and the data rows.
- **XLSX** has the table on its first sheet (header row bold and frozen, an auto-filter, numbers
  and dates as typed cells with a number format) and the metadata on a sheet named
  ``Metadata``.

Text cells that a spreadsheet would read as a formula (starting with ``=``, ``+``, ``-`` or
``@``) are written with a leading apostrophe in CSV and as plain strings in XLSX.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal, SupportsInt, cast

Kind = Literal["text", "int", "decimal", "date", "datetime", "bool"]
KINDS: tuple[str, ...] = ("text", "int", "decimal", "date", "datetime", "bool")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
METADATA_SHEET = "Metadata"
_NUMBER_FORMAT = {"int": "#,##0", "date": "yyyy-mm-dd", "datetime": "yyyy-mm-dd hh:mm"}
_FORMULA_START = ("=", "+", "-", "@")


@dataclass(frozen=True)
class Column:
    """A column: ``key`` names it in code, ``label`` is its header, ``kind`` its cell type.

    ``decimals`` is the number of decimals a ``decimal`` column shows.
    """

    key: str
    label: str
    kind: Kind = "text"
    decimals: int = 2

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"column {self.key!r}: kind {self.kind!r} is not one of {KINDS}")


@dataclass(frozen=True)
class Metadata:
    """What every export says about itself: (label, value) pairs, in order."""

    items: tuple[tuple[str, object], ...] = ()

    def with_item(self, label: str, value: object) -> Metadata:
        return Metadata((*self.items, (label, value)))


@dataclass(frozen=True)
class Table:
    title: str
    columns: tuple[Column, ...]
    rows: Sequence[Sequence[object]] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for n, row in enumerate(self.rows, start=1):
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.title!r}: row {n} has {len(row)} cells, "
                                 f"the columns are {len(self.columns)}")

    def column(self, key: str) -> list[object]:
        """The values of one column (tests and summaries read a table by key)."""
        i = [c.key for c in self.columns].index(key)
        return [row[i] for row in self.rows]


# --- CSV ------------------------------------------------------------------------------------

def csv_cell(value: object, column: Column) -> str:
    """One value as Danish Excel reads it.

    >>> csv_cell(Decimal("1234.5"), Column("x", "x", "decimal"))
    '1234,50'
    >>> csv_cell(dt.date(2020, 3, 1), Column("d", "d", "date"))
    '2020-03-01'
    >>> csv_cell("=1+1", Column("t", "t"))
    "'=1+1"
    """
    if value is None:
        return ""
    if column.kind == "bool":
        return "1" if value else "0"
    if column.kind == "int":
        return str(int(cast(SupportsInt, value)))
    if column.kind == "decimal":
        return f"{Decimal(str(value)):.{column.decimals}f}".replace(".", ",")
    if column.kind == "datetime" and isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if column.kind == "date" and isinstance(value, dt.date):
        return value.isoformat()[:10]
    return _safe_text(str(value))


def _safe_text(text: str) -> str:
    return "'" + text if text.startswith(_FORMULA_START) else text


def _metadata_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M %Z").strip()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def write_csv(table: Table, metadata: Metadata = Metadata()) -> bytes:
    """The table as a CSV file for Danish Excel (the module's docstring has the rules)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    for label, value in metadata.items:
        writer.writerow([f"# {label}: {_metadata_text(value)}"])
    if metadata.items:
        writer.writerow([])
    writer.writerow([c.label for c in table.columns])
    columns = table.columns
    for row in table.rows:
        writer.writerow([csv_cell(v, c) for v, c in zip(row, columns, strict=True)])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_csv(data: bytes) -> tuple[dict[str, str], list[list[str]]]:
    """A CSV export read back: (metadata label -> text, [header, *rows]). For tests and for
    anyone who wants to re-read an export without Excel."""
    text = data.decode("utf-8-sig")
    metadata: dict[str, str] = {}
    rows: list[list[str]] = []
    for row in csv.reader(io.StringIO(text), delimiter=";"):
        if not rows and len(row) == 1 and row[0].startswith("# "):
            label, _, value = row[0][2:].partition(": ")
            metadata[label] = value
        elif rows or row:
            rows.append(row)
    return metadata, rows


# --- XLSX -----------------------------------------------------------------------------------

def _xlsx_value(value: object, column: Column) -> object:
    if value is None:
        return None
    if column.kind == "bool":
        return bool(value)
    if column.kind == "int":
        return int(cast(SupportsInt, value))
    if column.kind == "decimal":
        return Decimal(str(value))
    if column.kind == "datetime" and isinstance(value, dt.datetime):
        return value.replace(tzinfo=None) if value.tzinfo else value  # Excel has no zones
    if column.kind in ("date", "datetime"):
        return value
    return str(value)


def _number_format(column: Column) -> str | None:
    if column.kind == "decimal":
        return "#,##0" + ("." + "0" * column.decimals if column.decimals else "")
    return _NUMBER_FORMAT.get(column.kind)


def _sheet_title(title: str) -> str:
    """Excel allows 31 characters and none of ``[]:*?/\\`` in a sheet's name."""
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Data")[:31]


def add_table_sheet(workbook, table: Table):
    """Write ``table`` onto a new sheet of a write-only openpyxl workbook (the ESF report adds
    several): typed cells with number formats, a bold frozen header and an auto-filter."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(_sheet_title(table.title))
    columns = table.columns
    for i, column in enumerate(columns, start=1):
        widest = max([len(column.label), *(len(csv_cell(r[i - 1], column)) for r in
                                           table.rows[:200])])
        sheet.column_dimensions[get_column_letter(i)].width = min(60, max(10, widest + 2))
    sheet.freeze_panes = "A2"
    if table.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{len(table.rows) + 1}"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, column.label)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    formats = [_number_format(c) for c in columns]
    for row in table.rows:
        cells = []
        for value, column, number_format in zip(row, columns, formats, strict=True):
            value = _xlsx_value(value, column)
            if number_format is None and not (isinstance(value, str)
                                              and value.startswith("=")):
                cells.append(value)
                continue
            cell = WriteOnlyCell(sheet, value)
            if number_format is not None and value is not None:
                cell.number_format = number_format
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with = is text, not a formula
            cells.append(cell)
        sheet.append(cells)
    return sheet


def add_metadata_sheet(workbook, metadata: Metadata, *, title: str = METADATA_SHEET):
    """The metadata as label (bold) and value rows on a new sheet of a write-only workbook."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(title)
    sheet.column_dimensions["A"].width = 28
    sheet.column_dimensions["B"].width = 60
    bold = Font(bold=True)
    for label, value in metadata.items:
        if isinstance(value, dt.datetime) and value.tzinfo:
            value = _metadata_text(value)  # Excel has no time zones: keep the zone in text
        key = WriteOnlyCell(sheet, label)
        key.font = bold
        cell = WriteOnlyCell(sheet, value if isinstance(value, int | float | Decimal | dt.date)
                             else str(value))
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, str):
            cell.data_type = "s"
        sheet.append([key, cell])
    return sheet


def workbook_bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def write_xlsx(table: Table, metadata: Metadata = Metadata()) -> bytes:
    """The table as an Excel workbook: the table's sheet, then the metadata sheet."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    add_table_sheet(workbook, table)
    add_metadata_sheet(workbook, metadata)
    return workbook_bytes(workbook)


def read_xlsx(data: bytes) -> tuple[dict[str, object], list[list[object]]]:
    """An XLSX export read back: (metadata label -> value, [header, *rows] of the first
    sheet)."""
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    rows = [list(r) for r in workbook.worksheets[0].iter_rows(values_only=True)]
    metadata = {str(label): value for label, value in
                workbook[METADATA_SHEET].iter_rows(values_only=True)}
    return metadata, rows


def write(table: Table, metadata: Metadata, fmt: str) -> bytes:
    """``fmt`` is ``csv`` or ``xlsx``."""
    if fmt == "csv":
        return write_csv(table, metadata)
    if fmt == "xlsx":
        return write_xlsx(table, metadata)
    raise ValueError(f"format {fmt!r} is not csv or xlsx")


def rows_of(records: Iterable[dict[str, object]], columns: Sequence[Column]) -> list[tuple]:
    """Rows from dicts, in the columns' order (a missing key is an empty cell)."""
    keys = [c.key for c in columns]
    return [tuple(r.get(k) for k in keys) for r in records]
