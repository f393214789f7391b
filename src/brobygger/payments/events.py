"""Reading event files (CSV or JSON) into a column table; the schema is docs/events-schema.md.

An event file is one row per dated, verified event. The table keeps every column as a numpy
array (strings become integer codes into a sorted list of labels), so that checking and
settling two million events is array work, not a Python loop per event. Reading never
stops at the first bad row: every problem is collected with its file, row and reason.

Rows are numbered as a spreadsheet shows them: in a CSV file the header is row 1 and the first
event row 2; in a JSON file the first event object is row 1.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import hashlib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import numpy.typing as npt

from brobygger.cpr import CprError, parse_cpr
from brobygger.errors import BrobyggerError, Problem
from brobygger.payments import Invalid
from brobygger.scenario.schema import JOB_STATES, State

EVENT_TYPES: tuple[str, ...] = (
    "referral",
    "induction_start",
    "induction_completed",
    "induction_dropout",
    "education_start",
    "education_end",
    "job_start",
    "job_end",
    "benefit_month",
    "exit",
    "ordinary_hire",
    "place_created",
)
TYPE = {name: code for code, name in enumerate(EVENT_TYPES)}
ENTERPRISE_EVENTS = frozenset({"ordinary_hire", "place_created"})
CITIZEN_EVENTS = frozenset(EVENT_TYPES) - ENTERPRISE_EVENTS

COLUMNS: tuple[str, ...] = (
    "id", "participant", "type", "date", "partnership", "municipality", "other_actor",
    "social_enterprise", "state", "hours_per_week", "employer", "amount", "count", "verified",
)
REQUIRED_COLUMNS = ("participant", "type", "date")
JOB_STATE_NAMES = tuple(s.value for s in JOB_STATES)
_JOB_STATE_CODE = {s.value: n for n, s in enumerate(JOB_STATES)}  # 0 accelerator, 1 other
NAT = np.iinfo(np.int64).min
_TRUE = {"", "true", "1", "yes", "y", "ja"}
_FALSE = {"false", "0", "no", "n", "nej"}


class EventError(BrobyggerError):
    """An event file is unreadable or some of its events are invalid."""


@dataclass(frozen=True, eq=False)
class EventTable:
    """Events as columns. ``*_labels`` hold the sorted strings that the codes index."""

    source: str
    rows: np.ndarray  # int64: the row each event came from
    ids: np.ndarray  # object: the id given in the file, or ""
    participant: np.ndarray  # int32 code, -1 if blank
    type: np.ndarray  # int8 code into EVENT_TYPES
    day: np.ndarray  # int64 days since 1970-01-01, NAT if blank
    partnership: np.ndarray  # int32 code, -1 if blank
    municipality: np.ndarray
    other_actor: np.ndarray
    social_enterprise: np.ndarray
    employer: np.ndarray
    state: np.ndarray  # int8: 0 job_accelerator, 1 job_other, -1 blank
    hours: np.ndarray  # float64, nan if blank
    amount: np.ndarray  # int64 øre, 0 if blank
    count: np.ndarray  # int32, 1 if blank
    verified: np.ndarray  # bool
    labels: Mapping[str, tuple[str, ...]]  # column name -> sorted labels for coded columns

    def __len__(self) -> int:
        return len(self.rows)

    def label(self, column: str, code: int) -> str:
        return self.labels[column][code] if code >= 0 else ""

    def month(self) -> np.ndarray:
        """Month index (year * 12 + month - 1) of every event."""
        return self.day.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) \
            + 1970 * 12

    def event_id(self, i: int) -> str:
        """The event's id: the file's, or one made from its content (order never matters).

        A citizen event is ``participant/type/date``; an enterprise event adds a short hash
        of its content, since one partnership may register several on one day.
        """
        given = self.ids[i]
        if given:
            return str(given)
        kind = EVENT_TYPES[self.type[i]]
        date = str(np.datetime64(int(self.day[i]), "D"))
        if kind not in ENTERPRISE_EVENTS:
            return f"{self.label('participant', int(self.participant[i]))}/{kind}/{date}"
        who = self.label("partnership", int(self.partnership[i]))
        content = "|".join((who, kind, date, str(int(self.count[i])), str(int(self.amount[i])),
                            self.label("social_enterprise", int(self.social_enterprise[i])),
                            self.label("employer", int(self.employer[i]))))
        return f"{who}/{kind}/{date}/{hashlib.sha1(content.encode()).hexdigest()[:8]}"

    def event_ids(self, idx: np.ndarray) -> list[str]:
        """:meth:`event_id` of the events ``idx``, at once (settlement names a million)."""
        idx = np.asarray(idx, dtype=np.int64)
        dates = np.datetime_as_string(self.day[idx].astype("datetime64[D]")).tolist()
        kinds = [EVENT_TYPES[k] for k in self.type[idx].tolist()]
        people = self.labels["participant"]
        out = []
        for i, given, kind, date, who in zip(idx.tolist(), self.ids[idx].tolist(), kinds, dates,
                                             self.participant[idx].tolist(), strict=True):
            if given:
                out.append(str(given))
            elif kind in ENTERPRISE_EVENTS:
                out.append(self.event_id(i))
            else:
                out.append(f"{people[who] if who >= 0 else ''}/{kind}/{date}")
        return out

    def select(self, mask: np.ndarray) -> EventTable:
        cols = {f: getattr(self, f)[mask] for f in _ARRAY_FIELDS}
        return EventTable(source=self.source, labels=self.labels, **cols)


_ARRAY_FIELDS = ("rows", "ids", "participant", "type", "day", "partnership", "municipality",
                 "other_actor", "social_enterprise", "employer", "state", "hours", "amount",
                 "count", "verified")
_CODED = ("participant", "partnership", "municipality", "other_actor", "social_enterprise",
          "employer")


def _encode(values: Sequence[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes in sorted label order (so codes never depend on row order); '' → -1."""
    distinct = dict.fromkeys(values)
    labels = sorted({v.strip() for v in distinct})
    blank = bool(labels) and labels[0] == ""
    code = {label: n - blank for n, label in enumerate(labels)}
    index = {v: code[v.strip()] for v in distinct}
    codes = np.fromiter(map(index.__getitem__, values), np.int32, count=len(values))
    return codes, tuple(labels[1:] if blank else labels)


def _parse_distinct(values: Sequence[str], parse: Callable[[str], object], dtype: npt.DTypeLike,
                    blank: object, rows: np.ndarray, source: str, problems: list[Problem]
                    ) -> np.ndarray:
    """Parse each distinct cell once (dates, amounts and states repeat a lot), then map."""
    parsed: dict[str, object] = {}
    bad: dict[str, ValueError] = {}
    for v in dict.fromkeys(values):
        if not v.strip():
            parsed[v] = blank
            continue
        try:
            parsed[v] = parse(v.strip())
        except ValueError as exc:
            parsed[v] = blank
            bad[v] = exc
    if bad:
        for i, v in enumerate(values):
            if v in bad:
                why = bad[v]
                kind, context = (why.kind, why.context) if isinstance(why, Invalid) else ("", ())
                problems.append(Problem(source, f"row {rows[i]}", str(why), kind, context))
    return np.fromiter(map(parsed.__getitem__, values), dtype, count=len(values))


def _parse_day(text: str) -> int:
    try:
        if len(text) != 10:
            raise ValueError
        return dt.date.fromisoformat(text).toordinal() - _EPOCH
    except ValueError:
        raise Invalid(f"date {text!r} is not a date (YYYY-MM-DD)", "not_a_date",
                      value=repr(text)) from None


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _digits(text: str) -> bool:
    return text.isascii() and text.isdigit()


def _parse_amount(text: str) -> int:
    """Whole øre from a DKK amount with at most two decimals, not negative (a wage earned or
    a benefit paid; ValueError otherwise)."""
    text = text.strip()
    whole, _, decimals = text.partition(".")
    if len(decimals) > 2:
        raise Invalid(f"amount {text!r} has more than two decimals", "amount_decimals",
                      value=repr(text))
    if whole.startswith("-") and _digits(whole[1:]):
        raise Invalid(f"amount {text!r} is negative (a wage or a benefit paid is not)",
                      "amount_negative", value=repr(text))
    if not _digits(whole) or (decimals and not _digits(decimals)):
        raise Invalid(f"amount {text!r} is not a number", "amount_not_a_number",
                      value=repr(text))
    return int(whole) * 100 + int(decimals.ljust(2, "0") or 0)


def _parse_type(text: str) -> int:
    if text not in TYPE:
        known = ", ".join(EVENT_TYPES)
        raise Invalid(f"unknown event type {text!r} (known: {known})", "unknown_event_type",
                      value=repr(text), known=known)
    return TYPE[text]


def _parse_state(text: str) -> int:
    if text not in _JOB_STATE_CODE:
        states = ", ".join(JOB_STATE_NAMES)
        raise Invalid(f"state {text!r} is not a job state ({states})", "not_a_job_state",
                      value=repr(text), states=states)
    return _JOB_STATE_CODE[text]


def _parse_hours(text: str) -> float:
    try:
        h = float(text)
    except ValueError:
        raise Invalid(f"hours_per_week {text!r} is not a number", "hours_not_a_number",
                      value=repr(text)) from None
    if not 0 <= h <= 168:
        raise Invalid(f"hours_per_week {text!r} is not between 0 and 168", "hours_range",
                      value=repr(text))
    return h


def _parse_count(text: str) -> int:
    if not _digits(text) or int(text) < 1:
        raise Invalid(f"count {text!r} is not a whole number of at least 1", "bad_count",
                      value=repr(text))
    return int(text)


def _parse_verified(text: str) -> bool:
    if text.lower() in _TRUE:
        return True
    if text.lower() in _FALSE:
        return False
    raise Invalid(f"verified {text!r} is not true or false", "bad_verified", value=repr(text))


def build_table(columns: Mapping[str, Sequence[str]], rows: Sequence[int], source: str
                ) -> tuple[EventTable, list[Problem]]:
    """Parse raw string columns into an :class:`EventTable`; bad cells become problems."""
    n = len(rows)
    problems: list[Problem] = []
    row_arr = np.asarray(rows, dtype=np.int64)
    blank_column = [""] * n

    def col(name: str) -> Sequence[str]:
        return columns.get(name) or blank_column

    coded = {}
    labels = {}
    for name in _CODED:
        coded[name], labels[name] = _encode(col(name))

    def parsed(name: str, parse: Callable[[str], object], dtype: npt.DTypeLike,
               blank: object) -> np.ndarray:
        return _parse_distinct(col(name), parse, dtype, blank, row_arr, source, problems)

    type_codes = parsed("type", _parse_type, np.int8, -1)
    day = parsed("date", _parse_day, np.int64, NAT)
    missing = day == NAT
    if missing.any():
        dates = col("date")
        for i in np.flatnonzero(missing):
            if not dates[int(i)].strip():
                problems.append(Problem(source, f"row {row_arr[i]}", "the date is missing",
                                        "date_missing"))
    table = EventTable(
        source=source, rows=row_arr, ids=np.asarray(col("id"), dtype=object), type=type_codes,
        day=day, state=parsed("state", _parse_state, np.int8, -1),
        hours=parsed("hours_per_week", _parse_hours, np.float64, np.nan),
        amount=parsed("amount", _parse_amount, np.int64, 0),
        count=parsed("count", _parse_count, np.int32, 1),
        verified=parsed("verified", _parse_verified, bool, True),
        labels=labels, **coded,
    )
    problems.sort(key=lambda p: int(p.location.split()[-1]))
    return table, problems


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value).strip()


#: a number as a Danish spreadsheet writes it: thousands by points, a decimal comma
_DANISH_NUMBER = re.compile(r"-?(?:[0-9]{1,3}(?:\.[0-9]{3})+|[0-9]+)(?:,[0-9]+)?")
#: the columns that hold numbers
NUMBER_COLUMNS = ("amount", "hours_per_week", "count")


def read_csv(path: Path) -> tuple[dict[str, Sequence[str]], list[int]]:
    """The file's columns and row numbers. Comma-separated, or semicolon-separated as a
    Danish spreadsheet saves CSV — then its numbers are read in the Danish format too
    (``12.345,50``; a cell in any other form is left for the column's own check)."""
    gc_was = gc.isenabled()
    gc.disable()  # millions of small lists and no cycles: collection passes are waste
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            first = fh.readline()
            fh.seek(0)
            danish = first.count(";") > first.count(",")
            reader = csv.reader(fh, delimiter=";" if danish else ",")
            header = next(reader, None)
            if header is None:
                raise EventError(Problem(str(path), "", "the file is empty (no header row)",
                                         "empty_file"))
            header = [h.strip() for h in header]
            records = list(reader)
    finally:
        if gc_was:
            gc.enable()
    _check_header(header, str(path))
    width = len(header)
    rows = list(range(2, len(records) + 2))
    if any(len(r) != width for r in records):  # blank lines are skipped, rows keep numbers
        rows = [n for n, r in zip(rows, records, strict=True) if r]
        records = [r for r in records if r]
        problems = [Problem(str(path), f"row {n}", f"has {len(r)} cells, the header has "
                            f"{width}", "cell_count", (("cells", str(len(r))),
                                                       ("width", str(width))))
                    for n, r in zip(rows, records, strict=True) if len(r) != width]
        if problems:
            raise EventError(problems)
    cols = list(zip(*records, strict=True)) if records else [()] * width
    table: dict[str, Sequence[str]] = {h: c for h, c in zip(header, cols, strict=True)}
    if danish:
        for h in NUMBER_COLUMNS:
            if h in table:
                table[h] = [_from_danish(cell) for cell in table[h]]
    return table, rows


def _from_danish(cell: str) -> str:
    """``12.345,50`` as ``12345.50``; any other text as it is."""
    text = cell.strip()
    if _DANISH_NUMBER.fullmatch(text):
        return text.replace(".", "").replace(",", ".")
    return cell


def read_json(path: Path) -> tuple[dict[str, Sequence[str]], list[int]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise EventError(Problem(str(path), f"line {exc.lineno}", f"malformed JSON: "
                                 f"{exc.msg}", "malformed_json",
                                 (("reason", exc.msg),))) from exc
    if isinstance(data, dict) and set(data) <= {"events", "schema"}:
        data = data.get("events")
    if not isinstance(data, list) or not all(isinstance(e, dict) for e in data):
        raise EventError(Problem(str(path), "", "a JSON event file is a list of event objects "
                                 "(or {\"events\": [...]})", "json_not_events"))
    keys = sorted({k for e in data for k in e})
    _check_header(keys, str(path), require=False)
    problems = [Problem(str(path), f"row {n + 1}", f"no {k!r}", "missing_key",
                        (("key", repr(k)),))
                for n, e in enumerate(data) for k in REQUIRED_COLUMNS if k not in e]
    if problems:
        raise EventError(problems)
    cols: dict[str, Sequence[str]] = {k: [_cell(e.get(k)) for e in data] for k in COLUMNS}
    return cols, list(range(1, len(data) + 1))


def _check_header(header: Sequence[str], source: str, require: bool = True) -> None:
    known = ", ".join(COLUMNS)
    problems = [Problem(source, "header", f"unknown column {h!r} (known: {known})",
                        "unknown_column", (("column", repr(h)), ("known", known)))
                for h in header if h not in COLUMNS]
    problems += [Problem(source, "header", f"column {h!r} appears twice", "column_twice",
                         (("column", repr(h)),))
                 for h in sorted(set(header)) if list(header).count(h) > 1]
    if require:
        problems += [Problem(source, "header", f"the required column {h!r} is missing",
                             "required_column", (("column", repr(h)),))
                     for h in REQUIRED_COLUMNS if h not in header]
    if problems:
        raise EventError(problems)


def read_events(path: Path | str) -> tuple[EventTable, list[Problem]]:
    """Read a CSV (``.csv``) or JSON (``.json``) event file; parse problems are returned."""
    path = Path(path)
    if not path.exists():
        raise EventError(Problem(str(path), "", "no such file", "no_such_file"))
    if not path.is_file():
        raise EventError(Problem(str(path), "", "not a file", "not_a_file"))
    try:
        if path.suffix.lower() == ".json":
            cols, rows = read_json(path)
        elif path.suffix.lower() == ".csv":
            cols, rows = read_csv(path)
        else:
            raise EventError(Problem(str(path), "", "an event file ends in .csv or .json",
                                     "event_file_suffix"))
    except UnicodeDecodeError as exc:
        raise EventError(Problem(str(path), f"byte {exc.start}",
                                 "not UTF-8 text: save the file as UTF-8", "not_utf8")) from exc
    except OSError as exc:
        raise EventError(Problem(str(path), "", f"cannot read: {exc.strerror}", "cannot_read",
                                 (("reason", str(exc.strerror)),))) from exc
    except csv.Error as exc:
        raise EventError(Problem(str(path), "", f"not a readable CSV file: {exc}",
                                 "unreadable_csv", (("reason", str(exc)),))) from exc
    if not rows:
        raise EventError(Problem(str(path), "", "no events in the file", "no_events"))
    table, problems = build_table(cols, rows, str(path))
    return _without_cpr(table, problems)


def _cpr_masked(label: str) -> str | None:
    """``DDMMYY-XXXX`` if ``label`` is a CPR number (:func:`brobygger.cpr.parse_cpr`: ten
    digits whose first six and seventh give a date), else None."""
    try:
        return parse_cpr(label).masked
    except CprError:
        return None


def _by_row(p: Problem) -> tuple[int, int]:
    """A file's problems in the order of their rows, those not of a row first."""
    where = p.location.split()
    if len(where) == 2 and where[0] == "row" and where[1].isdigit():
        return (1, int(where[1]))
    return (0, 0)


def _without_cpr(table: EventTable, problems: list[Problem]
                 ) -> tuple[EventTable, list[Problem]]:
    """A participant id shaped like a CPR number is refused (the file is pseudonymous: the
    number must not reach the ledger, the screen or a log), named by its first row and
    masked, and masked too in whatever else is said of the file."""
    people = table.labels["participant"]
    masked = {code: m for code, label in enumerate(people)
              if (m := _cpr_masked(label)) is not None}
    if not masked:
        return table, problems
    first: dict[int, int] = {}
    for i in np.flatnonzero(np.isin(table.participant, list(masked))).tolist():
        first.setdefault(int(table.participant[i]), int(table.rows[i]))
    found = [Problem(table.source, f"row {row}", f"participant {masked[code]} looks like a "
                     "CPR number: the file names participants by a pseudonymous id",
                     "participant_cpr", (("participant", masked[code]),))
             for code, row in first.items()]
    labels = dict(table.labels)
    labels["participant"] = tuple(masked.get(code, label) for code, label in enumerate(people))
    problems = sorted([*problems, *found], key=_by_row)
    return replace(table, labels=labels), problems


def table_from_records(records: Sequence[Mapping[str, object]], source: str = "<events>"
                       ) -> tuple[EventTable, list[Problem]]:
    """The same table from in-memory records (the web app's registry, tests, simulations)."""
    cols = {k: [_cell(r.get(k)) for r in records] for k in COLUMNS}
    return build_table(cols, list(range(1, len(records) + 1)), source)


def job_state_of(code: int) -> State:
    return JOB_STATES[code]
