"""Background runs on one machine: a worker thread in the web process, progress in the DB.

A run is claimed by a conditional UPDATE (pending → running), so several web processes (or
the ``runlabruns`` command beside them) never run one twice. The thread lives while there is
work and exits when the queue is empty; a new run starts it again after its transaction
commits. A busy database (a locked SQLite table) makes the thread wait and look again, never stop.
A run left ``running`` by a process that stopped is put back in the queue by
``runlabruns --requeue``.
"""

from __future__ import annotations

import logging
import threading
import time

from django.db import OperationalError, close_old_connections, connection
from django.utils import timezone

from brobygger.errors import BrobyggerError
from brobygger.lab import BACKGROUND_BUDGET, run_lab
from brobygger.web.lab.models import Run
from brobygger.web.problems import problem_to_json

log = logging.getLogger(__name__)
PROGRESS_EVERY_SECONDS = 0.5
FINISH_ATTEMPTS = 20
BUSY_WAIT_SECONDS = 0.2

_lock = threading.Lock()
_thread: threading.Thread | None = None
_more = False


def start_worker() -> None:
    """Make sure a worker thread will look at the queue (call after the run is committed)."""
    global _thread, _more
    with _lock:
        _more = True
        if _thread is None:
            _thread = threading.Thread(target=_work, name="brobygger-lab-runs", daemon=True)
            _thread.start()


def _work() -> None:
    global _thread, _more
    try:
        while True:
            with _lock:
                _more = False
            close_old_connections()
            try:
                while run_next():
                    pass
            except OperationalError:  # the database is busy (SQLite): wait, then look again
                log.warning("lab runs: the database is busy; looking again shortly")
                time.sleep(BUSY_WAIT_SECONDS)
                with _lock:
                    _more = True
                continue
            with _lock:
                if not _more:
                    _thread = None
                    return
    except Exception:  # the thread must not die silently with the lock state wrong
        log.exception("the lab's worker thread stopped")
        with _lock:
            _thread = None
    finally:
        connection.close()


def claim_next() -> Run | None:
    pending = Run.objects.filter(status=Run.Status.PENDING).order_by("created_at", "pk")
    for pk in pending.values_list("pk", flat=True)[:20]:
        claimed = Run.objects.filter(pk=pk, status=Run.Status.PENDING).update(
            status=Run.Status.RUNNING, started_at=timezone.now(), progress=0)
        if claimed:
            return Run.objects.get(pk=pk)
    return None


def run_next() -> bool:
    """Claim and run the oldest pending run; False when there was none."""
    run = claim_next()
    if run is None:
        return False
    execute(run)
    return True


def execute(run: Run) -> None:
    """Run a claimed run to the end, writing its progress at most twice a second."""
    done = 0
    last = time.monotonic()

    def progress(n: int) -> None:
        nonlocal done, last
        done += n
        now = time.monotonic()
        if now - last >= PROGRESS_EVERY_SECONDS:
            try:
                Run.objects.filter(pk=run.pk).update(progress=done)
            except OperationalError:  # the database is busy: the next write will catch up
                log.warning("lab run %s: progress not written (database busy)", run.pk)
            last = now

    try:
        result = run_lab(run.base, run.changes, run.draws, run.seed, budget=BACKGROUND_BUDGET,
                         progress=progress)
    except BrobyggerError as exc:
        _finish(run, Run.Status.FAILED, error="\n".join(str(p) for p in exc.problems),
                problems=[problem_to_json(p) for p in exc.problems])
    except Exception as exc:
        log.exception("lab run %s failed", run.pk)
        _finish(run, Run.Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    else:
        _finish(run, Run.Status.DONE, result=result, progress=run.draws)


def _finish(run: Run, status: str, **fields) -> None:
    """Store the outcome; a busy database is waited for rather than losing the result."""
    for attempt in range(FINISH_ATTEMPTS):
        try:
            Run.objects.filter(pk=run.pk).update(status=status, finished_at=timezone.now(),
                                                 **fields)
            return
        except OperationalError:
            if attempt == FINISH_ATTEMPTS - 1:
                raise
            time.sleep(0.1 * (attempt + 1))


def requeue_stale() -> int:
    """Put runs left ``running`` (by a process that stopped) back in the queue."""
    return Run.objects.filter(status=Run.Status.RUNNING).update(
        status=Run.Status.PENDING, progress=0, started_at=None)
