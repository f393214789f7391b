"""The Dask backend: chunks of draws as tasks on a dask.distributed cluster.

The scenario's compiled inputs are scattered to every worker once (broadcast); each task
is (seed, first draw, last draw) and returns that chunk's per-draw summaries, a few
kilobytes. A task whose worker is lost is re-run by Dask (``retries``); since a draw's
random streams depend only on (seed, draw), the result is unchanged.
"""

from __future__ import annotations

from collections.abc import Callable

from brobygger.errors import BrobyggerError, Problem
from brobygger.simulation.run import NO_HISTORY, DrawSummaries, Histories, run_chunk

RETRIES = 3
#: seconds an existing cluster's scheduler is given to have a worker
WORKERS_WAIT = 10


def connect(workers: int | None, scheduler: str | None, timeout: str = "10s"):
    from dask.distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout=timeout)
        except (OSError, TimeoutError, ValueError) as exc:  # ValueError: not an address
            raise BrobyggerError(
                Problem("--scheduler", scheduler, f"cannot reach the Dask scheduler: {exc}",
                        "scheduler_unreachable", (("reason", str(exc)),))
            ) from None
        try:  # a scheduler without workers would take the tasks and never run them
            client.wait_for_workers(1, timeout=WORKERS_WAIT)
        except TimeoutError:
            client.close()
            raise BrobyggerError(
                Problem("--scheduler", scheduler, f"the Dask scheduler has no workers (waited "
                        f"{WORKERS_WAIT} s): start workers, or leave out --scheduler for a "
                        "cluster on this machine", "scheduler_without_workers",
                        (("seconds", str(WORKERS_WAIT)),))
            ) from None
        return client, None
    cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True,
                           dashboard_address=None)
    return Client(cluster), cluster


def run_dask(inputs, seed: int, work: list[tuple[int, int]], uncertainty: bool,
             workers: int | None, scheduler: str | None,
             progress: Callable[[int], None] | None = None,
             history: Histories = NO_HISTORY, paths: bool = False) -> list[DrawSummaries]:
    client, cluster = connect(workers, scheduler)
    try:
        return run_on(client, inputs, seed, work, uncertainty, progress, history, paths)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def run_on(client, inputs, seed: int, work: list[tuple[int, int]], uncertainty: bool,
           progress: Callable[[int], None] | None = None,
           history: Histories = NO_HISTORY, paths: bool = False) -> list[DrawSummaries]:
    """Run the chunks on a connected client; results come back in draw order."""
    from dask.distributed import as_completed

    shared = client.scatter(inputs, broadcast=True)
    known = client.scatter(history, broadcast=True)
    futures = [
        client.submit(run_chunk, shared, seed, a, b, uncertainty, known, paths, retries=RETRIES,
                      key=f"brobygger-draws-{seed}-{a}-{b}", pure=False)
        for a, b in work
    ]
    if progress:
        sizes = {f.key: b - a for f, (a, b) in zip(futures, work, strict=True)}
        for f in as_completed(futures):
            progress(sizes[f.key])
    return client.gather(futures)
