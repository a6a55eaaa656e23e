"""Spreading work that numpy, Arrow and fastexcel do without the GIL over a thread per core."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any

from esgcli.base.forked import Forked, forks

MAX_THREADS = 4


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def thread_count(units: int, per_thread: int) -> int:
    """Threads worth starting for ``units`` of work when each should get ``per_thread`` or more."""
    return max(1, min(cores(), MAX_THREADS, units // per_thread))


def run(work: Callable[[Any], Any], items: Sequence[Any], threads: int) -> list[Any]:
    """``[work(item) for item in items]``, on ``threads`` threads when that is more than one."""
    if threads <= 1 or len(items) <= 1:
        return [work(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(work, items))


def row_blocks(n: int, count: int) -> list[slice]:
    """``count`` consecutive slices of about equal size covering rows 0..n."""
    bounds = [n * b // count for b in range(count + 1)]
    return [slice(bounds[b], bounds[b + 1]) for b in range(count)]


PROCESS_MIN = 64  # tasks from which work is spread over a process per core
MAX_PROCESSES = 4


def process_count(total: int, minimum: int | None = None) -> int:
    """The processes :func:`in_processes` spreads ``total`` items over (0: it works in this
    process): one per core, from ``minimum`` (default PROCESS_MIN) items, where processes
    fork."""
    workers = min(cores(), MAX_PROCESSES)
    if workers < 2 or total < (PROCESS_MIN if minimum is None else minimum) or not forks():
        return 0
    return workers


def in_processes(work: Callable[..., Any], items: Sequence[Any], chunk: int = 16,
                 progress: Callable[[int, int], None] | None = None,
                 minimum: int | None = None, shared: Any = None,  # noqa: ANN401
                 crashed: Callable[[Any], Any] | None = None) -> list[Any]:
    """``[work(item) for item in items]`` in order (``work(shared, item)`` when ``shared`` is
    given), on a forked process per core when there are at least ``minimum`` (default
    PROCESS_MIN) items, the machine has several cores and processes fork (Linux); in this
    process otherwise. For independent CPU work whose results are small (threads would
    serialise it on the GIL). ``shared`` reaches the processes by inheritance, never pickled
    (a questionnaire is used as it is here); items and results are pickled. ``progress(done,
    total)`` is called as results arrive (per chunk of ``chunk`` items in processes). ``work``
    need not be picklable; an exception in it is raised here.

    A process that dies (a native reader aborting on a hostile file) never hangs the call:
    the chunks it left are run again one process each, then item by item, and an item that
    still kills its process gets ``crashed(item)`` as its result (without ``crashed``, a
    RuntimeError)."""
    total = len(items)
    workers = process_count(total, minimum)
    out: list[Any] = []
    if not workers:
        for item in items:
            out.append(work(item) if shared is None else work(shared, item))
            if progress is not None:
                progress(len(out), total)
        return out
    return Forked(work, items, chunk, workers, shared, crashed).results(progress)


