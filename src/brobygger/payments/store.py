"""The ledger on disk: a directory of append-only JSON-lines batch files.

::

    LEDGER/journal/000001-settle-2020-Q1.jsonl
    LEDGER/journal/000002-close-2020-Q1.jsonl
    …

Each settlement or close writes one new batch file and never touches an existing one: the
batch is written to a temporary file in the same directory, flushed to disk, then linked to
its final name (which fails if the name is taken, so two writers cannot both win) and the
temporary name removed. A reader sees a batch whole or not at all. The first line of a batch
describes it (``{"batch": {...}}``); every further line is one entry, ``{"transaction": …}``
or ``{"close": …}``. Reading the journal in file order gives the ledger.

A writer reads the ledger, checks against it and appends: two settlements at once would both
pay what neither had seen. Every writer (``brobygger settle``, ``ledger close``, the web
app's settlement of the live registry) therefore holds :meth:`LedgerDir.locked` from its
read to its append: an exclusive advisory lock (POSIX ``flock``) on the folder that holds
``LEDGER``, so a second writer waits and then settles against what the first wrote.
Readers need no lock.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from pathlib import Path
from typing import Any

from brobygger.errors import BrobyggerError, Problem
from brobygger.payments.ledger import KINDS, Close, Entry, Meta, Posting, Transaction
from brobygger.payments.period import Period

JOURNAL = "journal"


class LedgerError(BrobyggerError):
    """The ledger directory cannot be read or written, or refuses an entry."""


def entry_to_json(entry: Entry) -> dict[str, Any]:
    if isinstance(entry, Close):
        return {"close": {"period": entry.period.label, "date": entry.date.isoformat()}}
    m = entry.meta
    meta = {k: v for k, v in m._asdict().items() if v not in ("", (), None)}
    for k in ("gross", "unpaid"):
        if k in meta:
            meta[k] = str(meta[k])
    if "events" in meta:
        meta["events"] = list(meta["events"])
    return {"transaction": {
        "id": entry.id, "date": entry.date.isoformat(), "kind": entry.kind,
        "narration": entry.narration,
        "postings": [[p.account, str(p.amount)] for p in entry.postings], "meta": meta,
    }}


def entry_from_json(data: dict[str, Any]) -> Entry:
    if "close" in data:
        c = data["close"]
        return Close(Period.parse(c["period"]), dt.date.fromisoformat(c["date"]))
    t = data["transaction"]
    if t["kind"] not in KINDS:
        raise ValueError(f"unknown kind {t['kind']!r} (known: {', '.join(KINDS)})")
    meta = dict(t.get("meta", {}))
    for k in ("gross", "unpaid"):
        if k in meta:
            meta[k] = Decimal(meta[k])
    meta["events"] = tuple(meta.get("events", ()))
    postings = tuple(Posting(a, Decimal(x)) for a, x in t["postings"])
    imbalance = sum((p.amount for p in postings), Decimal(0))
    if imbalance != 0:
        raise ValueError(f"the postings of {t['id']!r} do not balance (they sum to "
                         f"{imbalance})")
    return Transaction(
        id=t["id"], date=dt.date.fromisoformat(t["date"]), kind=t["kind"],
        narration=t.get("narration", ""), postings=postings, meta=Meta(**meta),
    )


class LedgerDir:
    """A ledger directory. Reading is cheap to repeat; writing only ever adds a file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.journal = self.path / JOURNAL

    def batches(self) -> list[Path]:
        if not self.journal.is_dir():
            return []
        return sorted(p for p in self.journal.glob("*.jsonl") if not p.name.startswith("."))

    def entries(self) -> list[Entry]:
        out: list[Entry] = []
        problems = []
        for path in self.batches():
            with path.open(encoding="utf-8") as fh:
                for n, line in enumerate(fh, start=1):
                    if n == 1 or not line.strip():
                        continue
                    try:
                        out.append(entry_from_json(json.loads(line)))
                    except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
                        problems.append(Problem(str(path), f"line {n}", f"unreadable entry: "
                                                f"{exc}", "unreadable_entry",
                                                (("reason", str(exc)),)))
        if problems:
            raise LedgerError(problems)
        return out

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the ledger for one writer from its read to its append (see the module's
        notes); another writer waits here until this one is done. The lock is on the folder
        that holds the ledger's folder: nothing is created, and a ledger that does not exist
        yet is held too."""
        holder = self.path.resolve().parent
        try:
            fd = os.open(holder, os.O_RDONLY)
        except OSError as exc:
            raise LedgerError(_cannot_write(self.path, exc)) from exc
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # releases the lock

    def start(self) -> None:
        """Make the ledger's folders if they are not there: a settlement that writes
        starts the ledger even when its period brings nothing, so the period can be closed
        and the ledger read."""
        try:
            self.journal.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise LedgerError(_cannot_write(self.path, exc)) from exc

    def append(self, entries: Sequence[Entry], kind: str, label: str,
               info: dict[str, Any] | None = None) -> Path | None:
        """Write one new batch atomically; nothing is written for no entries."""
        if not entries:
            return None
        self.start()
        try:
            return self._write(entries, kind, label, info)
        except OSError as exc:
            raise LedgerError(_cannot_write(self.path, exc)) from exc

    def _write(self, entries: Sequence[Entry], kind: str, label: str,
               info: dict[str, Any] | None) -> Path:
        header = {"batch": {"kind": kind, "label": label, "written": dt.datetime.now(
            dt.UTC).isoformat(timespec="seconds"), "entries": len(entries),
            **(info or {})}}
        tmp = self.journal / f".tmp-{os.getpid()}-{dt.datetime.now().timestamp():.6f}"
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write(json.dumps(header, ensure_ascii=False) + "\n")
            _write_lines(fh, entries)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            for _ in range(1000):
                seq = len(self.batches()) + 1
                final = self.journal / f"{seq:06d}-{kind}-{label}.jsonl"
                try:
                    os.link(tmp, final)
                except FileExistsError:
                    continue
                _fsync_dir(self.journal)
                return final
            raise LedgerError(Problem(str(self.journal), "", "could not name a new batch",
                                      "batch_name"))
        finally:
            tmp.unlink(missing_ok=True)

    def close(self, period: Period, on: dt.date | None = None) -> Close:
        """Close ``period`` on the day ``on`` (default today; the caller holds
        :meth:`locked`). A period is closed once it has ended, from its last day on (as it
        is settled: a date's data include the day): one closed before would stay closed to the
        entries its own months still bring."""
        on = on or dt.date.today()
        if period.end > on:
            raise LedgerError(Problem(str(self.path), f"period {period}",
                                      f"has not ended: it ends on {period.end}, and can be "
                                      f"closed from then on", "close_before_end",
                                      (("end", period.end.isoformat()),)))
        entries = self.entries()
        for e in entries:
            if isinstance(e, Close) and e.period.overlaps(period):
                if e.period.first <= period.first and period.last <= e.period.last:
                    raise LedgerError(Problem(str(self.path), f"period {period}",
                                              f"already closed (as {e.period})",
                                              "already_closed", (("closed", str(e.period)),)))
                raise LedgerError(Problem(  # (part of it is open: it is not closed)
                    str(self.path), f"period {period}", f"overlaps the closed period "
                    f"{e.period}: close the months not closed as periods of their own",
                    "overlaps_closed", (("closed", str(e.period)),)))
        close = Close(period, on)
        self.append([close], "close", period.label)
        return close


def _cannot_write(path: Path, exc: OSError) -> Problem:
    reason = str(exc.strerror or exc)
    return Problem(str(path), "", f"cannot write the ledger: {reason}", "cannot_write_ledger",
                   (("reason", reason),))


def _write_lines(fh: Any, entries: Iterable[Entry]) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    fh.writelines(dumps(entry_to_json(e)) + "\n" for e in entries)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
