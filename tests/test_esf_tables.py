"""The generic table writer: CSV for Danish Excel and XLSX with typed cells, both carrying
their metadata, read back the way a user's tools read them."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from brobygger.reports.tables import (
    Column,
    Metadata,
    Table,
    read_csv,
    read_xlsx,
    write,
    write_csv,
    write_xlsx,
)

COLUMNS = (Column("ref", "Reference"), Column("n", "Count", "int"),
           Column("amount", "Amount", "decimal", 2), Column("day", "Day", "date"),
           Column("flag", "Flag", "bool"))
ROWS = [("D-00001", 3, Decimal("1234.5"), dt.date(2020, 3, 1), True),
        ("=SUM(A1)", 0, Decimal("-0.25"), None, False)]
META = Metadata((("Data date", dt.date(2020, 4, 1)), ("Scope", "Jobcenter A; B")))


def test_csv_is_utf8_with_bom_semicolons_and_decimal_commas():
    data = write_csv(Table("T", COLUMNS, ROWS), META)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    lines = text.split("\r\n")
    assert lines[0] == "# Data date: 2020-04-01"
    assert lines[2] == ""
    assert lines[3] == "Reference;Count;Amount;Day;Flag"
    assert lines[4] == "D-00001;3;1234,50;2020-03-01;1"
    # a cell a spreadsheet would run as a formula is written as text
    assert lines[5] == "'=SUM(A1);0;-0,25;;0"


def test_csv_reads_back_with_its_metadata():
    metadata, rows = read_csv(write_csv(Table("T", COLUMNS, ROWS), META))
    assert metadata == {"Data date": "2020-04-01", "Scope": "Jobcenter A; B"}
    assert rows[0] == [c.label for c in COLUMNS]
    assert rows[1][2] == "1234,50"
    assert len(rows) == 3


def test_xlsx_cells_are_typed_and_the_metadata_has_its_own_sheet():
    data = write_xlsx(Table("Participants", COLUMNS, ROWS), META)
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook.worksheets[0]
    assert workbook.sheetnames == ["Participants", "Metadata"]
    assert sheet["B2"].value == 3 and sheet["B2"].data_type == "n"
    assert sheet["C2"].value == pytest.approx(1234.5)
    assert sheet["C2"].number_format == "#,##0.00"
    assert sheet["D2"].value == dt.datetime(2020, 3, 1)
    assert sheet["D2"].is_date
    assert sheet["E2"].value is True
    assert sheet["A3"].value == "=SUM(A1)" and sheet["A3"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    metadata, rows = read_xlsx(data)
    assert metadata["Scope"] == "Jobcenter A; B"
    assert metadata["Data date"] == dt.datetime(2020, 4, 1)
    assert rows[0] == ["Reference", "Count", "Amount", "Day", "Flag"]


def test_an_empty_table_still_has_its_header_and_metadata():
    metadata, rows = read_xlsx(write_xlsx(Table("Empty", COLUMNS, []), META))
    assert rows == [["Reference", "Count", "Amount", "Day", "Flag"]]
    assert "Data date" in metadata


def test_bad_tables_and_formats_are_refused_with_the_name():
    with pytest.raises(ValueError, match="row 1 has 1 cells"):
        Table("T", COLUMNS, [("x",)])
    with pytest.raises(ValueError, match="'money'"):
        Column("x", "x", "money")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="'pdf'"):
        write(Table("T", COLUMNS, ROWS), META, "pdf")


def test_a_long_or_odd_title_becomes_a_valid_sheet_name():
    data = write_xlsx(Table("Growth figures: 2020/2021 [all enterprises]", COLUMNS, ROWS))
    name = load_workbook(io.BytesIO(data)).sheetnames[0]
    assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
