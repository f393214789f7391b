"""Import participants and events from CSV or Excel, all or nothing.

The whole file is read and checked first; every bad row is reported with its row number (as
the user sees it in the spreadsheet, the header being row 1), column and reason, and nothing
is written unless every row is good. Re-importing the same file creates no duplicates: a
participant whose CPR number is already registered in the same partnership, and an event
identical to one already registered, are skipped and counted.

Messages never contain the CPR number; they name the row instead.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from brobygger.cpr import Cpr, CprError, parse_cpr
from brobygger.web.accounts import scoping
from brobygger.web.audit.log import record
from brobygger.web.audit.models import Action, Channel
from brobygger.web.lib.ids import batches
from brobygger.web.pathways import services
from brobygger.web.pathways.cpr import fingerprint, store_cpr
from brobygger.web.pathways.models import (
    BenefitType,
    EmploymentStatus,
    EventKind,
    Isced,
    Participant,
    PathwayEvent,
    SubsidyType,
)
from brobygger.web.pathways.timeline import problems_with, referral_problems, same_event
from brobygger.web.registry.models import Organisation

PARTICIPANT_COLUMNS = [
    "cpr", "name", "partnership_id", "referred_on", "benefit_type", "weeks_on_benefit_at_entry",
    "employment_status_at_entry", "education", "migrant_background", "disability",
    "other_disadvantage", "consent_given_on",
]
EVENT_COLUMNS = [
    "cpr", "kind", "occurred_on", "corrects_id", "employer_cvr", "hours_per_week", "monthly_wage",
    "subsidy_type", "benefit_month", "benefit_type",
]
REQUIRED = {
    "participants": {"cpr", "partnership_id", "referred_on", "benefit_type",
                     "weeks_on_benefit_at_entry", "employment_status_at_entry", "education"},
    "events": {"cpr", "kind", "occurred_on"},
}
MAX_ROWS = 200_000


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    problems: list[RowProblem] = field(default_factory=list)
    created: int = 0
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class FileError(ValueError):
    """The file as a whole cannot be read (format, encoding, header)."""


# --- reading ----------------------------------------------------------------------------------

def read_rows(filename: str, content: bytes) -> list[dict[str, object]]:
    """Rows as dicts keyed by lower-case header; CSV (comma or semicolon) or .xlsx."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(content)
    if filename.lower().endswith(".csv"):
        return _read_csv(content)
    raise FileError(_("Upload a .csv or .xlsx file."))


def _read_csv(content: bytes) -> list[dict[str, object]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = content.decode("cp1252")
        except UnicodeDecodeError:
            raise FileError(_("The file is neither UTF-8 nor Windows-1252 text.")) from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        return _as_dicts(reader)
    except csv.Error as exc:
        raise FileError(_("The CSV file cannot be read (line %(line)s).")
                        % {"line": reader.line_num}) from exc


#: the most an Excel file may unpack to (an .xlsx is a zip archive of XML; a file of
#: MAX_ROWS event rows unpacks to about 95 MB, measured): a file that unpacks to more is
#: refused before it is opened, so a small archive cannot fill the memory
MAX_XLSX_UNPACKED = 160 * 1024 * 1024


def _read_xlsx(content: bytes) -> list[dict[str, object]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            # the declared sizes bind: zipfile stops a member at its declared size
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise FileError(_("The Excel file cannot be read.")) from exc
    if unpacked > MAX_XLSX_UNPACKED:
        raise FileError(_("The Excel file unpacks to more than %(mb)s MB. Save it as CSV.")
                        % {"mb": MAX_XLSX_UNPACKED // (1024 * 1024)})
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise FileError(_("The Excel file cannot be read.")) from exc
    try:
        return _as_dicts(book.worksheets[0].iter_rows(values_only=True))
    except FileError:
        raise
    except Exception as exc:  # a sheet can also break part-way
        raise FileError(_("The Excel file cannot be read.")) from exc


def _as_dicts(rows: Iterable[Sequence[object]]) -> list[dict[str, object]]:
    """The rows after the header as dicts, read one at a time: a file with more than
    MAX_ROWS rows is refused when the row after the limit is reached, not after the whole
    file has been held in memory."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        raise FileError(_("The file is empty."))
    header = [str(h or "").strip().lower() for h in first]
    out: list[dict[str, object]] = []
    for values in rows:
        if len(out) == MAX_ROWS:
            raise FileError(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS})
        if all(v is None or str(v).strip() == "" for v in values):
            out.append({})  # keep row numbers aligned; blank rows are skipped later
            continue
        out.append({h: v for h, v in zip(header, values, strict=False) if h})
    return out


def check_header(kind: str, rows: list[dict[str, object]]) -> None:
    present = set().union(*(r.keys() for r in rows)) if rows else set()
    missing = sorted(REQUIRED[kind] - present)
    if missing:
        raise FileError(_("Missing columns: %(cols)s. Use the template.")
                        % {"cols": ", ".join(missing)})


# --- cell parsers: return a value or raise ValueError with a reason ------------------------

def _text(v) -> str:
    return "" if v is None else str(v).strip()


def _date(v) -> dt.date | None:
    if isinstance(v, dt.datetime):
        return v.date()
    if isinstance(v, dt.date):
        return v
    s = _text(v)
    if not s:
        return None
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    raise ValueError(_("not a date (use YYYY-MM-DD or DD-MM-YYYY)"))


#: a number as people and spreadsheets write it: digits, one decimal mark (no exponent, no
#: thousands separators), at most 15 digits in all
_NUMBER = re.compile(r"-?[0-9]{1,15}(?:[.,][0-9]{1,15})?")


def _int(v) -> int | None:
    s = _text(v)
    if not s:
        return None
    if not _NUMBER.fullmatch(s) or len(s) > 16:
        raise ValueError(_("not a whole number"))
    number = Decimal(s.replace(",", "."))
    if number != number.to_integral_value() or number < 0:
        raise ValueError(_("not a whole number"))
    return int(number)


def _decimal(v) -> Decimal | None:
    s = _text(v)
    if not s:
        return None
    if not _NUMBER.fullmatch(s) or len(s) > 17:
        raise ValueError(_("not a number (no thousands separators)"))
    return Decimal(s.replace(",", "."))


def _bool(v) -> bool:
    s = _text(v).lower()
    if s in ("", "0", "nej", "no", "false", "n"):
        return False
    if s in ("1", "ja", "yes", "true", "j", "y", "x"):
        return True
    raise ValueError(_("use yes or no (ja or nej)"))


def _choice(choices):
    """A choice by its code (``long_term_unemployed``) or by its label in Danish or English
    (langtidsledig, long-term unemployed), any case."""
    def parse(v) -> str:
        s = _text(v).lower()
        if s and s not in choices.values:
            found = _labels_of(choices).get(s)
            if found is None:
                raise ValueError(_("must be one of: %(values)s") % {"values": ", ".join(
                    f"{value} ({label})" for value, label in choices.choices)})
            return found
        return s
    return parse


@cache
def _labels_of(choices) -> dict[str, str]:
    """Each choice's label, lowercased, in every language of the site → its code."""
    out: dict[str, str] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            out.update({str(label).lower(): value for value, label in choices.choices})
    return out


def _cpr(v) -> Cpr:
    try:
        return parse_cpr(_text(v))
    except CprError as exc:
        from brobygger.web.pathways.forms import CPR_MESSAGES

        raise ValueError(str(CPR_MESSAGES[exc.code])) from None


PARSERS = {
    "cpr": _cpr, "name": _text, "partnership_id": _int, "referred_on": _date,
    "benefit_type": _choice(BenefitType), "weeks_on_benefit_at_entry": _int,
    "employment_status_at_entry": _choice(EmploymentStatus), "education": _choice(Isced),
    "migrant_background": _bool, "disability": _bool, "other_disadvantage": _bool,
    "consent_given_on": _date, "kind": _choice(EventKind), "occurred_on": _date,
    "corrects_id": _int, "employer_cvr": _text, "hours_per_week": _decimal,
    "monthly_wage": _decimal, "subsidy_type": _choice(SubsidyType), "benefit_month": _date,
}


#: the columns that are not a field of the model by that name, as the import page explains them
_OTHER_COLUMNS = {
    "cpr": _lazy("CPR number (DDMMYY-XXXX)"),
    "partnership_id": _lazy("the partnership's number (on its page)"),
    "referred_on": _lazy("referred on"),
    "corrects_id": _lazy("the number of the event it corrects"),
    "employer_cvr": _lazy("the employer's CVR number"),
}


def column_help(kind: str) -> list[tuple[str, str, bool]]:
    """(column, what it holds in the page's language, required) of a kind's file, for the
    import page: the model's own field names where the column is a field."""
    columns = PARTICIPANT_COLUMNS if kind == "participants" else EVENT_COLUMNS
    out = []
    for column in columns:
        field = _field(MODELS[kind], column)
        said = _OTHER_COLUMNS.get(column) or (field.verbose_name if field else column)
        out.append((column, str(said), column in REQUIRED[kind]))
    return out


#: the model a kind's rows become: a cell must keep its field's own limits (a name's length,
#: a number's range), as the form and the API do
MODELS = {"participants": Participant, "events": PathwayEvent}


def _parse_row(kind: str, number: int, raw: dict, problems: list[RowProblem]) -> dict | None:
    columns = PARTICIPANT_COLUMNS if kind == "participants" else EVENT_COLUMNS
    values, bad = {}, False
    for column in columns:
        parser = PARSERS[column]
        try:
            values[column] = parser(raw.get(column))
        except ValueError as exc:
            problems.append(RowProblem(number, column, str(exc)))
            bad = True
            continue
        if column in REQUIRED[kind] and values[column] in (None, ""):
            problems.append(RowProblem(number, column, _("is required")))
            bad = True
            continue
        for message in _field_problems(MODELS[kind], column, values[column]):
            problems.append(RowProblem(number, column, message))
            bad = True
    return None if bad else values


def _field_problems(model, column: str, value) -> list[str]:
    """Why ``value`` breaks the limits of ``model``'s field ``column`` (none for a column
    that is not a field of it)."""
    field = _field(model, column)
    if field is None or not field.validators:
        return []
    try:
        field.run_validators(value)
    except ValidationError as exc:
        return exc.messages
    return []


@cache
def _field(model, column: str):
    """``model``'s field ``column``, or None (looked up once: a file has many rows)."""
    try:
        return model._meta.get_field(column)
    except FieldDoesNotExist:
        return None


# --- participants -----------------------------------------------------------------------------

def import_participants(request, rows: list[dict]) -> ImportResult:
    result = ImportResult()
    writable = {p.pk: p for p in scoping.partnerships_for_user(request)
                if scoping.can(request, scoping.CHANGE, p.organisation_ids)}
    parsed: list[tuple[int, dict, str]] = []
    for number, raw in enumerate(rows, start=2):
        if not raw:
            continue
        values = _parse_row("participants", number, raw, result.problems)
        if values is not None:
            parsed.append((number, values, fingerprint(values["cpr"])))
    registered = _registered({fp for _n, _v, fp in parsed})
    seen: dict[str, int] = {}
    todo: list[tuple[Participant, Cpr, dt.date]] = []
    for number, values, fp in parsed:
        partnership = writable.get(values["partnership_id"])
        if partnership is None:
            result.problems.append(RowProblem(number, "partnership_id", _(
                "no partnership with this id that you may register participants in")))
            continue
        dates = referral_problems(values["cpr"].birth_date, values["referred_on"],
                                  values.get("consent_given_on"), partnership=partnership)
        if dates:
            result.problems += [RowProblem(number, column, message)
                                for column, messages in dates.items() for message in messages]
            continue
        if fp in seen:
            result.problems.append(RowProblem(number, "cpr", _(
                "the same CPR number as row %(row)s") % {"row": seen[fp]}))
            continue
        seen[fp] = number
        if fp in registered:
            registered_id, registered_in = registered[fp]
            if registered_in == partnership.pk:
                result.skipped += 1  # already imported
            else:
                result.problems.append(RowProblem(number, "cpr", services.refusal(
                    request, registered_id, Channel.IMPORT)))
            continue
        p = Participant(
            partnership=partnership, name=values["name"], benefit_type=values["benefit_type"],
            weeks_on_benefit_at_entry=values["weeks_on_benefit_at_entry"],
            employment_status_at_entry=values["employment_status_at_entry"],
            education=values["education"], migrant_background=values["migrant_background"],
            disability=values["disability"], other_disadvantage=values["other_disadvantage"],
            consent_given_on=values["consent_given_on"], created_by=request.user,
        )
        store_cpr(p, values["cpr"], entry_date=values["referred_on"])
        todo.append((p, values["cpr"], values["referred_on"]))
    if result.problems:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return result
    with transaction.atomic():
        people = Participant.objects.bulk_create([p for p, _c, _d in todo], batch_size=500)
        PathwayEvent.objects.bulk_create(
            [PathwayEvent(participant=p, kind=EventKind.REFERRAL, occurred_on=referred_on,
                          registered_by=request.user, source="import")
             for p, (_p, _c, referred_on) in zip(people, todo, strict=True)],
            batch_size=2000)
        record(request, Action.CREATE, [p.pk for p in people], channel=Channel.IMPORT)
    result.created = len(todo)
    return result


def _registered(prints: set[str]) -> dict[str, tuple[int, int]]:
    """The id and partnership of every participant already registered with one of these CPR
    fingerprints (whoever may see them: a CPR number is registered once)."""
    found: dict[str, tuple[int, int]] = {}
    for chunk in batches(sorted(prints)):
        found.update((fp, (pk, partnership)) for fp, pk, partnership in Participant.objects
                     .filter(cpr_fingerprint__in=chunk)
                     .values_list("cpr_fingerprint", "pk", "partnership_id"))
    return found


# --- events -----------------------------------------------------------------------------------

#: the rules' field names as the file's columns name them ('': the row as a whole)
_FILE_COLUMN = {"employer": "employer_cvr", "corrects": "corrects_id"}


def _same_event(a: PathwayEvent, b: PathwayEvent) -> bool:
    """A row registered already (by an earlier import of the same file): skipped."""
    return all(getattr(a, f) == getattr(b, f) for f in ("kind", "corrects_id", "subsidy_type",
                                                          "benefit_type")) and same_event(a, b)


def _participants_and_histories(request, in_scope, prints: set[str]
                                ) -> tuple[dict[str, Participant], dict[int, list[PathwayEvent]]]:
    """The participants (by CPR fingerprint) the user may register events for, and their
    events so far, in date order: a few queries for the whole file, not a few per row."""
    found: dict[str, Participant] = {}
    for chunk in batches(sorted(prints)):
        for p in in_scope.filter(cpr_fingerprint__in=chunk):
            if scoping.can(request, scoping.CHANGE, p.partnership.organisation_ids):
                found[p.cpr_fingerprint] = p
    histories: dict[int, list[PathwayEvent]] = {p.pk: [] for p in found.values()}
    for chunk in batches(sorted(histories)):
        for event in PathwayEvent.objects.filter(participant_id__in=chunk):
            histories[event.participant_id].append(event)  # in the model's (date) order
    return found, histories


def import_events(request, rows: list[dict]) -> ImportResult:
    result = ImportResult()
    in_scope = scoping.participants_for_user(request)
    employers = {o.cvr: o for o in Organisation.employers().exclude(cvr=None)}
    todo: list[PathwayEvent] = []
    parsed: list[tuple[int, dict]] = []
    for number, raw in enumerate(rows, start=2):
        if not raw:
            continue
        values = _parse_row("events", number, raw, result.problems)
        if values is not None:
            parsed.append((number, values))
    # each participant's events are checked in date order, whatever the order of the rows
    parsed.sort(key=lambda nv: (nv[1]["occurred_on"], nv[0]))
    prints = [fingerprint(values["cpr"]) for _number, values in parsed]
    participants, histories = _participants_and_histories(request, in_scope, set(prints))
    for (number, values), fp in zip(parsed, prints, strict=True):
        participant = participants.get(fp)
        if participant is None:
            result.problems.append(RowProblem(number, "cpr", _(
                "no participant with this CPR number that you may register events for")))
            continue
        employer = None
        if values["employer_cvr"]:
            employer = employers.get(values["employer_cvr"])
            if employer is None:
                result.problems.append(RowProblem(number, "employer_cvr",
                                                  _("no organisation with this CVR number")))
                continue
        event = PathwayEvent(
            participant=participant, kind=values["kind"], occurred_on=values["occurred_on"],
            corrects_id=values["corrects_id"], employer=employer,
            hours_per_week=values["hours_per_week"], monthly_wage=values["monthly_wage"],
            subsidy_type=values["subsidy_type"], benefit_month=values["benefit_month"],
            benefit_type=values["benefit_type"], registered_by=request.user, source="import",
        )
        history = histories[participant.pk]
        if any(_same_event(event, old) for old in history):
            result.skipped += 1
            continue
        problems = problems_with(event, history)
        if problems:
            for field, messages in problems.items():
                column = _FILE_COLUMN.get(field, field)
                result.problems.extend(RowProblem(number, column, m) for m in messages)
            continue
        history.append(event)
        todo.append(event)
    if result.problems:
        result.problems.sort(key=lambda p: (p.row, p.column))
        return result
    with transaction.atomic():
        PathwayEvent.objects.bulk_create(todo, batch_size=2000)
        record(request, Action.CHANGE, sorted({e.participant_id for e in todo}),
               channel=Channel.IMPORT)
    result.created = len(todo)
    return result


def template_csv(kind: str) -> str:
    columns = PARTICIPANT_COLUMNS if kind == "participants" else EVENT_COLUMNS
    return ";".join(columns) + "\r\n"


def template_xlsx(kind: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = kind
    sheet.append(PARTICIPANT_COLUMNS if kind == "participants" else EVENT_COLUMNS)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
